// The renderer's pure modules, in Node: display formatting, the settings form ↔ bridge mapping,
// the drift history buffer, the chart time adapter, the access-token hand-off, result/event
// checking, and the WebSocket bridge client against a real headless host. (They live here because
// test/e2e/tsconfig.json is the test project with the DOM types the renderer's modules use.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryPoint, PacekeeperBridge } from '../../../preload/contract.ts';
import { takeAccessToken } from '../../../renderer/bridge/access-token.ts';
import { checkedBridge, type BridgeProblem } from '../../../renderer/bridge/checked-bridge.ts';
import { createWsBridge, type ConnectionStatus } from '../../../renderer/bridge/ws-bridge.ts';
import { HistoryStore } from '../../../renderer/charts/history-buffer.ts';
import { addTime, diffTime, endOfTime, formatTime, startOfTime } from '../../../renderer/charts/time-adapter.ts';
import { abandonLevel, abandonText, fmtChange, fmtMs, fmtNumber, fmtPct, fmtRatio, fmtTime } from '../../../renderer/dom/format.ts';
import { buildSettingsUpdate, fieldForPath, formValuesFrom } from '../../../renderer/views/settings-model.ts';
import { defaultSettings } from '../../../main/settings/schema.ts';
import { validateSettings } from '../../../main/settings/load-settings.ts';
import { applyMergePatch } from '../../../main/settings/merge-patch.ts';
import { startHeadlessHost } from '../../../main/headless/index.ts';
import { startHost } from '../../headless/host-fixture.ts';

test('formatting: missing values are a dash, units are explicit', () => {
  assert.equal(fmtNumber(null), '—');
  assert.equal(fmtNumber(Number.NaN), '—');
  assert.equal(fmtNumber(2.345), '2.35');
  assert.equal(fmtPct(2.44), '2.4%');
  assert.equal(fmtRatio(0.3125), '31.3%');
  assert.equal(fmtMs(41.6), '42 ms');
  assert.equal(fmtMs(1500), '1.50 s');
  const at = new Date(2026, 0, 5, 9, 3, 7).getTime();
  assert.equal(fmtTime(at, at + 1000), '09:03:07');
  assert.equal(fmtTime(at, at + 2 * 86_400_000), '2026-01-05 09:03:07');
  assert.equal(fmtTime('not a date'), '—');
  assert.equal(fmtChange(2, 2.1), ' 2.00 → 2.10');
  assert.equal(fmtChange(null, 3), ' 3.00');
  assert.equal(fmtChange(3, 3), ' 3.00');
  assert.equal(fmtChange(null, null), '');
});

test('abandon levels come with words, so colour is never the only signal', () => {
  assert.equal(abandonLevel(null, 2.5, 3), 'unknown');
  assert.equal(abandonLevel(2, 2.5, 3), 'ok');
  assert.equal(abandonLevel(2.7, 2.5, 3), 'near');
  assert.equal(abandonLevel(3.01, 2.5, 3), 'over');
  assert.equal(abandonText('over', 3), '▲ over the 3% line');
  assert.equal(abandonText('ok', 2.5), '✓ under the 2.5% line');
});

test('settings form: values from the settings document, and a patch of only what changed', () => {
  const settings = defaultSettings() as unknown as Record<string, unknown>;
  const original = formValuesFrom(settings);
  assert.equal(original['proxy.mode'], 'system');
  assert.equal(original['relay.port'], '0');
  assert.equal(original['influx.enabled'], false);
  const nothing = buildSettingsUpdate(original, original, {});
  assert.deepEqual(nothing, { update: { patch: {} }, changed: [] });

  const values = { ...original, 'proxy.mode': 'explicit', 'proxy.url': ' http://proxy:3128 ', 'proxy.noProxy': 'a.example\n .corp , 10.0.0.0/8\n', 'relay.port': '8089', 'genesys.clientId': '', 'influx.enabled': true };
  const r = buildSettingsUpdate(values, original, { 'proxy.password': { value: 'pw', clear: false }, 'influx.token': { value: '', clear: true }, 'genesys.clientSecret': { value: '', clear: false } });
  assert.deepEqual(r.update, {
    patch: { proxy: { mode: 'explicit', url: 'http://proxy:3128', noProxy: ['a.example', '.corp', '10.0.0.0/8'] }, influx: { enabled: true }, relay: { port: 8089 } },
    secrets: { 'proxy.password': 'pw', 'influx.token': null },
  });
  assert.deepEqual(r.changed.sort(), ['influx.enabled', 'influx.token', 'proxy.mode', 'proxy.noProxy', 'proxy.password', 'proxy.url', 'relay.port']);
  // Not a number: sent as typed, so main's validation answers for the field.
  assert.deepEqual(buildSettingsUpdate({ ...original, 'relay.port': 'eighty' }, original, {}).update.patch, { relay: { port: 'eighty' } });
  // Clearing a text field removes the key (the default applies again).
  const withId = formValuesFrom({ ...settings, genesys: { region: 'eu_west_1', clientId: 'abc' } });
  assert.deepEqual(buildSettingsUpdate({ ...withId, 'genesys.clientId': '  ' }, withId, {}).update.patch, { genesys: { clientId: null } });
});

