// The proxy doctor (core API and `pacekeeper doctor`) against the simulator behind the proxy rig:
// each hop is checked on its own and the failing one names its fix; the JSON holds no secret.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runDoctor, type DoctorInputs } from '../../main/genesys/doctor.ts';
import type { DoctorCheck, DoctorReport } from '../../main/net/index.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { createCapture, secretForms } from '../net/support/secret-capture.ts';
import { MapSecrets, startFixture, type Fixture } from '../net/support/fixtures.ts';

const skip = skipUnlessTools(TOOLS.squid, TOOLS.certgen, TOOLS.htpasswd, TOOLS.tinyproxy, TOOLS.openssl);
const capture = createCapture(import.meta.filename);
let fx: Fixture;
const rig = () => fx.rig as NonNullable<Fixture['rig']>;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

before(async () => {
  if (skip) return;
  fx = await startFixture({ capture, rig: ['squid', 'stalled'] });
});

after(async () => {
  if (skip) return;
  await fx.close();
  capture.assertClean();
});

function inputs(o: { proxy?: string; user?: string; password?: string; ca?: 'corp' | 'missing'; clientId?: boolean } = {}): DoctorInputs {
  capture.secret(o.password);
  return {
    apiBaseUrl: fx.sim.url,
    ...(o.clientId === false ? {} : { clientId: fx.sim.clientId }),
    net: {
      proxy: o.proxy ? { mode: 'fixed', url: o.proxy, bypassLoopback: false, ...(o.user ? { username: o.user } : {}) } : { mode: 'direct' },
      tls: { caBundlePaths: [fx.sim.caPem as string, ...(o.ca === 'corp' ? [rig().bumpCaPath] : o.ca === 'missing' ? ['/nonexistent/corp-root.pem'] : [])] },
      timeouts: { connectResponseMs: 1_500, proxyConnectMs: 2_000 },
    },
    secrets: new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret, ...(o.password ? { 'proxy.password': o.password } : {}) }),
    env: {},
  };
}

async function doctor(i: DoctorInputs): Promise<DoctorReport> {
  const r = await runDoctor(i, { logger: capture.logger });
  capture.record('doctor report', r);
  return r;
}

const hop = (r: DoctorReport, name: string, target?: string): DoctorCheck | undefined => r.checks.find((c) => c.hop === name && (!target || c.target.includes(target)));
const statuses = (r: DoctorReport) => r.checks.map((c) => `${c.hop}:${c.status}`);

