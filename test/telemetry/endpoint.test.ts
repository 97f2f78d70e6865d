import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTelemetryConfig } from '../../main/telemetry/config.ts';
import { endpointTarget, writeEndpoint } from '../../main/telemetry/endpoint.ts';
import { classifyWriteFailure, TelemetryError } from '../../main/telemetry/errors.ts';

test('config defaults are documented values and v2 needs org and bucket, v1 a database', () => {
  const c = parseTelemetryConfig({ org: 'o', bucket: 'b' });
  assert.deepEqual(
    { version: c.version, batchSize: c.batchSize, flushIntervalMs: c.flushIntervalMs, gzip: c.gzip, spoolMaxBytes: c.spoolMaxBytes, enabled: c.enabled },
    { version: 'v2', batchSize: 5000, flushIntervalMs: 10_000, gzip: true, spoolMaxBytes: 64 * 1024 * 1024, enabled: false },
  );
  const fails = (input: unknown, field: RegExp) => assert.throws(() => parseTelemetryConfig(input), (e: unknown) => {
    assert.ok(e instanceof TelemetryError);
    assert.equal(e.code, 'TELEMETRY_CONFIG');
    assert.match(e.message, field);
    assert.ok(e.fix.length > 10);
    return true;
  });
  fails({ bucket: 'b' }, /influx\.org/);
  fails({ org: 'o' }, /influx\.bucket/);
  fails({ version: 'v1' }, /influx\.db/);
  fails({ version: 'v1', db: 'd', url: 'ftp://x' }, /influx\.url/);
  fails({ version: 'v1', db: 'd', url: 'not a url' }, /influx\.url/);
  fails({ version: 'v1', db: 'd', url: 'http://x:8086/?db=other' }, /influx\.url/);
  fails({ version: 'v1', db: 'd', username: 'a:b' }, /influx\.username/);
  fails({ version: 'v1', db: 'd', batchSize: 0 }, /batchSize/);
  fails({ version: 'v3' }, /version/);
});

test('a password typed into the URL is refused and never echoed', () => {
  const secret = 'hunter2-in-url';
  assert.throws(() => parseTelemetryConfig({ version: 'v1', db: 'd', url: `http://admin:${secret}@db:8086` }), (e: unknown) => {
    assert.ok(e instanceof TelemetryError);
    assert.ok(!e.message.includes(secret) && !e.fix.includes(secret));
    assert.match(e.fix, /keychain/);
    return true;
  });
});

test('v2 endpoint: /api/v2/write with org and bucket URL-encoded, precision=ns and a Token header', () => {
  const c = parseTelemetryConfig({ url: 'https://tsdb.example/influx/', org: 'Ops & Co/EU', bucket: 'drift=pacing ü', gzip: true });
  const ep = writeEndpoint(c, 'tok+/=');
  assert.equal(ep.url, 'https://tsdb.example/influx/api/v2/write?org=Ops+%26+Co%2FEU&bucket=drift%3Dpacing+%C3%BC&precision=ns');
  assert.equal(ep.target, 'https://tsdb.example/influx/api/v2/write');
  assert.equal(endpointTarget(c), ep.target);
  assert.equal(ep.headers.authorization, 'Token tok+/=');
  assert.equal(ep.headers['content-encoding'], 'gzip');
  assert.equal(writeEndpoint(c, undefined).headers.authorization, undefined, 'no token (VictoriaMetrics): no header');
  const back = new URL(ep.url).searchParams;
  assert.deepEqual([back.get('org'), back.get('bucket')], ['Ops & Co/EU', 'drift=pacing ü']);
});

test('v1 endpoint: /write with db, rp only when set, and Basic credentials out of the query string', () => {
  const c = parseTelemetryConfig({ version: 'v1', url: 'http://127.0.0.1:8086', db: 'pace keeper', rp: 'two weeks', username: 'ops', gzip: false });
  const ep = writeEndpoint(c, 'pä55');
  assert.equal(ep.url, 'http://127.0.0.1:8086/write?db=pace+keeper&rp=two+weeks&precision=ns');
  assert.equal(ep.headers.authorization, `Basic ${Buffer.from('ops:pä55').toString('base64')}`);
  assert.ok(!decodeURIComponent(ep.url).includes('pä55'));
  assert.deepEqual([...new URL(ep.url).searchParams.keys()], ['db', 'rp', 'precision']);
  assert.equal(ep.headers['content-encoding'], undefined);
  const noRp = writeEndpoint(parseTelemetryConfig({ version: 'v1', db: 'd' }), undefined);
  assert.equal(new URL(noRp.url).searchParams.has('rp'), false);
  assert.equal(noRp.headers.authorization, undefined);
  assert.throws(() => writeEndpoint(c, undefined), (e: unknown) => e instanceof TelemetryError && e.code === 'TELEMETRY_SECRET_MISSING');
});

test('write failures map to errors and actions: 4xx never retried blindly, 5xx and 429 retried', () => {
  const f = (status: number, detail = '', version: 'v1' | 'v2' = 'v2') => classifyWriteFailure({ status, target: 'http://db/api/v2/write', detail }, version);
  assert.deepEqual([f(401).action, f(401).error.code], ['halt', 'TELEMETRY_AUTH']);
  assert.deepEqual([f(403).action, f(403).error.code], ['halt', 'TELEMETRY_AUTH']);
  assert.match(f(401).error.fix, /API token/);
  assert.match(f(401, '', 'v1').error.fix, /influx\.username/);
  assert.deepEqual([f(404).action, f(404).error.code], ['halt', 'TELEMETRY_NOT_FOUND']);
  assert.deepEqual([f(400, 'unable to parse \'x\': invalid field format').action, f(400, 'unable to parse').error.code], ['split', 'TELEMETRY_BAD_DATA']);
  assert.deepEqual([f(400, 'partial write: field type conflict').action], ['split']);
  assert.deepEqual([f(422, 'failed to parse line').action], ['split']);
  // A 400 that is not about the points (bad gzip, missing db) must not set good points aside.
  assert.deepEqual([f(400, 'cannot read gzipped influx line protocol data').action, f(400, 'database name required').error.code], ['halt', 'TELEMETRY_REJECTED']);
  assert.deepEqual([f(413).action, f(413).error.code], ['split', 'TELEMETRY_TOO_LARGE']);
  assert.deepEqual([f(429).action, f(429).error.code], ['retry', 'TELEMETRY_RATE_LIMITED']);
  for (const s of [408, 500, 502, 503, 504]) assert.equal(f(s).action, 'retry', String(s));
  assert.equal(f(405).action, 'halt');
  assert.equal(f(503).error.status, 503);
  assert.match(f(500, 'engine: timeout').error.message, /^POST http:\/\/db\/api\/v2\/write answered 500: engine: timeout$/);
});
