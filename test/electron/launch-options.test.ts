import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openLogFile } from '../../main/electron/log-file.ts';
import { bundlePaths, showDashboardAtStart, testHooksEnabled, userDataDir } from '../../main/electron/policy/launch-options.ts';
import { DEFAULT_SHELL_SETTINGS, shellSettingsFrom } from '../../main/electron/policy/shell-settings.ts';
import { defaultSettings } from '../../main/settings/schema.ts';

test('the profile is <appData>/Pacekeeper unless PACEKEEPER_DATA_DIR says otherwise', () => {
  assert.equal(userDataDir({}, '/home/ops/.config'), '/home/ops/.config/Pacekeeper');
  assert.equal(userDataDir({ PACEKEEPER_DATA_DIR: '/tmp/pk-e2e' }, '/home/ops/.config'), '/tmp/pk-e2e');
  assert.equal(userDataDir({ PACEKEEPER_DATA_DIR: 'profiles/a' }, '/x', '/work'), resolve('/work', 'profiles/a'));
  assert.equal(userDataDir({ PACEKEEPER_DATA_DIR: '' }, '/x'), '/x/Pacekeeper');
});

test('the dashboard opens on a manual launch, not at login', () => {
  assert.equal(showDashboardAtStart({ argv: ['/opt/Pacekeeper/pacekeeper'], openedAtLogin: false }), true);
  assert.equal(showDashboardAtStart({ argv: ['/opt/Pacekeeper/pacekeeper', '--hidden'], openedAtLogin: false }), false);
  assert.equal(showDashboardAtStart({ argv: ['/Applications/Pacekeeper.app/Contents/MacOS/Pacekeeper'], openedAtLogin: true }), false);
});

test('the test hook is opt-in with PACEKEEPER_TEST=1 only', () => {
  assert.equal(testHooksEnabled({ PACEKEEPER_TEST: '1' }), true);
  for (const v of [undefined, '', '0', 'true', 'yes']) assert.equal(testHooksEnabled({ PACEKEEPER_TEST: v }), false, String(v));
});

test('bundle paths follow scripts/build.ts layout', () => {
  assert.deepEqual(bundlePaths('/app/dist/main'), {
    rendererRoot: '/app/dist/renderer',
    preload: '/app/dist/preload/index.cjs',
    assets: '/app/dist/assets',
  });
  const build = readFileSync('scripts/build.ts', 'utf8');
  // Loose on purpose: the build script is someone else's; these are the facts bundlePaths relies on.
  assert.match(build, /preload\/index/);
  assert.match(build, /\.cjs/);
  assert.match(build, /renderer/);
  assert.match(build, /assets/);
});

test('shell settings come from the real settings defaults and survive odd values', () => {
  assert.deepEqual(shellSettingsFrom(defaultSettings()), { loginItem: false, coalesceMinutes: 5 });
  assert.deepEqual(shellSettingsFrom({ ui: { loginItem: true, notifications: { coalesceMinutes: 0 } } }), { loginItem: true, coalesceMinutes: 0 });
  assert.deepEqual(shellSettingsFrom({ ui: { loginItem: 'yes', notifications: { coalesceMinutes: -3 } } }), DEFAULT_SHELL_SETTINGS);
  assert.deepEqual(shellSettingsFrom({ ui: 'broken' }), DEFAULT_SHELL_SETTINGS);
  assert.deepEqual(shellSettingsFrom(undefined), DEFAULT_SHELL_SETTINGS);
  assert.deepEqual(shellSettingsFrom(null), DEFAULT_SHELL_SETTINGS);
});

test('the log file appends lines and rotates once it is over the cap', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pk-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'logs', 'main.log');
  const first = openLogFile(path, 64);
  first.write('{"a":1}');
  first.write('{"b":2}\n');
  first.close();
  first.write('dropped after close');
  assert.equal(await readFile(path, 'utf8'), '{"a":1}\n{"b":2}\n');
  await writeFile(path, 'x'.repeat(100));
  const second = openLogFile(path, 64);
  second.write('fresh');
  second.close();
  assert.equal(await readFile(`${path}.1`, 'utf8'), 'x'.repeat(100));
  assert.equal(await readFile(path, 'utf8'), 'fresh\n');
});
