// `npm run bench net`: 2,000 GETs at concurrency 20 through squid's TLS-inspecting port to the HTTPS
// simulator, Pacekeeper's pooled dispatcher side by side with a naive client that opens a new
// CONNECT tunnel and TLS session per request (the pattern of an agent without keep-alive). Also
// measures Pacekeeper direct, to show what the proxied path costs. Goals: ≥ 5× the naive
// throughput, ≤ 20 tunnels (against 2,000).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { parseArgs } from 'node:util';
import { createNetLayer, type NetLayer } from '../main/net/index.ts';
import { startSimulator } from '../main/sim/index.ts';
import { findExecutable, TOOLS } from '../test/helpers/system-tools.ts';
import { SQUID_USER, startProxyRig } from '../test/helpers/proxy-rig.ts';
import { settledSquidConnects } from '../test/net/support/fixtures.ts';

interface RunResult {
  label: string;
  ok: number;
  failed: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  tunnels: number;
  /** CONNECTs squid logged during the run (cross-check of `tunnels`). */
  squid?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function drive(label: string, total: number, concurrency: number, one: () => Promise<void>, tunnels: () => number): Promise<RunResult> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: unknown;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const s = performance.now();
      try {
        await one();
        latencies.push(performance.now() - s);
      } catch (e) {
        failed++;
        firstError ??= e;
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  if (firstError) console.error(`${label}: ${failed} failed; first: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
  latencies.sort((a, b) => a - b);
  return { label, ok: latencies.length, failed, seconds, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), tunnels: tunnels() };
}

/** A client with no pooling: CONNECT, TLS handshake, one request with `Connection: close`. */
function naiveGet(proxy: URL, target: URL, auth: string, ca: string[], token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const connectReq = httpRequest({ host: proxy.hostname, port: Number(proxy.port), method: 'CONNECT', path: target.host, headers: { host: target.host, 'proxy-authorization': auth } });
    connectReq.setTimeout(10_000, () => connectReq.destroy(new Error('CONNECT timeout')));
    connectReq.on('error', reject);
    connectReq.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`CONNECT ${res.statusCode}`));
        return;
      }
      const req = httpsRequest({
        // No agent: with createConnection given, Node uses it directly (agent: false would make a fresh Agent that ignores it).
        host: target.hostname, port: Number(target.port), path: `${target.pathname}${target.search}`, method: 'GET',
        headers: { authorization: `Bearer ${token}`, connection: 'close' },
        createConnection: () => tlsConnect({ socket, servername: target.hostname, ca, minVersion: 'TLSv1.2' }),
      });
      req.on('error', reject);
      req.on('response', (r) => {
        r.resume();
        r.on('end', () => (r.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${r.statusCode}`))));
      });
      req.end();
    });
    connectReq.end();
  });
}

function row(r: RunResult): string {
  const squid = r.squid === undefined ? '' : `  (squid saw ${r.squid})`;
  return `${r.label.padEnd(36)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  tunnels ${String(r.tunnels).padStart(5)}${squid}${r.failed ? `  FAILED ${r.failed}` : ''}`;
}

