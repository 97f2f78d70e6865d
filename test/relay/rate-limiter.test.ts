import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StrikeCounter } from '../../main/relay/rate-limiter.ts';
import { TokenBucket } from '../../main/util/token-bucket.ts';

test('a token bucket allows the burst, then the sustained rate', () => {
  const b = new TokenBucket({ perSecond: 10, burst: 5 }, 0);
  for (let i = 0; i < 5; i++) assert.equal(b.take(0), true, `burst ${i}`);
  assert.equal(b.take(0), false);
  assert.equal(b.take(99), false, '0.99 tokens refilled is not enough');
  assert.equal(b.take(100), true, 'one token after 100 ms at 10/s');
  assert.equal(b.take(100), false);
  // A long pause refills to the burst, never beyond it.
  assert.equal(b.take(60_000), true);
  assert.equal(b.available, 4);
});

test('time going backwards does not mint tokens', () => {
  const b = new TokenBucket({ perSecond: 1, burst: 1 }, 1000);
  assert.equal(b.take(1000), true);
  assert.equal(b.take(0), false);
});

test('bad limits are refused', () => {
  assert.throws(() => new TokenBucket({ perSecond: 0, burst: 1 }, 0), RangeError);
  assert.throws(() => new TokenBucket({ perSecond: 1, burst: 0 }, 0), RangeError);
});

test('strikes close a client only when they pile up inside the window', () => {
  const s = new StrikeCounter(3, 1000);
  assert.equal(s.record(0), false);
  assert.equal(s.record(500), false);
  assert.equal(s.record(1600), false, 'the first two strikes expired');
  assert.equal(s.record(1700), false);
  assert.equal(s.record(1800), true, 'three inside one window');
});