describe('proxy doctor', { skip }, () => {
  test('direct to the platform: every hop ok, TLS trusted by the configured CA, no secret in the JSON', async () => {
    const r = await doctor(inputs());
    assert.deepEqual(statuses(r), ['config:ok', 'dns:ok', 'tcp:ok', 'tls:ok', 'api:ok', 'oauth:ok', 'websocket:ok']);
    assert.equal(r.ok, true);
    assert.match(hop(r, 'config')?.summary ?? '', /DIRECT \(source: loopback, NO_PROXY match "loopback"\)/);
    assert.equal((hop(r, 'tls')?.details as { trustedBy?: string }).trustedBy, `user:${fx.sim.caPem}`);
    assert.match(hop(r, 'api')?.summary ?? '', /answered 401 from the platform/);
    assert.match(hop(r, 'websocket')?.summary ?? '', /101 Switching Protocols/);
    const json = JSON.stringify(r);
    for (const s of [fx.sim.clientSecret]) for (const f of secretForms(s)) assert.ok(!json.includes(f));
  });

  test('through squid with good credentials: CONNECT 200, no inspection, login and socket work', async () => {
    const r = await doctor(inputs({ proxy: rig().squidTunnel, user: rig().squidUser.username, password: rig().squidUser.password }));
    assert.deepEqual(statuses(r), ['config:ok', 'dns:ok', 'tcp:ok', 'connect:ok', 'tls:ok', 'api:ok', 'oauth:ok', 'websocket:ok']);
    assert.match(hop(r, 'config')?.summary ?? '', /source: setting, proxy\.url/);
    assert.match(hop(r, 'connect')?.summary ?? '', /opened a tunnel .* \(200, credentials sent\)/);
    assert.equal((hop(r, 'tls')?.details as { inspection?: string }).inspection, 'none');
    const json = JSON.stringify(r);
    for (const f of secretForms(rig().squidUser.password)) assert.ok(!json.includes(f));
  });

  test('wrong proxy credentials: the CONNECT hop fails with 407 and the offered scheme; later hops are skipped', async () => {
    const r = await doctor(inputs({ proxy: rig().squidTunnel, user: rig().squidUser.username, password: 'wrong password' }));
    assert.equal(r.ok, false);
    const c = hop(r, 'connect');
    assert.equal(c?.status, 'fail');
    assert.equal(c?.code, 'ProxyAuthRequired');
    assert.deepEqual((c?.details as { proxyAuthenticate?: string[] }).proxyAuthenticate, ['Basic']);
    assert.match(c?.fix ?? '', /rejected the user name or password/);
    assert.deepEqual(['api', 'oauth', 'websocket'].map((h) => hop(r, h)?.status), ['skip', 'skip', 'skip']);
  });

  test('TLS inspection without the corporate root: the TLS hop fails, names the issuer and says inspection detected', async () => {
    const r = await doctor(inputs({ proxy: rig().squidBump, user: rig().squidUser.username, password: rig().squidUser.password }));
    const t = hop(r, 'tls');
    assert.equal(t?.status, 'fail');
    assert.equal(t?.code, 'TlsUntrusted');
    assert.equal(t?.fix, 'TLS inspection detected; import your corporate root CA (PEM) as a CA bundle');
    const d = t?.details as { inspection?: string; issuer?: string; chain?: { subject: string }[] };
    assert.equal(d.inspection, 'detected');
    assert.match(d.issuer ?? '', /Proxytest Corporate Inspection CA/);
    assert.equal(hop(r, 'connect')?.status, 'ok');
  });

  test('TLS inspection with the corporate root: TLS ok but flagged, and the stripped Upgrade fails the WebSocket hop', async () => {
    const r = await doctor(inputs({ proxy: rig().squidBump, user: rig().squidUser.username, password: rig().squidUser.password, ca: 'corp' }));
    const t = hop(r, 'tls');
    assert.equal(t?.status, 'ok');
    assert.match(t?.summary ?? '', /trusted by user:.*bump-ca\.pem; TLS inspection detected/);
    assert.match(hop(r, 'api')?.summary ?? '', /Via: 1\.1 proxytest/);
    const ws = hop(r, 'websocket');
    assert.equal(ws?.status, 'fail');
    assert.equal(ws?.code, 'WebSocketRejected');
    assert.match(ws?.fix ?? '', /removed the Upgrade header/);
    assert.equal(r.ok, false);
  });

  test('inspection with WebSocket upgrades allowed: everything passes', async () => {
    const r = await doctor(inputs({ proxy: rig().squidBumpWs, user: rig().squidUser.username, password: rig().squidUser.password, ca: 'corp' }));
    assert.equal(r.ok, true, JSON.stringify(r.checks.filter((c) => c.status !== 'ok')));
    assert.equal(hop(r, 'websocket')?.status, 'ok');
  });

  test('a stalled proxy fails the CONNECT hop by its timeout; a dead one fails the TCP hop', async () => {
    const t0 = Date.now();
    const stalled = await doctor(inputs({ proxy: rig().stalled }));
    assert.equal(hop(stalled, 'connect')?.code, 'Timeout');
    assert.match(hop(stalled, 'connect')?.fix ?? '', /never answered CONNECT/);
    assert.ok(Date.now() - t0 < 1_500 + 2_000 + 1_000);
    const dead = await doctor(inputs({ proxy: rig().dead }));
    assert.equal(hop(dead, 'tcp')?.status, 'fail');
    assert.equal(hop(dead, 'tcp')?.code, 'ProxyUnreachable');
  });

  test('without a client id the login and socket checks are skipped, not failed; a missing CA file fails config', async () => {
    const r = await doctor(inputs({ clientId: false }));
    assert.equal(r.ok, true);
    assert.deepEqual([hop(r, 'oauth')?.status, hop(r, 'websocket')?.status], ['skip', 'skip']);
    const bad = await doctor(inputs({ ca: 'missing' }));
    assert.equal(bad.ok, false);
    assert.deepEqual(statuses(bad), ['config:fail']);
    assert.equal(bad.checks[0]?.code, 'CaBundleInvalid');
  });
});

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const script = "const m = await import('./main/cli/doctor-command.ts'); process.exitCode = await m.run(process.argv.slice(1));";
    const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script, '--', ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('pacekeeper doctor (CLI)', { skip }, () => {
  test('--json through squid: exit 0, one check per hop, and no secret anywhere in the output', async () => {
    const env = { PACEKEEPER_CLIENT_SECRET: fx.sim.clientSecret, PACEKEEPER_PROXY_PASSWORD: rig().squidUser.password };
    const r = await runCli(['--api-base-url', fx.sim.url, '--client-id', fx.sim.clientId, '--proxy', rig().squidTunnel, '--proxy-user', rig().squidUser.username, '--ca', fx.sim.caPem as string, '--proxy-loopback', '--json'], env);
    capture.record('cli stdout', r.stdout);
    capture.record('cli stderr', r.stderr);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorReport;
    assert.deepEqual(report.checks.map((c) => c.hop), ['config', 'dns', 'tcp', 'connect', 'tls', 'api', 'oauth', 'websocket']);
    for (const s of Object.values(env)) for (const f of secretForms(s)) assert.ok(!(r.stdout + r.stderr).includes(f), 'secret in CLI output');
  });

  test('a failing hop prints FAIL with its fix and exits 1; bad usage exits 2', async () => {
    capture.secret('not the password');
    const r = await runCli(['--api-base-url', fx.sim.url, '--proxy', rig().squidTunnel, '--proxy-user', rig().squidUser.username, '--ca', fx.sim.caPem as string, '--proxy-loopback'], { PACEKEEPER_PROXY_PASSWORD: 'not the password' });
    capture.record('cli fail stdout', r.stdout);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^FAIL connect /m);
    assert.match(r.stdout, /fix: proxy .* rejected the user name or password/);
    assert.match(r.stdout, /^skip oauth/m);
    assert.match(r.stdout, /check\(s\) failed/);
    const usage = await runCli(['--bogus'], {});
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage: pacekeeper doctor/);
  });
});
