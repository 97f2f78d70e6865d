import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  backoffDelay, decideRetry, idempotentPolicy, NO_RETRY, oauthPolicy, parseRetryAfter, type Outcome, type RetryPolicy,
} from '../../main/net/retry-policy.ts';

const NOW = Date.UTC(2026, 0, 5, 8, 0, 0);

test('Retry-After: delta-seconds and HTTP-date, relative to now; junk is ignored', () => {
  assert.equal(parseRetryAfter('42', NOW), 42_000);
  assert.equal(parseRetryAfter(['7', '9'], NOW), 7_000);
  assert.equal(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW), 30_000);
  assert.equal(parseRetryAfter('Mon, 05 Jan 2026 07:59:00 GMT', NOW), 0, 'a date in the past means now');
  assert.equal(parseRetryAfter('1.5', NOW), 1_500);
  assert.equal(parseRetryAfter('soon', NOW), undefined);
  assert.equal(parseRetryAfter(undefined, NOW), undefined);
});

test('full-jitter backoff grows from 2 s to a 30 s cap and never exceeds it', () => {
  const p = idempotentPolicy();
  const caps = [1, 2, 3, 4, 5, 6, 9].map((a) => backoffDelay(a, p, () => 0.999999));
  assert.deepEqual(caps.map((c) => Math.round(c / 1000)), [2, 4, 8, 16, 30, 30, 30]);
  assert.equal(backoffDelay(3, p, () => 0), 0, 'full jitter reaches down to zero');
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(1 + (i % 8), p, Math.random);
    assert.ok(d >= 0 && d <= 30_000);
  }
});

const decide = (policy: RetryPolicy, method: string, attempt: number, outcome: Outcome, remainingMs = 120_000) =>
  decideRetry({ policy, method, attempt, outcome, remainingMs, random: () => 0.5 });

test('idempotent requests retry 408, 429, 500, 502, 503, 504 and connection resets', () => {
  const p = idempotentPolicy();
  for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(decide(p, 'GET', 1, { kind: 'response', status }).retry, true, String(status));
  for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']) assert.equal(decide(p, 'PUT', 1, { kind: 'error', code }).retry, true, code);
});

test('401, 403, 407, 409 and TLS/proxy failures are never retried; POST and PATCH are not retried', () => {
  const p = idempotentPolicy();
  for (const status of [400, 401, 403, 404, 407, 409, 412, 501]) assert.equal(decide(p, 'GET', 1, { kind: 'response', status }).retry, false, String(status));
  for (const code of ['TlsUntrusted', 'TlsHostnameMismatch', 'ProxyAuthRequired', 'ProxyRefusedConnect', 'SELF_SIGNED_CERT_IN_CHAIN', 'Timeout']) {
    assert.equal(decide(p, 'GET', 1, { kind: 'error', code }).retry, false, code);
  }
  assert.equal(decide(p, 'POST', 1, { kind: 'response', status: 503 }).retry, false);
  assert.match(decide(p, 'PATCH', 1, { kind: 'response', status: 503 }).reason, /not idempotent/);
});

test('Retry-After wins over backoff, up to a cap and the operation deadline', () => {
  const p = idempotentPolicy();
  assert.deepEqual(decide(p, 'GET', 1, { kind: 'response', status: 429, retryAfterMs: 7_000 }), { retry: true, delayMs: 7_000, reason: 'HTTP 429, Retry-After 7000 ms' });
  const tooLong = decide(p, 'GET', 1, { kind: 'response', status: 429, retryAfterMs: 200_000 });
  assert.equal(tooLong.retry, false);
  assert.equal(!tooLong.retry && tooLong.retryAfterMs, 200_000);
  assert.equal(decide(p, 'GET', 1, { kind: 'response', status: 503, retryAfterMs: 10_000 }, 5_000).retry, false);
  assert.equal(decide(p, 'GET', 1, { kind: 'response', status: 503 }, 100).retry, false, 'backoff past the deadline');
});

test('attempts stop at maxAttempts (5 by default)', () => {
  const p = idempotentPolicy();
  assert.equal(decide(p, 'GET', 4, { kind: 'response', status: 503 }).retry, true);
  const last = decide(p, 'GET', 5, { kind: 'response', status: 503 });
  assert.equal(last.retry, false);
  assert.match(last.reason, /gave up after 5 attempts/);
});

test('the OAuth token POST has its own explicit policy; "none" never retries', () => {
  const o = oauthPolicy();
  assert.equal(o.maxAttempts, 3);
  assert.equal(decide(o, 'POST', 1, { kind: 'response', status: 503 }).retry, true);
  assert.equal(decide(o, 'POST', 1, { kind: 'error', code: 'ECONNRESET' }).retry, true);
  assert.equal(decide(o, 'POST', 1, { kind: 'response', status: 401 }).retry, false);
  assert.equal(decide(o, 'POST', 1, { kind: 'response', status: 400 }).retry, false);
  assert.equal(decide(o, 'POST', 3, { kind: 'response', status: 503 }).retry, false);
  assert.equal(decide(NO_RETRY, 'GET', 1, { kind: 'response', status: 503 }).retry, false);
});