test('settings form: tuning numbers are sent as numbers, typos as typed, a cleared field as null', () => {
  const original = formValuesFrom(defaultSettings() as unknown as Record<string, unknown>);
  assert.equal(original['tuning.defaults.max'], '3');
  assert.equal(original['tuning.defaults.emergencyCuts'], true);
  const r = buildSettingsUpdate({ ...original, 'tuning.defaults.max': ' 6.5 ', 'tuning.defaults.mode': 'dry-run', 'tuning.defaults.emergencyCuts': false }, original, {});
  assert.deepEqual(r.update.patch, { tuning: { defaults: { max: 6.5, mode: 'dry-run', emergencyCuts: false } } });
  assert.equal(validateSettings(applyMergePatch(defaultSettings(), r.update.patch)).ok, true);
  assert.deepEqual(buildSettingsUpdate({ ...original, 'tuning.defaults.min': '1,5' }, original, {}).update.patch, { tuning: { defaults: { min: '1,5' } } });
  assert.equal(validateSettings(applyMergePatch(defaultSettings(), { tuning: { defaults: { min: '1,5' } } })).ok, false);
  assert.deepEqual(buildSettingsUpdate({ ...original, 'tuning.defaults.intervalSec': '' }, original, {}).update.patch, { tuning: { defaults: { intervalSec: null } } });
  assert.equal(fieldForPath('patch.tuning.defaults.abandonCeilingPct'), 'tuning.defaults.abandonCeilingPct');
});

test('settings form: "start at login" is a checkbox for ui.loginItem, sent only when toggled', () => {
  const original = formValuesFrom(defaultSettings() as unknown as Record<string, unknown>);
  assert.equal(original['ui.loginItem'], false);
  assert.deepEqual(buildSettingsUpdate({ ...original, 'ui.loginItem': true }, original, {}), { update: { patch: { ui: { loginItem: true } } }, changed: ['ui.loginItem'] });
  const on = formValuesFrom({ ...defaultSettings(), ui: { loginItem: true, notifications: { coalesceMinutes: 5 } } } as unknown as Record<string, unknown>);
  assert.deepEqual(buildSettingsUpdate({ ...on, 'ui.loginItem': false }, on, {}).update.patch, { ui: { loginItem: false } });
  assert.equal(fieldForPath('patch.ui.loginItem'), 'ui.loginItem');
  // What the form sends is what main's schema accepts.
  assert.equal(validateSettings(applyMergePatch(defaultSettings(), { ui: { loginItem: true } })).ok, true);
});

test('settings form: an error path finds its field, whatever prefix main used', () => {
  assert.equal(fieldForPath('relay.port'), 'relay.port');
  assert.equal(fieldForPath('patch.proxy.url'), 'proxy.url');
  assert.equal(fieldForPath('proxy.noProxy.2'), 'proxy.noProxy');
  assert.equal(fieldForPath('secrets.proxy.password'), 'proxy.password');
  assert.equal(fieldForPath('tuning.campaigns.c-1.min'), undefined, 'per-campaign tuning is not on the form: the summary shows it');
  assert.equal(fieldForPath(''), undefined);
});

const point = (t: number, v: number | null = 2, a: number | null = 2.5): HistoryPoint => ({ t, applied: v, recommended: v === null ? null : v + 0.1, abandonPct: a });

