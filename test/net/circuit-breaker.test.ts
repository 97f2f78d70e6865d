import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../main/util/clock.ts';
import { CircuitBreakers } from '../../main/net/circuit-breaker.ts';
import { CircuitOpen } from '../../main/net/errors.ts';

const O = 'https://api.example';

function breakers() {
  const clock = new ManualClock();
  const changes: string[] = [];
  const b = new CircuitBreakers({ failureThreshold: 3, openMs: 60_000, clock, onChange: (_o, s) => changes.push(s) });
  return { clock, b, changes };
}

test('three consecutive 5xx open the circuit; calls then fail fast with CircuitOpen', () => {
  const { b, changes } = breakers();
  b.acquire(O).failure();
  b.acquire(O).failure();
  assert.equal(b.snapshot()[O]?.state, 'closed');
  b.acquire(O).failure();
  assert.equal(b.snapshot()[O]?.state, 'open');
  assert.throws(() => b.acquire(O), (e: unknown) => e instanceof CircuitOpen && e.code === 'CircuitOpen' && /next probe in 60 s/.test(e.message));
  assert.deepEqual(changes, ['open']);
  assert.doesNotThrow(() => b.acquire('https://other.example').success(), 'per origin');
});

test('a success in between resets the count', () => {
  const { b } = breakers();
  b.acquire(O).failure();
  b.acquire(O).failure();
  b.acquire(O).success();
  b.acquire(O).failure();
  b.acquire(O).failure();
  assert.equal(b.snapshot()[O]?.state, 'closed');
});

test('after 60 s one half-open probe goes through; success closes, failure reopens', async () => {
  const { b, clock, changes } = breakers();
  for (let i = 0; i < 3; i++) b.acquire(O).failure();
  await clock.advance(59_999);
  assert.throws(() => b.acquire(O), CircuitOpen);
  await clock.advance(1);
  const probe = b.acquire(O);
  assert.equal(b.snapshot()[O]?.state, 'half-open');
  assert.throws(() => b.acquire(O), CircuitOpen, 'only one probe at a time');
  probe.failure();
  assert.equal(b.snapshot()[O]?.state, 'open');
  assert.equal(b.snapshot()[O]?.opens, 2);
  await clock.advance(60_000);
  b.acquire(O).success();
  assert.equal(b.snapshot()[O]?.state, 'closed');
  assert.deepEqual(changes, ['open', 'half-open', 'open', 'half-open', 'closed']);
});

test('a probe that ends without an answer (aborted, proxy failure) reopens instead of sticking half-open', async () => {
  const { b, clock } = breakers();
  for (let i = 0; i < 3; i++) b.acquire(O).failure();
  await clock.advance(60_000);
  const probe = b.acquire(O);
  probe.neutral();
  probe.success(); // reported twice: ignored
  assert.equal(b.snapshot()[O]?.state, 'open');
});
