import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TelemetryError } from '../../main/telemetry/errors.ts';
import { batchLines, Spool, type SpoolOptions } from '../../main/telemetry/spool.ts';
import { createMemoryLogger } from '../../main/util/log.ts';
import { tempDir } from './fixture.ts';

const lines = (from: number, n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix},k=v f=${from + i}i ${from + i}`);
const segmentFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.spool')).sort();

/** Leaves a stopped spool in `dir` holding lines(0, n), the first `acked` of them acknowledged. */
async function stoppedSpool(dir: string, n: number, acked = 0): Promise<void> {
  const s = await Spool.open({ dir, maxBytes: 1 << 20 });
  await s.append(lines(0, n));
  if (acked) await s.ack(await s.peek(acked));
  await s.close();
}

async function drain(s: Spool, batch = 1000): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const b = await s.peek(batch);
    if (b.records.count === 0) return out;
    out.push(...batchLines(b));
    await s.ack(b);
  }
  throw new Error('drain did not finish');
}

test('appends come back in order across segments; acknowledged segments are deleted', async (t) => {
  const dir = tempDir(t);
  const s = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 512 });
  const written = lines(0, 200);
  for (let i = 0; i < written.length; i += 7) await s.append(written.slice(i, i + 7));
  assert.ok(segmentFiles(dir).length > 5, 'small segments roll over');
  assert.equal(s.stats().backlogPoints, 200);

  const first = await s.peek(50);
  assert.deepEqual(batchLines(first), written.slice(0, 50));
  const again = await s.peek(50);
  assert.deepEqual(batchLines(again), batchLines(first), 'unacknowledged records are handed out again');
  await s.ack(first);
  assert.equal(s.stats().backlogPoints, 150);

  assert.deepEqual(await drain(s, 33), written.slice(50));
  assert.equal(s.stats().backlogPoints, 0);
  assert.equal(s.stats().backlogBytes, 0);
  await s.close(); // the cursor is group-committed; closing commits it and trims
  assert.ok(segmentFiles(dir).length <= 1, `only the active segment remains: ${segmentFiles(dir).join(',')}`);
});

test('a reopened spool resends everything not acknowledged, then carries on appending', async (t) => {
  const dir = tempDir(t);
  const a = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1024 });
  await a.append(lines(0, 60));
  const b1 = await a.peek(20);
  await a.ack(b1);
  await a.peek(20); // in flight when the process "dies": not acknowledged
  await a.close();

  const b = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1024 });
  assert.equal(b.stats().backlogPoints, 40);
  await b.append(lines(60, 5));
  assert.deepEqual(await drain(b, 7), lines(20, 45));
  await b.close();
});

test('a torn last record is cut off on open, and the next append starts on a clean line', async (t) => {
  const dir = tempDir(t);
  const log = createMemoryLogger();
  await stoppedSpool(dir, 3);
  const seg = join(dir, segmentFiles(dir).at(-1) as string);
  appendFileSync(seg, '1234abcd m,k=v f=99i 9'); // a write cut short: no newline

  const b = await Spool.open({ dir, maxBytes: 1 << 20, log });
  assert.equal(b.stats().backlogPoints, 3);
  assert.equal(b.stats().corruptRecords, 1);
  assert.ok(log.lines.some((l) => l.includes('torn record')));
  await b.append(lines(3, 2));
  assert.deepEqual(await drain(b), lines(0, 5));
  await b.close();
  assert.ok(readFileSync(seg, 'utf8').endsWith('\n'));
});

test('a record whose checksum fails is skipped and counted, not parsed', async (t) => {
  const dir = tempDir(t);
  await stoppedSpool(dir, 5);
  const seg = join(dir, segmentFiles(dir)[0] as string);
  const text = readFileSync(seg, 'utf8').split('\n');
  text[2] = (text[2] as string).replace('f=2i', 'f=7i'); // bit rot in the third record
  text.splice(3, 0, '\u0000\u0000\u0000 garbage'); // and a zero-filled block with a newline after it
  writeFileSync(seg, text.join('\n'));

  const b = await Spool.open({ dir, maxBytes: 1 << 20 });
  assert.equal(b.stats().corruptRecords, 2);
  assert.equal(b.stats().backlogPoints, 4);
  assert.deepEqual(await drain(b), [...lines(0, 2), ...lines(3, 2)]);
  await b.close();
});

test('at the size cap the oldest points are dropped, with a warning, and the count survives a restart', async (t) => {
  const dir = tempDir(t);
  const log = createMemoryLogger();
  const drops: number[] = [];
  const opts: SpoolOptions = { dir, maxBytes: 4096, segmentBytes: 1024, log, onDrop: (n) => drops.push(n) };
  const s = await Spool.open(opts);
  const written = lines(0, 400);
  for (const l of written) await s.append([l]);
  const st = s.stats();
  assert.ok(st.backlogBytes <= 4096, `backlog ${st.backlogBytes} within the cap`);
  assert.ok(st.diskBytes <= 4096 + 1024, `disk ${st.diskBytes} within cap + one segment`);
  assert.equal(st.droppedPoints + st.backlogPoints, 400);
  assert.equal(drops.reduce((a, b) => a + b, 0), st.droppedPoints);
  assert.ok(log.lines.some((l) => JSON.parse(l).level === 'warn' && l.includes('dropped the oldest')));
  await s.close();

  const r = await Spool.open(opts);
  assert.equal(r.stats().droppedPoints, st.droppedPoints);
  const kept = await drain(r);
  assert.deepEqual(kept, written.slice(400 - kept.length), 'the newest points are kept, in order');
  await r.close();
});

test('points dropped while their batch was in flight are not counted as lost when the batch is delivered', async (t) => {
  const dir = tempDir(t);
  const s = await Spool.open({ dir, maxBytes: 2048, segmentBytes: 1024 });
  await s.append(lines(0, 80)); // about 1,900 bytes of records
  const inflight = await s.peek(10);
  await s.append(lines(80, 40)); // pushes the in-flight records over the cap
  assert.ok(s.stats().droppedPoints >= 10);
  const before = s.stats().droppedPoints;
  await s.ack(inflight);
  assert.equal(s.stats().droppedPoints, before - 10);
  const rest = await drain(s);
  assert.deepEqual(rest, lines(120 - rest.length, rest.length));
  await s.close();
});

test('an unreadable cursor file means resending from the oldest segment, not losing data', async (t) => {
  const dir = tempDir(t);
  const log = createMemoryLogger();
  await stoppedSpool(dir, 10, 4);
  writeFileSync(join(dir, 'cursor.json'), '{"segment": "x"');
  const b = await Spool.open({ dir, maxBytes: 1 << 20, log });
  assert.ok(log.lines.some((l) => l.includes('cursor file unreadable')));
  assert.deepEqual(await drain(b), lines(0, 10));
  await b.close();
});

test('model check: any interleaving of append, pipelined peeks, in-order acks, release and reopen keeps FIFO order with nothing lost', async (t) => {
  const root = tempDir(t);
  let run = 0;
  type Op = { op: 'append'; n: number } | { op: 'peek'; n: number } | { op: 'ack' } | { op: 'release' } | { op: 'reopen' };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('append' as const), n: fc.integer({ min: 1, max: 9 }) }),
    fc.record({ op: fc.constant('peek' as const), n: fc.integer({ min: 1, max: 12 }) }),
    fc.constant({ op: 'ack' as const }),
    fc.constant({ op: 'release' as const }),
    fc.constant({ op: 'reopen' as const }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
      const dir = join(root, `run-${run++}`);
      const opts = { dir, maxBytes: 1 << 20, segmentBytes: 256 };
      let s = await Spool.open(opts);
      const model: string[] = [];
      let next = 0;
      // Batches handed out and not yet acknowledged, oldest first (as the writer pipelines them).
      let outstanding: Awaited<ReturnType<Spool['peek']>>[] = [];
      try {
        for (const o of ops) {
          const handedOut = outstanding.reduce((n, b) => n + b.records.count, 0);
          if (o.op === 'append') {
            const ls = lines(next, o.n);
            next += o.n;
            await s.append(ls);
            model.push(...ls);
          } else if (o.op === 'peek') {
            const batch = await s.peek(o.n, undefined, outstanding.at(-1)?.end);
            assert.deepEqual(batchLines(batch), model.slice(handedOut, handedOut + o.n));
            if (batch.records.count) outstanding.push(batch);
          } else if (o.op === 'ack' && outstanding.length) {
            const batch = outstanding.shift() as (typeof outstanding)[number];
            await s.ack(batch);
            model.splice(0, batch.records.count);
          } else if (o.op === 'release') {
            s.release();
            outstanding = [];
          } else if (o.op === 'reopen') {
            await s.close();
            s = await Spool.open(opts);
            outstanding = [];
          }
          assert.equal(s.stats().backlogPoints, model.length);
        }
        assert.deepEqual(await drain(s, 5), model);
      } finally {
        await s.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 80 },
  );
});

test('one process per spool folder: a live owner is refused, a dead owner\'s lock is taken over', async (t) => {
  const dir = tempDir(t);
  const inUse = (e: unknown) => e instanceof TelemetryError && e.code === 'TELEMETRY_SPOOL' && /in use|already open/.test(e.message) && e.fix.length > 0;

  const a = await Spool.open({ dir, maxBytes: 1 << 20 });
  await assert.rejects(Spool.open({ dir, maxBytes: 1 << 20 }), inUse, 'a second spool in the same process');
  await a.close();
  assert.equal(existsSync(join(dir, 'spool.lock')), false, 'closing releases the lock');

  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  t.after(() => other.kill('SIGKILL'));
  writeFileSync(join(dir, 'spool.lock'), String(other.pid));
  await assert.rejects(Spool.open({ dir, maxBytes: 1 << 20 }), inUse, 'another live process');
  other.kill('SIGKILL');
  await new Promise((r) => other.once('exit', r));
  const b = await Spool.open({ dir, maxBytes: 1 << 20 });
  assert.equal(readFileSync(join(dir, 'spool.lock'), 'utf8'), String(process.pid));
  await b.close();
});