test('history buffer: sorted, deduplicated, 24 h and 3,000 points at most, arrays kept in place', () => {
  const h = new HistoryStore({ windowMs: 10_000, maxPoints: 5, trimSlackMs: 0, trimSlackPoints: 0 });
  const s = h.series('c');
  const applied = s.applied;
  h.merge('c', [point(3000), point(1000), point(2000, null)]);
  assert.deepEqual(s.applied.map((p) => p.x), [1000, 3000]);
  assert.deepEqual(s.abandon.map((p) => p.x), [1000, 2000, 3000]);
  assert.equal(h.append('c', point(3000)), false, 'duplicate');
  assert.equal(h.append('c', point(4000)), true);
  assert.equal(h.append('c', point(2500, 9)), true, 'late point inserted in order');
  assert.deepEqual(s.applied.map((p) => p.x), [1000, 2500, 3000, 4000]);
  assert.equal(h.append('c', point(Number.NaN)), false);
  for (let t = 5000; t <= 9000; t += 1000) h.append('c', point(t));
  assert.equal(s.applied.length, 5, 'capped');
  assert.deepEqual(s.applied.map((p) => p.x), [5000, 6000, 7000, 8000, 9000]);
  h.append('c', point(20_000));
  assert.deepEqual(s.applied.map((p) => p.x), [20_000], 'older than the window dropped');
  assert.equal(s.applied, applied, 'the chart keeps the same array');
  // A fetched history merged after live points keeps both.
  h.merge('c', [point(15_000), point(12_000)]);
  assert.deepEqual(s.applied.map((p) => p.x), [12_000, 15_000, 20_000]);
});

test('history buffer: with slack, trimming happens in batches and the series stays bounded', () => {
  const h = new HistoryStore({ maxPoints: 2_880, trimSlackPoints: 120 });
  const s = h.series('c');
  let maxLen = 0;
  let trims = 0;
  let prev = 0;
  for (let i = 0; i < 10_000; i++) {
    h.append('c', point(i * 30_000));
    if (s.applied.length < prev) trims++;
    prev = s.applied.length;
    maxLen = Math.max(maxLen, s.applied.length);
  }
  assert.ok(maxLen <= 2_880 + 120 + 1, `bounded: ${maxLen}`);
  assert.ok(s.applied.length >= 2_880, 'never below a full day');
  // One trim per ~60 appends (30 min of slack), not one per append.
  assert.ok(trims < 200, `trimmed in batches (${trims} trims for 10,000 appends)`);
  assert.ok((s.applied[0] as { x: number }).x >= s.lastT - 86_400_000 - 30 * 60_000, 'nothing older than the window plus slack');
});

test('time adapter: local-time units and formats', () => {
  const t = new Date(2026, 2, 31, 13, 45, 10, 250).getTime();
  assert.equal(formatTime(t, 'yyyy-MM-dd HH:mm:ss.SSS'), '2026-03-31 13:45:10.250');
  assert.equal(formatTime(t, 'MMM d'), 'Mar 31');
  assert.equal(startOfTime(t, 'hour'), new Date(2026, 2, 31, 13).getTime());
  assert.equal(startOfTime(t, 'day'), new Date(2026, 2, 31).getTime());
  assert.equal(startOfTime(t, 'month'), new Date(2026, 2, 1).getTime());
  assert.equal(startOfTime(t, 'quarter'), new Date(2026, 0, 1).getTime());
  assert.equal(startOfTime(t, 'isoWeek', 1), new Date(2026, 2, 30).getTime(), 'Monday');
  assert.equal(endOfTime(t, 'minute'), new Date(2026, 2, 31, 13, 45, 59, 999).getTime());
  assert.equal(addTime(t, 1, 'month'), new Date(2026, 3, 31, 13, 45, 10, 250).getTime());
  assert.equal(addTime(t, 30, 'second') - t, 30_000);
  assert.equal(diffTime(t + 7_200_000, t, 'hour'), 2);
  assert.equal(diffTime(new Date(2027, 5, 1).getTime(), new Date(2026, 2, 1).getTime(), 'month'), 15);
});

