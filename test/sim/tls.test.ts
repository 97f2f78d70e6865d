// The hand-written DER encoder and the generated sandbox PKI, checked against node's own X.509
// parser and real TLS handshakes (HTTPS and WSS) that trust only the generated CA.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import * as der from '../../main/sim/tls/der.ts';
import { createSandboxPki } from '../../main/sim/tls/certificates.ts';
import { startSimulator } from '../../main/sim/index.ts';
import { ManualClock } from '../../main/util/clock.ts';
import { call, getToken, openSocket, startHarness, type Harness } from './sim-helpers.ts';

describe('DER encoder', () => {
  test('lengths use the short form below 128 and the long form above', () => {
    assert.deepEqual([...der.octetString(Buffer.alloc(3))], [0x04, 0x03, 0, 0, 0]);
    assert.deepEqual([...der.octetString(Buffer.alloc(200)).subarray(0, 3)], [0x04, 0x81, 200]);
    assert.deepEqual([...der.octetString(Buffer.alloc(300)).subarray(0, 4)], [0x04, 0x82, 0x01, 0x2c]);
  });

  test('integers are minimal and padded when the high bit is set', () => {
    assert.deepEqual([...der.integer(0)], [0x02, 0x01, 0x00]);
    assert.deepEqual([...der.integer(127)], [0x02, 0x01, 0x7f]);
    assert.deepEqual([...der.integer(128)], [0x02, 0x02, 0x00, 0x80]);
    assert.deepEqual([...der.integer(65537)], [0x02, 0x03, 0x01, 0x00, 0x01]);
    assert.deepEqual([...der.integer(Buffer.from([0, 0, 0x05]))], [0x02, 0x01, 0x05]);
    assert.deepEqual([...der.integer(Buffer.from([0xff]))], [0x02, 0x02, 0x00, 0xff]);
    assert.throws(() => der.integer(-1), RangeError);
  });

  test('OIDs encode as in X.690 (known vectors)', () => {
    assert.equal(der.oid('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
    assert.equal(der.oid('2.5.29.17').toString('hex'), '0603551d11');
    assert.equal(der.oid('1.3.6.1.5.5.7.3.1').toString('hex'), '06082b06010505070301');
    assert.throws(() => der.oid('3.1'), RangeError);
    assert.throws(() => der.oid('1.x'), RangeError);
  });

  test('times switch from UTCTime to GeneralizedTime in 2050', () => {
    assert.equal(der.time(new Date('2026-01-05T08:00:00Z')).toString('latin1'), '\x17\x0d260105080000Z');
    assert.equal(der.time(new Date('2051-02-03T04:05:06Z')).toString('latin1'), '\x18\x0f20510203040506Z');
  });

  test('booleans, bit strings, null and explicit tags', () => {
    assert.deepEqual([...der.boolean(true)], [0x01, 0x01, 0xff]);
    assert.deepEqual([...der.bitString(Buffer.from([0x80]), 7)], [0x03, 0x02, 0x07, 0x80]);
    assert.deepEqual([...der.nullValue()], [0x05, 0x00]);
    assert.deepEqual([...der.explicit(3, der.nullValue())], [0xa3, 0x02, 0x05, 0x00]);
    assert.throws(() => der.bitString(Buffer.alloc(1), 8), RangeError);
  });
});

describe('sandbox PKI', () => {
  test('a CA and a localhost server certificate that node parses and verifies', () => {
    const now = Date.UTC(2026, 0, 5, 8);
    const pki = createSandboxPki({ nowMs: now });
    const ca = new X509Certificate(pki.ca.certPem);
    const leaf = new X509Certificate(pki.server.certPem);
    assert.equal(ca.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(ca.verify(ca.publicKey), 'the CA is self-signed');
    assert.ok(leaf.verify(ca.publicKey), 'the leaf is signed by the CA');
    assert.ok(leaf.checkIssued(ca));
    assert.equal(leaf.checkHost('localhost'), 'localhost');
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(leaf.checkIP('::1'), '::1');
    assert.equal(leaf.checkHost('example.com'), undefined);
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(Date.parse(leaf.validFrom), now - 3_600_000);
    assert.equal(Date.parse(leaf.validTo), now + 397 * 86_400_000);
    assert.notEqual(ca.serialNumber, leaf.serialNumber);
    assert.match(pki.server.keyPem, /BEGIN PRIVATE KEY/);
  });
});

describe('simulator over HTTPS', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ https: true });
  });
  after(() => h.close());

  test('serves https://localhost with a CA written to a PEM file', async () => {
    assert.match(h.sim.url, /^https:\/\/localhost:\d+$/);
    assert.ok(h.sim.caPem && existsSync(h.sim.caPem));
    assert.equal(readFileSync(h.sim.caPem!, 'utf8'), h.sim.caCert);
    const token = await getToken(h);
    assert.equal((await call(h, 'GET', '/api/v2/outbound/campaigns', { token })).status, 200);
  });

  test('a client that does not trust the CA is refused by its own TLS check', async () => {
    const untrusting = new Agent();
    try {
      await assert.rejects(request(`${h.sim.url}/oauth/token`, { method: 'POST', dispatcher: untrusting }), (e: Error & { code?: string }) =>
        /SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify|self-signed/i.test(`${e.code} ${e.message}`),
      );
    } finally {
      await untrusting.close();
    }
  });

  test('the notification socket is wss:// and trusts the same CA', async () => {
    const token = await getToken(h);
    const ch = (await call(h, 'POST', '/api/v2/notifications/channels', { token })).body;
    assert.match(ch.connectUri, /^wss:\/\/localhost:\d+\/channels\//);
    const tap = await openSocket(h, ch.connectUri);
    tap.ws.send(JSON.stringify({ message: 'ping' }));
    assert.equal((await tap.next((m) => m.eventBody?.message === 'pong')).topicName, 'channel.metadata');
    tap.close();
  });
});

