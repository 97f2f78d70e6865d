import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  campaignSummary,
  PROXY_ERROR_FRESH_MS,
  TRAY_LEVELS,
  trayIconFile,
  trayStatus,
  trayTooltip,
  WINDOWS_TOOLTIP_MAX,
} from '../../main/electron/policy/tray-status.ts';
import { campaign, coreState, iso, NOW } from './fixtures.ts';

const decision = (outcome: 'applied' | 'conflict' | 'rate-limited' | 'error' | 'breaker-open') => ({
  at: iso(NOW - 5_000), outcome, oldValue: 2, newValue: 2.1, version: 7, message: outcome,
});

test('all campaigns applying normally is ok', () => {
  assert.deepEqual(trayStatus(coreState(), NOW), { level: 'ok', reasons: [] });
  assert.deepEqual(trayStatus(coreState({ campaigns: [] }), NOW), { level: 'ok', reasons: [] });
});

test('a conflict or a 429 is a warning', () => {
  for (const outcome of ['conflict', 'rate-limited'] as const) {
    const s = trayStatus(coreState({ campaigns: [campaign(), campaign({ id: 'c-2', name: 'Renewals', lastDecision: decision(outcome) })] }), NOW);
    assert.equal(s.level, 'warning', outcome);
    assert.match(s.reasons[0]!, /^Renewals: /);
  }
  assert.match(trayStatus(coreState({ campaigns: [campaign({ lastDecision: decision('rate-limited') })] }), NOW).reasons[0]!, /429/);
});

test('state warnings (e.g. no keychain) are a warning', () => {
  const s = trayStatus(coreState({ warnings: [{ code: 'KEYCHAIN_UNAVAILABLE', message: 'No keychain.' }] }), NOW);
  assert.deepEqual(s, { level: 'warning', reasons: ['No keychain.'] });
});

test('an open breaker, a failed cycle or a fresh proxy error is an error, and beats warnings', () => {
  const breaker = coreState({ campaigns: [campaign({ breakerOpenUntil: iso(NOW + 60_000) }), campaign({ id: 'c-2', lastDecision: decision('conflict') })] });
  const s = trayStatus(breaker, NOW);
  assert.equal(s.level, 'error');
  assert.match(s.reasons[0]!, /breaker open/);
  assert.match(s.reasons[1]!, /conflict/);
  assert.equal(trayStatus(coreState({ campaigns: [campaign({ lastDecision: decision('error') })] }), NOW).level, 'error');
  const proxy = coreState({
    proxy: { ...coreState().proxy, lastError: { hop: 'proxy', code: 'PROXY_AUTH', message: '407 from proxy', fix: 'Check the password.', at: iso(NOW - 1_000) } },
  });
  assert.deepEqual(trayStatus(proxy, NOW), { level: 'error', reasons: ['Proxy: 407 from proxy'] });
});

test('a breaker that already closed and an old proxy error do not colour the icon', () => {
  assert.equal(trayStatus(coreState({ campaigns: [campaign({ breakerOpenUntil: iso(NOW - 1) })] }), NOW).level, 'ok');
  const old = coreState({
    proxy: { ...coreState().proxy, lastError: { hop: 'proxy', code: 'X', message: 'old', fix: 'f', at: iso(NOW - PROXY_ERROR_FRESH_MS - 1) } },
  });
  assert.equal(trayStatus(old, NOW).level, 'ok');
});

test('all campaigns paused is paused; a paused campaign\'s old error is ignored', () => {
  const paused = coreState({ campaigns: [campaign({ mode: 'paused', lastDecision: decision('error') }), campaign({ id: 'c-2', mode: 'paused' })] });
  assert.deepEqual(trayStatus(paused, NOW), { level: 'paused', reasons: ['All campaigns paused'] });
  const some = coreState({ campaigns: [campaign({ mode: 'paused' }), campaign({ id: 'c-2' })] });
  assert.equal(trayStatus(some, NOW).level, 'ok');
});

test('the tooltip says Sandbox, summarises campaigns and names the first problem', () => {
  const state = coreState({
    campaigns: [campaign(), campaign({ id: 'c-2', mode: 'paused' }), campaign({ id: 'c-3', name: 'Renewals', lastDecision: decision('rate-limited') })],
  });
  const tip = trayTooltip(state, trayStatus(state, NOW), 'linux');
  const lines = tip.split('\n');
  assert.match(lines[0]!, /Sandbox/);
  assert.equal(lines[1], '3 campaigns: 2 auto, 1 paused');
  assert.equal(lines[2], 'Warning: Renewals: rate limited (429)');
  const live = coreState({ platform: { mode: 'live', region: 'eu_west_1', apiBaseUrl: 'https://api.mypurecloud.ie' } });
  const liveTip = trayTooltip(live, trayStatus(live, NOW), 'darwin');
  assert.match(liveTip, /Live · eu_west_1/);
  assert.doesNotMatch(liveTip, /Sandbox/);
});

test('Windows tooltips are cut to 127 characters', () => {
  const many = Array.from({ length: 5 }, (_, i) => campaign({ id: `c-${i}`, name: `A very long campaign name number ${i}`, lastDecision: decision('conflict') }));
  const state = coreState({ campaigns: many });
  const win = trayTooltip(state, trayStatus(state, NOW), 'win32');
  assert.ok(win.length <= WINDOWS_TOOLTIP_MAX, `${win.length}`);
  assert.ok(win.endsWith('…'));
  const linux = trayTooltip(state, trayStatus(state, NOW), 'linux');
  assert.ok(linux.length > WINDOWS_TOOLTIP_MAX);
  assert.match(linux, /\(\+4 more\)/);
});

test('campaignSummary counts modes, largest first', () => {
  assert.equal(campaignSummary([]), 'No campaigns');
  assert.equal(campaignSummary([campaign()]), '1 campaign: 1 auto');
  assert.equal(campaignSummary([campaign({ mode: 'override' }), campaign({ mode: 'dry-run' }), campaign({ mode: 'dry-run' })]), '3 campaigns: 2 dry-run, 1 override');
});

test('icons: Template PNGs on macOS, .ico on Windows, PNG on Linux, and every one exists in assets/', () => {
  assert.equal(trayIconFile('warning', 'darwin'), 'tray/tray-warningTemplate.png');
  assert.equal(trayIconFile('error', 'win32'), 'tray/tray-error.ico');
  assert.equal(trayIconFile('paused', 'linux'), 'tray/tray-paused.png');
  for (const platform of ['darwin', 'win32', 'linux', 'freebsd'] as const) {
    for (const level of TRAY_LEVELS) {
      const file = trayIconFile(level, platform);
      assert.ok(existsSync(join('assets', file)), file);
      if (platform === 'darwin') {
        assert.match(file, /Template\.png$/);
        assert.ok(existsSync(join('assets', file.replace('.png', '@2x.png'))), `${file} @2x`);
      }
    }
  }
});