test('access token: taken from the fragment, stripped from the URL, kept for this tab', () => {
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
  const replaced: string[] = [];
  const history = { replaceState: (_d: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) };
  const token = 'T'.repeat(43);
  assert.equal(takeAccessToken({ location: { hash: `#token=${token}&view=proxy`, pathname: '/', search: '' }, history, storage }), token);
  assert.deepEqual(replaced, ['/#view=proxy']);
  assert.equal(takeAccessToken({ location: { hash: '', pathname: '/', search: '' }, history, storage }), token, 'reload of the tab');
  assert.equal(takeAccessToken({ location: { hash: '#token=short', pathname: '/', search: '' }, history, storage: null }), null);
  assert.equal(takeAccessToken({ location: { hash: '', pathname: '/', search: '' }, history, storage: null }), null);
});

test('checked bridge: malformed answers and events are reported and dropped; listeners are isolated', async () => {
  const problems: BridgeProblem[] = [];
  const listeners = new Map<string, (p: unknown) => void>();
  const raw = {
    invoke: async (name: string) => (name === 'state:get' ? { ok: true, value: { at: 1 } } : { ok: false, error: { code: 'failed', message: 'no' } }),
    on: (name: string, l: (p: unknown) => void) => {
      listeners.set(name, l);
      return () => listeners.delete(name);
    },
  } as unknown as PacekeeperBridge;
  const b = checkedBridge(raw, (p) => problems.push(p));
  const r = await b.invoke('state:get', undefined);
  assert.equal(r.ok, false);
  assert.match(problems[0]?.where ?? '', /state:get answer/);
  assert.deepEqual(await b.invoke('doctor:run', undefined), { ok: false, error: { code: 'failed', message: 'no' } });
  const got: unknown[] = [];
  b.on('log', (e) => got.push(e));
  b.on('navigate', () => {
    throw new Error('listener bug');
  });
  listeners.get('log')?.({ id: 1 });
  listeners.get('log')?.({ id: 1, at: 'x', kind: 'conflict', severity: 'warning', campaignId: null, campaignName: null, message: 'm' });
  listeners.get('navigate')?.({ view: 'proxy' });
  assert.equal(got.length, 1);
  assert.deepEqual(problems.map((p) => p.where), ['state:get answer', 'log event', 'navigate listener']);
});

test('WebSocket bridge client: invoke, events, timeouts and reconnect against a real host', async (t) => {
  // Node's WebSocket sends no Origin: this host lets such tools in (the browser tests cover Origin).
  const fx = await startHost(t, { allowMissingOrigin: true });
  const statuses: ConnectionStatus[] = [];
  const ws = createWsBridge({ url: `ws://127.0.0.1:${fx.host.port}/bridge`, token: fx.token, minBackoffMs: 20, maxBackoffMs: 100, timeoutMs: 500 });
  t.after(() => ws.close());
  ws.onStatus((s) => statuses.push(s));
  const state = await ws.invoke('state:get', undefined);
  assert.ok(state.ok);
  assert.equal(ws.status().state, 'open');
  const names: string[] = [];
  ws.on('history', () => names.push('history'));
  await fx.core.cycle();
  for (let i = 0; i < 50 && names.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(names.length, 3);
  // The host goes away: in-flight and new requests fail cleanly; the client keeps retrying.
  await fx.host.close();
  const down = await ws.invoke('state:get', undefined);
  assert.equal(down.ok, false);
  assert.equal(down.ok ? '' : down.error.code, 'unavailable');
  assert.ok(statuses.some((s) => s.state === 'closed'));
  // The host comes back on the same port: the client reconnects by itself (opens: 2).
  const again = await startHeadlessHost({ core: fx.core, rendererDir: fx.rendererDir, port: fx.host.port, token: fx.token, allowMissingOrigin: true });
  t.after(() => again.close());
  for (let i = 0; i < 100 && ws.status().opens < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(ws.status().opens, 2);
  assert.ok((await ws.invoke('state:get', undefined)).ok);
  const wrong = createWsBridge({ url: `ws://127.0.0.1:${fx.host.port}/bridge`, token: 'x'.repeat(43), timeoutMs: 200, minBackoffMs: 50 });
  assert.equal((await wrong.invoke('state:get', undefined)).ok, false);
  wrong.close();
});
