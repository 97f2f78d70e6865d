// The relay's defaults are the numbers issue #6 states, and the platform caps cannot be configured away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RelayConfigError, type RelayOptions } from '../../main/relay/index.ts';
import { resolveSettings } from '../../main/relay/options.ts';
import type { UpstreamPlatform } from '../../main/relay/upstream-types.ts';

const upstream = {} as UpstreamPlatform;
const base: RelayOptions = { token: 'a-relay-token-of-24-chars', upstream };

test('defaults match the issue: ephemeral port, 64 KiB frames, 1 MiB queues, 70% coalescing, 25 s / 10 s / 900 s', () => {
  const s = resolveSettings(base);
  assert.equal(s.port, 0);
  assert.deepEqual(s.allowedOrigins, [], 'no browser origin unless the host adds the dashboard');
  assert.equal(s.limits.maxFrameBytes, 64 * 1024);
  assert.equal(s.limits.queueBytes, 1024 * 1024);
  assert.ok(s.limits.queueMessages > 0);
  assert.equal(s.limits.coalesceAt, 0.7);
  assert.deepEqual([s.heartbeat.pingIntervalMs, s.heartbeat.pongTimeoutMs, s.heartbeat.idleTimeoutMs], [25_000, 10_000, 900_000]);
  assert.deepEqual([s.pool.maxChannels, s.pool.maxTopicsPerChannel], [20, 1000]);
});

test('the platform caps may be lowered but never raised', () => {
  const lowered = resolveSettings({ ...base, pool: { maxChannels: 5, maxTopicsPerChannel: 100 } });
  assert.deepEqual([lowered.pool.maxChannels, lowered.pool.maxTopicsPerChannel], [5, 100]);
  assert.throws(() => resolveSettings({ ...base, pool: { maxChannels: 21 } }), RelayConfigError);
  assert.throws(() => resolveSettings({ ...base, pool: { maxTopicsPerChannel: 1001 } }), RelayConfigError);
});

test('a pong timeout must fall due before the next ping round', () => {
  assert.throws(() => resolveSettings({ ...base, heartbeat: { pingIntervalMs: 1000, pongTimeoutMs: 1000 } }), RelayConfigError);
  assert.equal(resolveSettings({ ...base, heartbeat: { pingIntervalMs: 1000, pongTimeoutMs: 999 } }).heartbeat.pongTimeoutMs, 999);
});

test('a short token is refused without echoing it', () => {
  assert.throws(() => resolveSettings({ ...base, token: 'short-secret' }), (e: Error) => e instanceof RelayConfigError && !e.message.includes('short-secret'));
});
