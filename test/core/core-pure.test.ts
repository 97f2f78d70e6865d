import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choosePlatformMode } from '../../main/core/platform.ts';
import { netConfigFromSettings } from '../../main/core/net-settings.ts';
import { breakerCloseTracker, eventLogEntryFor } from '../../main/core/tuning-event-log.ts';
import { EventLog } from '../../main/core/event-log.ts';
import { HistoryStore } from '../../main/core/history-store.ts';
import { defaultDataDir } from '../../main/core/data-dir.ts';
import { defaultSettings } from '../../main/settings/schema.ts';
import { NetConfigSchema } from '../../main/net/index.ts';

describe('platform mode', () => {
  const s = defaultSettings();
  it('auto: sandbox until both client id and secret exist', () => {
    assert.deepEqual(choosePlatformMode(s, false).mode, 'sandbox');
    assert.match(choosePlatformMode(s, false).reason, /client id and client secret/);
    const withId = { ...s, genesys: { ...s.genesys, clientId: 'abc' } };
    assert.match(choosePlatformMode(withId, false).reason, /client secret/);
    assert.equal(choosePlatformMode(withId, true).mode, 'live');
  });
  it('on/off and --sandbox win', () => {
    const withId = { ...s, genesys: { ...s.genesys, clientId: 'abc' } };
    assert.equal(choosePlatformMode({ ...withId, sandbox: { ...s.sandbox, enabled: 'on' } }, true).mode, 'sandbox');
    assert.equal(choosePlatformMode({ ...s, sandbox: { ...s.sandbox, enabled: 'off' } }, false).mode, 'live');
    assert.equal(choosePlatformMode(withId, true, true).mode, 'sandbox');
  });
});

describe('settings → NetConfig', () => {
  const s = defaultSettings();
  it('maps proxy modes onto dispatcher modes and who may be consulted', () => {
    const sys = netConfigFromSettings(s);
    assert.equal(sys.config.proxy?.mode, 'auto');
    assert.equal(sys.useSystemResolver, true);
    assert.equal(sys.useEnvironment, true);
    const env = netConfigFromSettings({ ...s, proxy: { ...s.proxy, mode: 'env' } });
    assert.deepEqual([env.config.proxy?.mode, env.useSystemResolver, env.useEnvironment], ['auto', false, true]);
    const ex = netConfigFromSettings({ ...s, proxy: { ...s.proxy, mode: 'explicit', url: 'http://p:3128', noProxy: ['.corp', '10.0.0.0/8'], username: 'bob' } });
    assert.deepEqual(ex.config.proxy, { mode: 'fixed', url: 'http://p:3128', username: 'bob', noProxy: ['.corp', '10.0.0.0/8'] });
    assert.equal(ex.useEnvironment, false);
    const direct = netConfigFromSettings({ ...s, proxy: { ...s.proxy, mode: 'direct' } });
    assert.equal(direct.config.proxy?.mode, 'direct');
  });
  it('produces a config the net layer accepts, carrying pool and deadline settings', () => {
    const m = netConfigFromSettings({ ...s, net: { connectionsPerOrigin: 7, keepAliveMs: 45_000, requestDeadlineMs: 60_000 } });
    const parsed = NetConfigSchema.parse(m.config);
    assert.equal(parsed.pool.connectionsPerOrigin, 7);
    assert.equal(parsed.pool.keepAliveIdleMs, 45_000);
    assert.equal(parsed.timeouts.operationMs, 60_000);
  });
});

