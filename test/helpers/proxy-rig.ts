// Real proxies on loopback for the net-layer tests and the bench (notes/proxy.md §4):
//   squid tunnel   Basic auth + blind CONNECT
//   squid bump     Basic auth + TLS inspection with a test "corporate" CA (strips Upgrade)
//   squid bump-ws  the same, WebSocket upgrades allowed
//   squid ws-deny  inspection, and an ACL that answers WebSocket upgrade requests with 403
//   tinyproxy      Basic auth
//   stalled        accepts TCP, never answers
//   dead           a port nobody listens on
// Everything binds 127.0.0.1 on ephemeral ports. Start one rig per test file and always stop it
// (squid needs ~2–3 s to exit).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export { freePort };

export interface RigUser {
  username: string;
  password: string;
}

/** Characters a corporate password really contains: colon, space, @, %, and non-ASCII. */
export const SQUID_USER: RigUser = { username: 'ops agent@corp%ü', password: 's3cr:t p@ss%20ü€' };
/** tinyproxy's config grammar only accepts [-a-z0-9._] in BasicAuth, so this is as special as it gets. */
export const TINYPROXY_USER: RigUser = { username: 'ops.agent_x', password: 'Hunter2-x.y_z' };

export type RigComponent = 'squid' | 'tinyproxy' | 'stalled';

export interface ProxyRigOptions {
  /** CA that signed the origin (the simulator's CA file); squid verifies the origin with it when bumping. */
  originCaPath: string;
  /** Ports squid and tinyproxy allow CONNECT to (the simulator's port). Others get 403. */
  allowedPorts: number[];
  components?: RigComponent[];
}

export interface ProxyRig {
  dir: string;
  squidTunnel: string;
  squidBump: string;
  squidBumpWs: string;
  squidWsDeny: string;
  tinyproxy: string;
  stalled: string;
  dead: string;
  /** The test corporate inspection CA (PEM file) squid mints bumped certificates with. */
  bumpCaPath: string;
  squidUser: RigUser;
  tinyproxyUser: RigUser;
  /** CONNECT lines in squid's access log, e.g. to count tunnels as the proxy saw them. */
  squidConnects(): { status: number; target: string; port: string }[];
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${r.stderr || r.stdout}`);
}

async function waitForPort(port: number, child: ChildProcess, name: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s: Socket = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function squidConf(dir: string, ports: { tunnel: number; bump: number; bumpWs: number; wsDeny: number }, allowed: number[]): string {
  const bumpOpts = `tls-cert=${dir}/bump-ca.pem tls-key=${dir}/bump-ca.key generate-host-certificates=on dynamic_cert_mem_cache_size=4MB`;
  return [
    'visible_hostname proxytest',
    `pid_filename ${dir}/squid.pid`,
    `cache_log ${dir}/cache.log`,
    `access_log stdio:${dir}/access.log`,
    'cache_store_log none',
    `coredump_dir ${dir}`,
    'cache deny all',
    'pinger_enable off',
    'shutdown_lifetime 0 seconds',
    'dns_nameservers 127.0.0.1',
    ...(isRoot ? ['cache_effective_user proxy'] : []),
    `http_port 127.0.0.1:${ports.tunnel}`,
    `http_port 127.0.0.1:${ports.bump} ssl-bump ${bumpOpts}`,
    `http_port 127.0.0.1:${ports.bumpWs} ssl-bump ${bumpOpts} name=bump_ws`,
    `http_port 127.0.0.1:${ports.wsDeny} ssl-bump ${bumpOpts} name=ws_deny`,
    `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${dir}/htpasswd`,
    'auth_param basic children 3 startup=1 idle=1',
    'auth_param basic realm proxytest',
    'auth_param basic credentialsttl 1 minute',
    'acl authed proxy_auth REQUIRED',
    'acl localhost_src src 127.0.0.0/8 ::1',
    `acl SSL_ports port ${allowed.join(' ')}`,
    `acl Safe_ports port 80 ${allowed.join(' ')}`,
    'acl CONNECT method CONNECT',
    'http_access deny !Safe_ports',
    'http_access deny CONNECT !SSL_ports',
    'http_access deny !localhost_src',
    // A policy that forbids WebSockets: bumped upgrade requests on this port get 403.
    'acl ws_deny_port myportname ws_deny',
    'acl ws_upgrade req_header Upgrade -i websocket',
    'http_access deny ws_deny_port ws_upgrade',
    'http_access allow authed',
    'http_access deny all',
    `sslcrtd_program /usr/lib/squid/security_file_certgen -s ${dir}/ssl_db -M 4MB`,
    'sslcrtd_children 3 startup=1 idle=1',
    'acl step1 at_step SslBump1',
    'acl step2 at_step SslBump2',
    'ssl_bump peek step1',
    'ssl_bump stare step2',
    'ssl_bump bump all',
    // Squid strips Upgrade unless allowed; the token is case-sensitive ("websocket").
    'acl bump_ws_port myportname bump_ws',
    // ACLs on one line are ANDed; any-of makes "either port".
    'acl ws_ports any-of bump_ws_port ws_deny_port',
    'http_upgrade_request_protocols websocket allow ws_ports',
    `tls_outgoing_options cafile=${dir}/origin-ca.pem`,
    // Keep idle client connections long enough for the pooling assertions.
    'client_idle_pconn_timeout 2 minutes',
    '',
  ].join('\n');
}

export async function startProxyRig(o: ProxyRigOptions): Promise<ProxyRig> {
  const want = new Set<RigComponent>(o.components ?? ['squid', 'tinyproxy', 'stalled']);
  const dir = mkdtempSync(join(tmpdir(), 'pk-rig-'));
  const children: ChildProcess[] = [];
  const stalledSockets = new Set<Socket>();
  let stalledServer: Server | undefined;
  const [tunnel, bump, bumpWs, wsDeny, tiny, dead] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const url = (p: number) => `http://127.0.0.1:${p}`;

