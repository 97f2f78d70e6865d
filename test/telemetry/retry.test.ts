// Retry behaviour against a loopback HTTP endpoint that answers as a struggling database would
// (503 with Retry-After, 429, 413): the net layer retries within a call, the writer backs off
// between calls, and the points are delivered once the endpoint recovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { openTestWriter, waitFor, type TestContextLike } from './fixture.ts';

interface Seen {
  at: number;
  lines: string[];
}

/** An endpoint whose answer to the n-th request (0-based) is `script(n, lines)`; it records what arrived. */
async function scriptedEndpoint(t: TestContextLike, script: (n: number, lines: string[]) => { status: number; headers?: Record<string, string>; body?: string }) {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const lines = body.toString('utf8').split('\n').filter(Boolean);
      const answer = script(seen.length, lines);
      seen.push({ at: Date.now(), lines });
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

const v2 = (url: string, extra: Record<string, unknown> = {}) => ({ version: 'v2' as const, url, org: 'o', bucket: 'b', ...extra });
const point = (i: number) => ({ measurement: 'm', fields: { seq: i }, timeNs: BigInt(1_000 + i) });

test('503 with Retry-After: the net layer waits as told, the writer backs off past its attempts, nothing is lost', async (t) => {
  const ep = await scriptedEndpoint(t, (n) => (n < 4 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 204 }));
  // The net layer's circuit breaker opens after 3 server errors; keep its pause short for the test.
  const w = await openTestWriter(t, { config: v2(ep.url), netConfig: { proxy: { mode: 'direct' }, breaker: { openMs: 1_000 } } });
  for (let i = 0; i < 3; i++) await w.writer.write(point(i));
  const h = await waitFor('a failed attempt', () => (w.writer.health().state === 'retrying' ? w.writer.health() : undefined), 15_000);
  assert.equal(h.lastError?.code, 'TELEMETRY_SERVER');
  assert.equal(h.lastError?.status, 503);
  assert.equal(ep.seen.length, 3, 'the net layer tried three times in the first call');
  assert.ok((ep.seen[1]?.at ?? 0) - (ep.seen[0]?.at ?? 0) >= 900, 'Retry-After: 1 was honoured between attempts');
  await waitFor('delivery', () => w.writer.health().backlogPoints === 0 && w.writer.health().state === 'idle', 20_000);
  const last = ep.seen.at(-1);
  assert.deepEqual(last?.lines, ['m seq=0 1000', 'm seq=1 1001', 'm seq=2 1002']);
  assert.equal(w.writer.health().failures, 0);
});

test('429 is not a data error: the points are kept and sent again', async (t) => {
  const ep = await scriptedEndpoint(t, (n) => (n < 3 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 204 }));
  const w = await openTestWriter(t, { config: v2(ep.url) });
  await w.writer.write(point(1));
  await waitFor('delivery', () => w.writer.health().backlogPoints === 0 && w.writer.health().sentPoints === 1, 20_000);
  assert.equal(w.writer.health().rejectedPoints, 0);
  assert.ok(ep.seen.length >= 4);
});

test('413: the batch is split until each part fits, in order', async (t) => {
  // The endpoint takes at most 3 lines per request.
  const ep = await scriptedEndpoint(t, (_n, lines) => (lines.length > 3 ? { status: 413, body: 'request entity too large' } : { status: 204 }));
  const w = await openTestWriter(t, { config: v2(ep.url, { gzip: true }) });
  for (let i = 0; i < 10; i++) await w.writer.write(point(i));
  assert.equal(await w.writer.flush(), true, JSON.stringify(w.writer.health().lastError));
  const delivered = ep.seen.filter((s) => s.lines.length <= 3).flatMap((s) => s.lines);
  assert.deepEqual(delivered, Array.from({ length: 10 }, (_, i) => `m seq=${i} ${1000 + i}`));
  assert.equal(w.writer.health().rejectedPoints, 0);
});

test('a 400 that is not about the points halts instead of setting good points aside', async (t) => {
  const ep = await scriptedEndpoint(t, () => ({ status: 400, headers: { 'content-type': 'application/json' }, body: '{"code":"invalid","message":"organization name \\"o\\" not found"}' }));
  const w = await openTestWriter(t, { config: v2(ep.url) });
  for (let i = 0; i < 4; i++) await w.writer.write(point(i));
  assert.equal(await w.writer.flush(), false);
  const h = w.writer.health();
  assert.equal(h.state, 'halted');
  assert.equal(h.lastError?.code, 'TELEMETRY_REJECTED');
  assert.match(h.lastError?.message ?? '', /organization name "o" not found/);
  assert.equal(h.rejectedPoints, 0);
  assert.equal(h.backlogPoints, 4);
  assert.equal(ep.seen.length, 1, 'no split, no retry');
});