describe('event log', () => {
  it('maps tuning events: conflicts, 429s and expiries are logged; routine outcomes are not', () => {
    const base = { campaignId: 'c1', campaignName: 'Q3', time: Date.UTC(2026, 0, 1, 9) };
    assert.equal(eventLogEntryFor({ ...base, type: 'unchanged', value: 1, recommended: 1, mode: 'auto', why: 'x' }), undefined);
    const c = eventLogEntryFor({ ...base, type: 'conflict', attempts: 3, status: 409 })!;
    assert.equal(c.kind, 'conflict');
    assert.match(c.message, /409/);
    const r = eventLogEntryFor({ ...base, type: 'rate-limited', retryAfterMs: 42_000, cancelled: false })!;
    assert.match(r.message, /42 s/);
    const p = eventLogEntryFor({ ...base, type: 'error', stage: 'read', code: 'ProxyAuthRequired', message: 'proxy p:3128 answered 407' })!;
    assert.equal(p.kind, 'proxy-auth');
    assert.equal(eventLogEntryFor({ ...base, type: 'error', stage: 'read', code: 'HttpError', message: 'x' })!.kind, 'error');
    const x = eventLogEntryFor({ ...base, type: 'override-ended', why: 'expired', reason: '' })!;
    assert.equal(x.severity, 'warning');
  });
  it('logs the breaker closing at the first completed cycle after it opened, once', () => {
    const base = { campaignId: 'c1', campaignName: 'Q3', time: Date.UTC(2026, 0, 1, 9) };
    const track = breakerCloseTracker();
    const unchanged = { ...base, type: 'unchanged', value: 1, recommended: 1, mode: 'auto', why: 'x' } as const;
    assert.equal(track(unchanged), undefined, 'no breaker was open');
    assert.equal(track({ ...base, type: 'breaker-open', retryAtMs: base.time + 60_000 }), undefined);
    assert.equal(track({ ...base, type: 'error', stage: 'read', code: 'HttpError', message: 'x' }), undefined, 'a failure does not close it');
    assert.equal(track({ ...unchanged, campaignId: 'c2' }), undefined, 'another campaign does not close it');
    const closed = track({ ...base, type: 'applied', oldValue: 1, newValue: 1.1, version: 3, controller: 'pi', mode: 'auto', reason: '', time: base.time + 90_000 })!;
    assert.deepEqual([closed.kind, closed.severity, closed.campaignId, closed.at], ['breaker-closed', 'info', 'c1', new Date(base.time + 90_000).toISOString()]);
    assert.equal(track(unchanged), undefined, 'logged once per opening');
  });
  it('is bounded, numbered and redacts', async () => {
    const { redactor } = await import('../../main/util/redact.ts');
    redactor.addSecret('hunter2-secret');
    const log = new EventLog({ max: 3, now: () => 0 });
    for (let i = 0; i < 5; i++) log.add({ kind: 'error', severity: 'error', message: `e${i} hunter2-secret` });
    const l = log.latest();
    assert.deepEqual(l.map((e) => e.id), [3, 4, 5]);
    assert.ok(l.every((e) => !e.message.includes('hunter2-secret')));
  });
});

describe('history', () => {
  it('keeps time order and the newest N points', () => {
    const h = new HistoryStore(3);
    for (const t of [1, 2, 4, 3, 5]) h.add('c', { t, applied: t, recommended: null, abandonPct: null });
    assert.deepEqual(h.points('c').map((p) => p.t), [3, 4, 5]);
    assert.deepEqual(h.points('c', 4).map((p) => p.t), [4, 5]);
    assert.deepEqual(h.points('other'), []);
    h.add('c', { t: 5, applied: 9, recommended: null, abandonPct: null });
    assert.deepEqual(h.points('c').map((p) => [p.t, p.applied]), [[3, 3], [4, 4], [5, 9]]);
  });
});

describe('data dir', () => {
  it('follows the platform conventions and PACEKEEPER_DATA_DIR', () => {
    assert.equal(defaultDataDir({ PACEKEEPER_DATA_DIR: '/x' }, 'linux'), '/x');
    assert.equal(defaultDataDir({ HOME: '/home/a' }, 'linux'), '/home/a/.config/Pacekeeper');
    assert.equal(defaultDataDir({ HOME: '/home/a', XDG_CONFIG_HOME: '/c' }, 'linux'), '/c/Pacekeeper');
    assert.equal(defaultDataDir({ HOME: '/Users/a' }, 'darwin'), '/Users/a/Library/Application Support/Pacekeeper');
  });
});