describe('simulator lifecycle', () => {
  test('dataDir receives the CA; a temp dir is removed on close; close is idempotent and ends stalled requests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-sim-test-'));
    try {
      const a = await startSimulator({ https: true, dataDir: dir, clock: new ManualClock() });
      assert.equal(a.caPem, join(dir, 'sandbox-ca.pem'));
      await a.close();
      assert.ok(existsSync(a.caPem!), 'a caller-owned dataDir is left alone');

      const b = await startSimulator({ https: true, clock: new ManualClock() });
      const agent = new Agent({ connect: { ca: b.caCert } });
      b.control.injectFaults({ stallResponses: 1 });
      const stalled = request(`${b.url}/api/v2/outbound/campaigns`, { dispatcher: agent }).then(
        () => 'answered',
        () => 'failed',
      );
      await new Promise((r) => setTimeout(r, 100));
      await Promise.all([b.close(), b.close()]);
      assert.equal(await stalled, 'failed');
      assert.ok(!existsSync(b.caPem!), 'the temp dir is gone');
      await agent.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('closing the simulator closes notification sockets with 1001', async () => {
    const h2 = await startHarness();
    try {
      const token = await getToken(h2);
      const ch = (await call(h2, 'POST', '/api/v2/notifications/channels', { token })).body;
      const tap = await openSocket(h2, ch.connectUri);
      await h2.sim.close();
      assert.equal((await tap.closed).code, 1001);
    } finally {
      await h2.close();
    }
  });

  test('bad options are refused before anything starts', async () => {
    await assert.rejects(startSimulator({ port: 70_000 }), RangeError);
    await assert.rejects(startSimulator({ speed: 0 }), RangeError);
    await assert.rejects(startSimulator({ rateLimitPerMinute: 0 }), RangeError);
    await assert.rejects(startSimulator({ clientId: 'a:b' }), RangeError);
    await assert.rejects(startSimulator({ limits: { heartbeatMs: -1 } }), RangeError);
    await assert.rejects(startSimulator({ campaigns: [{ dialingMode: 'turbo' as 'power' }] }), /dialingMode/);
  });

  test('a busy port is reported as an error', async () => {
    const a = await startSimulator({ clock: new ManualClock() });
    try {
      const port = Number(new URL(a.url).port);
      await assert.rejects(startSimulator({ port, clock: new ManualClock() }), /EADDRINUSE/);
    } finally {
      await a.close();
    }
  });
});
