// TLS policy of the net layer against real servers: TLS 1.2 is the floor (an `openssl s_server`
// that offers only TLS 1.1 is refused, the same server at TLS 1.2 is accepted), and there is no
// way to turn verification off, not even NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSandboxPki } from '../../main/sim/tls/certificates.ts';
import { TlsFailed, TlsUntrusted } from '../../main/net/index.ts';
import { freePort } from '../helpers/proxy-rig.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { MapSecrets, netFor, outcome, startFixture, type Fixture } from './support/fixtures.ts';

const skip = skipUnlessTools(TOOLS.openssl);
const dir = mkdtempSync(join(tmpdir(), 'pk-tls-policy-'));
const children: ChildProcess[] = [];
let fx: Fixture;

/** `openssl s_server -www` on loopback speaking exactly one TLS version; resolves with its URL. */
async function sServer(version: 'tls1_1' | 'tls1_2'): Promise<string> {
  const port = await freePort();
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem'), `-${version}`, '-cipher', 'DEFAULT:@SECLEVEL=0', '-www', '-quiet'], { stdio: 'ignore' });
  children.push(child);
  for (const until = Date.now() + 10_000; Date.now() < until;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (up) return `https://localhost:${port}/`;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`openssl s_server -${version} did not listen`);
}

describe('TLS policy', { skip }, () => {
  before(async () => {
    const pki = createSandboxPki();
    writeFileSync(join(dir, 'ca.pem'), pki.ca.certPem);
    writeFileSync(join(dir, 'cert.pem'), pki.server.certPem);
    writeFileSync(join(dir, 'key.pem'), pki.server.keyPem);
    fx = await startFixture({ rig: false });
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await fx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a server that offers only TLS 1.1 is refused with TlsFailed; the same server at TLS 1.2 works', async () => {
    const net = await netFor({ caPaths: [join(dir, 'ca.pem')], secrets: new MapSecrets(), extra: { retry: { maxAttempts: 1 } } });
    try {
      const url11 = await sServer('tls1_1');
      const old = await outcome(() => net.request({ url: url11 }));
      assert.ok(old.error instanceof TlsFailed, `expected TlsFailed, got ${String(old.error)}`);
      assert.equal(old.error.hop, 'tls');
      assert.match(old.error.fix, /TLS 1\.2 or newer/);
      const ok = await net.request({ url: await sServer('tls1_2') });
      assert.equal(ok.status, 200);
      assert.match(ok.text(), /TLSv1\.2/);
    } finally {
      await net.close();
    }
  });

  test('NODE_TLS_REJECT_UNAUTHORIZED=0 does not turn verification off', async () => {
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    // Without the simulator's CA: the HTTPS simulator must still be untrusted.
    const net = await netFor({ caPaths: [], secrets: new MapSecrets(), env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } });
    try {
      const r = await outcome(() => net.request({ url: `${fx.sim.url}/api/v2/outbound/campaigns` }));
      assert.ok(r.error instanceof TlsUntrusted, `expected TlsUntrusted, got ${String(r.error)}`);
      assert.equal(r.error.hop, 'tls');
    } finally {
      await net.close();
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
    }
  });
});