  // If the test process dies without running its after() hooks, do not leave proxies behind.
  const onExit = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', onExit);

  const stop = async () => {
    process.off('exit', onExit);
    await Promise.all([
      ...children.map((c, i) => stopChild(c, i === 0 && want.has('squid') ? 'SIGINT' : 'SIGTERM')),
      new Promise<void>((resolve) => {
        for (const s of stalledSockets) s.destroy();
        if (stalledServer) stalledServer.close(() => resolve());
        else resolve();
      }),
    ]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    if (want.has('squid')) {
      run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/O=Proxytest Corp/CN=Proxytest Corporate Inspection CA',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
        '-keyout', join(dir, 'bump-ca.key'), '-out', join(dir, 'bump-ca.pem')]);
      copyFileSync(o.originCaPath, join(dir, 'origin-ca.pem'));
      run('htpasswd', ['-bc', join(dir, 'htpasswd'), SQUID_USER.username, SQUID_USER.password]);
      run('/usr/lib/squid/security_file_certgen', ['-c', '-s', join(dir, 'ssl_db'), '-M', '4MB']);
      writeFileSync(join(dir, 'squid.conf'), squidConf(dir, { tunnel, bump, bumpWs, wsDeny }, o.allowedPorts));
      if (isRoot) chownRecursive(dir, 'proxy');
      run('squid', ['-k', 'parse', '-f', join(dir, 'squid.conf')]);
      const squid = spawn('squid', ['-N', '-f', join(dir, 'squid.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
      squid.stderr?.resume();
      children.push(squid);
      await Promise.all([tunnel, bump, bumpWs, wsDeny].map((p) => waitForPort(p, squid, 'squid')));
    }
    if (want.has('tinyproxy')) {
      mkdirSync(join(dir, 'tinyproxy'), { recursive: true });
      writeFileSync(join(dir, 'tinyproxy', 'tinyproxy.conf'), [
        `Port ${tiny}`, 'Listen 127.0.0.1', 'Timeout 60', 'LogLevel Warning', 'MaxClients 200', 'Allow 127.0.0.1',
        `BasicAuth ${TINYPROXY_USER.username} ${TINYPROXY_USER.password}`,
        ...o.allowedPorts.map((p) => `ConnectPort ${p}`),
        ...(isRoot ? ['User nobody', 'Group nogroup'] : []), '',
      ].join('\n'));
      const tp = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy', 'tinyproxy.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
      tp.stderr?.resume();
      children.push(tp);
      await waitForPort(tiny, tp, 'tinyproxy');
    }
    if (want.has('stalled')) {
      stalledServer = createServer((s) => {
        stalledSockets.add(s);
        s.on('error', () => {});
        s.on('close', () => stalledSockets.delete(s));
      });
      await new Promise<void>((resolve) => stalledServer?.listen(0, '127.0.0.1', resolve));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const stalledPort = stalledServer ? (stalledServer.address() as { port: number }).port : 0;
  return {
    dir,
    squidTunnel: url(tunnel),
    squidBump: url(bump),
    squidBumpWs: url(bumpWs),
    squidWsDeny: url(wsDeny),
    tinyproxy: url(tiny),
    stalled: url(stalledPort),
    dead: url(dead),
    bumpCaPath: join(dir, 'bump-ca.pem'),
    squidUser: SQUID_USER,
    tinyproxyUser: TINYPROXY_USER,
    squidConnects: () => {
      let text = '';
      try {
        text = readFileSync(join(dir, 'access.log'), 'utf8');
      } catch {
        return [];
      }
      // native format: time elapsed client code/status bytes method URL user hierarchy type
      return text.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f[5] === 'CONNECT').map((f) => {
        const [target = '', port = ''] = (f[6] ?? '').split(/:(?=\d+$)/);
        return { status: Number((f[3] ?? '').split('/')[1]), target, port };
      });
    },
    stop,
  };
}

function chownRecursive(path: string, user: string): void {
  const id = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (id.status !== 0) return;
  const uid = Number(id.stdout.trim());
  const g = Number(gid.stdout.trim());
  spawnSync('chown', ['-R', `${uid}:${g}`, path]);
  chownSync(path, uid, g);
}