export async function run(flags: string[]): Promise<boolean> {
  const { values } = parseArgs({ args: flags, strict: false, options: { requests: { type: 'string' }, concurrency: { type: 'string' } } });
  const total = Number(values.requests ?? 2000);
  const concurrency = Number(values.concurrency ?? 20);
  const missing = [TOOLS.squid, TOOLS.certgen, TOOLS.htpasswd, TOOLS.openssl].filter((t) => !findExecutable(t.bin));
  if (missing.length) {
    console.log(`bench net needs ${missing.map((t) => t.bin).join(', ')}; install with: sudo apt-get install ${[...new Set(missing.map((t) => t.apt))].join(' ')}`);
    return false;
  }

  const sim = await startSimulator({ https: true, rateLimitPerMinute: 10_000_000, eventRatePerSec: 0, campaigns: 5 });
  const port = Number(new URL(sim.url).port);
  const rig = await startProxyRig({ originCaPath: sim.caPem as string, allowedPorts: [port], components: ['squid'] });
  const nets: NetLayer[] = [];
  try {
    const secrets = { get: async (n: string) => (n === 'proxy.password' ? SQUID_USER.password : n === 'genesys.clientSecret' ? sim.clientSecret : undefined) };
    const caPaths = [sim.caPem as string, rig.bumpCaPath];
    const mk = async (proxied: boolean) => {
      const net = await createNetLayer({
        config: proxied
          ? { proxy: { mode: 'fixed', url: rig.squidBump, username: SQUID_USER.username, bypassLoopback: false }, tls: { caBundlePaths: caPaths } }
          : { proxy: { mode: 'direct' }, tls: { caBundlePaths: caPaths } },
        secrets, env: {},
      });
      nets.push(net);
      return net;
    };
    const direct = await mk(false);
    const tokenRes = await direct.request({
      url: `${sim.url}/oauth/token`, method: 'POST', body: 'grant_type=client_credentials',
      headers: { authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const token = (tokenRes.json() as { access_token: string }).access_token;
    const id = ((await direct.request({ url: `${sim.url}/api/v2/outbound/campaigns?pageSize=1`, headers: { authorization: `Bearer ${token}` } })).json() as { entities: { id: string }[] }).entities[0]?.id;
    const target = new URL(`${sim.url}/api/v2/outbound/campaigns/${id}`);
    const get = (net: NetLayer) => async () => {
      const r = await net.request({ url: target, headers: { authorization: `Bearer ${token}` }, retry: 'none' });
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    };
    // squid logs a tunnel when it closes: wait until its log stops growing (bounded).
    const settledSquid = () => settledSquidConnects(rig, 500, 10_000);

    console.log(`${total} GETs, concurrency ${concurrency}, through squid's TLS-inspecting port to the HTTPS simulator\n`);
    // Warm-up (also mints squid's bumped certificate so neither side pays for it).
    const proxied = await mk(true);
    await drive('warm-up', 40, concurrency, get(proxied), () => 0);
    await proxied.close();

    let s0 = await settledSquid();
    const pk = await mk(true);
    const pkResult = await drive('Pacekeeper (pooled, via squid bump)', total, concurrency, get(pk), () => pk.health().tunnelsOpened);
    await pk.close();
    pkResult.squid = (await settledSquid()) - s0;
    s0 += pkResult.squid;

    const ca = [sim.caCert as string, await import('node:fs').then((fs) => fs.readFileSync(rig.bumpCaPath, 'utf8'))];
    const auth = `Basic ${Buffer.from(`${SQUID_USER.username}:${SQUID_USER.password}`, 'utf8').toString('base64')}`;
    let naiveTunnels = 0;
    const naive = await drive('naive (tunnel per request)', total, concurrency, async () => {
      naiveTunnels++;
      await naiveGet(new URL(rig.squidBump), target, auth, ca, token);
    }, () => naiveTunnels);
    naive.squid = (await settledSquid()) - s0;

    const directResult = await drive('Pacekeeper direct (no proxy)', total, concurrency, get(direct), () => 0);

    console.log(row(pkResult));
    console.log(row(naive));
    console.log(row(directResult));
    const ratio = pkResult.rps / naive.rps;
    const overheadP50 = pkResult.p50 - directResult.p50;
    console.log('');
    console.log(`throughput ratio Pacekeeper/naive: ${ratio.toFixed(1)}×  (goal ≥ 5×)`);
    console.log(`tunnels opened: Pacekeeper ${pkResult.tunnels} vs naive ${naive.tunnels}  (goal ≤ 20)`);
    console.log(`proxied-path overhead over direct: p50 +${overheadP50.toFixed(1)} ms, p99 +${(pkResult.p99 - directResult.p99).toFixed(1)} ms, throughput ${(directResult.rps / pkResult.rps).toFixed(2)}× lower`);
    return ratio >= 5 && pkResult.tunnels <= 20 && pkResult.failed === 0 && naive.failed === 0;
  } finally {
    await Promise.all(nets.map((n) => n.close()));
    await rig.stop();
    await sim.close();
  }
}
