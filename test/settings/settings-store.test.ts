import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import type ElectronStore from 'electron-store';
import { ManualClock } from '../../main/util/clock.ts';
import { createMemoryLogger } from '../../main/util/log.ts';
import { defaultSettings, SETTINGS_SCHEMA_VERSION } from '../../main/settings/schema.ts';
import {
  openSettingsStore,
  type ConfLikeClass,
  type SettingsChange,
  type SettingsStoreOptions,
} from '../../main/settings/settings-store.ts';

// Compile-time check: the Electron shell can pass electron-store as `Store` (type import only;
// importing electron-store for real would load electron).
const _electronStoreFits = (Store: typeof ElectronStore): ConfLikeClass => Store;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'pk-settings-'));
  t.after(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

const clock = () => new ManualClock(Date.UTC(2026, 0, 5, 8, 0, 0));
const open = (cwd: string, extra: Partial<SettingsStoreOptions> = {}) => openSettingsStore({ cwd, clock: clock(), ...extra });
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

test('a fresh install gets a complete defaults file, mode 0600, and no warnings', (t) => {
  const dir = tempDir(t);
  const store = open(dir);
  assert.equal(store.path, join(dir, 'settings.json'));
  assert.deepEqual(store.warnings, []);
  assert.deepEqual(store.get(), defaultSettings());
  assert.deepEqual(readJson(store.path), defaultSettings());
  if (process.platform !== 'win32') assert.equal(statSync(store.path).mode & 0o777, 0o600);
});

test('update validates, saves, and reports only the changed sections', (t) => {
  const dir = tempDir(t);
  const store = open(dir);
  const changes: SettingsChange[] = [];
  store.onChange((c) => changes.push(c));

  const r = store.update({ proxy: { mode: 'explicit', url: 'proxy.corp:3128', username: 'alice' }, ui: { notifications: { coalesceMinutes: 15 } } });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  assert.equal(store.get().proxy.url, 'http://proxy.corp:3128');
  assert.deepEqual(readJson(store.path).proxy, { mode: 'explicit', url: 'http://proxy.corp:3128', username: 'alice', noProxy: [], connectTimeoutMs: 10_000 });
  assert.equal(store.get().ui.loginItem, false, 'deep merge keeps sibling fields');
  assert.equal(changes.length, 1);
  assert.deepEqual(changes[0]!.sections, ['proxy', 'ui']);
  assert.equal(changes[0]!.previous.proxy.mode, 'system');
  assert.equal(changes[0]!.current.proxy.mode, 'explicit');

  // Same values again: nothing to save, no event.
  assert.ok(store.update({ proxy: { username: 'alice' } }).ok);
  assert.equal(changes.length, 1);

  // A restart reads what was saved.
  assert.deepEqual(open(dir).get(), store.get());
});

test('an invalid patch returns per-field issues and changes nothing', (t) => {
  const dir = tempDir(t);
  const store = open(dir);
  const before = readFileSync(store.path, 'utf8');
  let events = 0;
  store.onChange(() => events++);
  const r = store.update({ tuning: { defaults: { min: 4 } }, relay: { port: 70_000 }, proxy: { mode: 'explicit' } });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, 'SETTINGS_INVALID');
    assert.deepEqual(r.error.issues.map((i) => i.path).sort(), ['proxy.url', 'relay.port', 'tuning.defaults.min']);
    assert.ok(r.error.issues.every((i) => i.message.length > 0));
  }
  assert.equal(readFileSync(store.path, 'utf8'), before);
  assert.equal(events, 0);
  assert.deepEqual(store.get(), defaultSettings());
});

test('a patch carrying a secret is refused before anything is merged', (t) => {
  const dir = tempDir(t);
  const store = open(dir);
  const before = readFileSync(store.path, 'utf8');
  const r = store.update({ proxy: { username: 'alice', password: 'hunter2' } } as never);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, 'SETTINGS_SECRET_FIELD');
    assert.deepEqual(r.error.issues.map((i) => i.path), ['proxy.password']);
    assert.ok(!JSON.stringify(r.error).includes('hunter2'));
  }
  const url = store.update({ proxy: { url: 'http://alice:hunter2@proxy:3128' } });
  assert.equal(!url.ok && url.error.issues[0]!.path, 'proxy.url');
  assert.ok(!JSON.stringify(url).includes('hunter2'));
  assert.equal(readFileSync(store.path, 'utf8'), before);
  assert.ok(!readFileSync(store.path, 'utf8').includes('hunter2'));
  for (const bad of [null, [], 'x', { schemaVersion: 3 }]) assert.equal(store.update(bad as never).ok, false);
});

test('null resets a field to its default and removes a campaign override', (t) => {
  const dir = tempDir(t);
  const store = open(dir);
  assert.ok(store.update({ net: { connectionsPerOrigin: 4 }, tuning: { campaigns: { 'camp-1': { max: 2.2 }, 'camp-2': { mode: 'paused' } } } }).ok);
  assert.equal(store.get().net.connectionsPerOrigin, 4);
  const r = store.update({ net: { connectionsPerOrigin: null }, tuning: { campaigns: { 'camp-1': null } } });
  assert.ok(r.ok);
  assert.equal(store.get().net.connectionsPerOrigin, 20);
  assert.deepEqual(Object.keys(store.get().tuning.campaigns), ['camp-2']);
  assert.deepEqual(Object.keys(readJson(store.path).tuning.campaigns), ['camp-2']);
});

test('get() returns a frozen snapshot', (t) => {
  const store = open(tempDir(t));
  const s = store.get();
  assert.throws(() => {
    (s.net as { connectionsPerOrigin: number }).connectionsPerOrigin = 1;
  }, TypeError);
  assert.throws(() => {
    (s.proxy.noProxy as string[]).push('x');
  }, TypeError);
  assert.equal(store.get().net.connectionsPerOrigin, 20);
});

// ---- bad files -------------------------------------------------------------------------------

const BAD_FILES: [name: string, content: string, code: string, issuePath?: string][] = [
  ['broken JSON', '{"genesys": {"region": "eu_west_1",', 'SETTINGS_FILE_CORRUPT'],
  ['empty file', '', 'SETTINGS_FILE_CORRUPT'],
  ['a JSON array', '[1, 2, 3]', 'SETTINGS_FILE_CORRUPT'],
  ['a JSON string', '"settings"', 'SETTINGS_FILE_CORRUPT'],
  ['a wrong type', JSON.stringify({ schemaVersion: 2, relay: { port: '8080' } }), 'SETTINGS_FILE_INVALID', 'relay.port'],
  ['a schema violation', JSON.stringify({ schemaVersion: 2, tuning: { defaults: { min: 3, max: 1.5 } } }), 'SETTINGS_FILE_INVALID', 'tuning.defaults.min'],
  ['an unknown key', JSON.stringify({ schemaVersion: 2, genesys: { regoin: 'eu_west_1' } }), 'SETTINGS_FILE_INVALID', 'genesys.regoin'],
  ['a secret in the file', JSON.stringify({ schemaVersion: 2, genesys: { clientSecret: 'plain-text-secret' } }), 'SETTINGS_FILE_INVALID', 'genesys.clientSecret'],
  ['a future schemaVersion', JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION + 1, genesys: { region: 'eu_west_1' } }), 'SETTINGS_FROM_NEWER_VERSION'],
];

for (const [name, content, code, issuePath] of BAD_FILES) {
  test(`a settings file with ${name} is backed up, defaults are restored, and a warning says so`, (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'settings.json');
    writeFileSync(path, content);
    const logger = createMemoryLogger();
    const store = open(dir, { logger });

    assert.equal(store.warnings.length, 1);
    const w = store.warnings[0]!;
    assert.equal(w.code, code);
    assert.equal(w.backupPath, join(dir, 'settings.json.corrupt-20260105T080000Z'));
    assert.ok(w.message.includes(w.backupPath!));
    assert.ok(w.fix.length > 0);
    if (issuePath) assert.ok(w.issues?.some((i) => i.path === issuePath), JSON.stringify(w.issues));
    assert.equal(readFileSync(w.backupPath!, 'utf8'), content, 'the original bytes are kept');
    assert.deepEqual(store.get(), defaultSettings());
    assert.deepEqual(readJson(path), defaultSettings());
    assert.ok(!JSON.stringify(store.warnings).includes('plain-text-secret'));
    const logged = logger.lines.map((l) => JSON.parse(l));
    assert.ok(logged.some((l) => l.level === 'warn' && l.code === code));
    assert.ok(store.update({ genesys: { region: 'eu_west_2' } }).ok, 'the store keeps working');
  });
}

test('an unreadable settings entry (a directory) is moved aside too', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'settings.json'));
  writeFileSync(join(dir, 'settings.json', 'inside.txt'), 'keep me');
  const store = open(dir);
  assert.equal(store.warnings[0]?.code, 'SETTINGS_FILE_UNREADABLE');
  assert.match(store.warnings[0]!.message, /EISDIR/);
  assert.equal(readFileSync(join(store.warnings[0]!.backupPath!, 'inside.txt'), 'utf8'), 'keep me');
  assert.deepEqual(readJson(join(dir, 'settings.json')), defaultSettings());
});

test('repeated corruption in the same second keeps every backup', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'settings.json');
  writeFileSync(path, 'first');
  open(dir);
  writeFileSync(path, 'second');
  const store = open(dir);
  assert.equal(store.warnings[0]?.backupPath, `${path}.corrupt-20260105T080000Z-2`);
  const backups = readdirSync(dir).filter((f) => f.includes('.corrupt-')).sort();
  assert.deepEqual(backups.map((f) => readFileSync(join(dir, f), 'utf8')), ['first', 'second']);
});

test('reload picks up an external edit and handles a file broken behind our back', (t) => {
  const dir = tempDir(t);
  const store = open(dir);
  const changes: SettingsChange[] = [];
  store.onChange((c) => changes.push(c));
  writeFileSync(store.path, JSON.stringify({ ...defaultSettings(), sandbox: { enabled: 'on', seed: 7, speed: 10 } }));
  assert.deepEqual(store.reload(), []);
  assert.equal(store.get().sandbox.seed, 7);
  assert.deepEqual(changes.map((c) => c.sections), [['sandbox']]);

  writeFileSync(store.path, '{oops');
  const warnings = store.reload();
  assert.equal(warnings[0]?.code, 'SETTINGS_FILE_CORRUPT');
  assert.equal(store.get().sandbox.seed, 1);
  assert.deepEqual(changes.map((c) => c.sections), [['sandbox'], ['sandbox']]);
  assert.equal(readFileSync(warnings[0]!.backupPath!, 'utf8'), '{oops');
});

test('when the folder cannot be written, updates fail with SETTINGS_NOT_SAVED and nothing changes', (t) => {
  const dir = tempDir(t);
  const blocker = join(dir, 'not-a-dir');
  writeFileSync(blocker, 'a file where the settings folder should be');
  const store = open(join(blocker, 'pacekeeper'));
  assert.equal(store.warnings[0]?.code, 'SETTINGS_NOT_SAVED');
  assert.deepEqual(store.get(), defaultSettings());
  const r = store.update({ genesys: { region: 'eu_west_1' } });
  assert.equal(!r.ok && r.error.code, 'SETTINGS_NOT_SAVED');
  assert.equal(store.get().genesys.region, 'us_east_1');
});

// Root ignores directory permissions, so as root the scenario runs in a child as `nobody`.
const isRoot = process.getuid?.() === 0;
test('a bad file that cannot be moved aside is never overwritten', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'settings.json');
  const content = JSON.stringify({ schemaVersion: 2, relay: { port: 'x' } });
  writeFileSync(path, content);
  if (isRoot) {
    chmodSync(path, 0o644);
    chownSync(dir, 65534, 65534);
  }
  chmodSync(dir, 0o500);
  const child = spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', fileURLToPath(new URL('./fixtures/unmovable-file.ts', import.meta.url)), dir], {
    encoding: 'utf8',
    timeout: 30_000,
    ...(isRoot ? { uid: 65534, gid: 65534, cwd: '/' } : {}),
  });
  chmodSync(dir, 0o700); // so the temp dir can be removed
  assert.equal(child.status, 0, child.stderr);
  const r = JSON.parse(child.stdout) as { warnings: string[]; updateOk: boolean };
  assert.deepEqual(r.warnings, ['SETTINGS_FILE_INVALID', 'SETTINGS_NOT_SAVED']);
  assert.equal(r.updateOk, false);
  assert.equal(readFileSync(path, 'utf8'), content);
  assert.deepEqual(readdirSync(dir), ['settings.json']);
});

test('the conf class is injectable (Electron passes electron-store the same way)', (t) => {
  const dir = tempDir(t);
  class RecordingConf extends Conf<Record<string, unknown>> {
    static options: unknown[] = [];
    constructor(options: ConstructorParameters<ConfLikeClass>[0]) {
      RecordingConf.options.push(options);
      super(options);
    }
  }
  const store = open(dir, { Store: RecordingConf });
  assert.ok(store.update({ ui: { loginItem: true } }).ok);
  assert.deepEqual(RecordingConf.options, [{
    cwd: dir,
    configName: 'settings',
    name: 'settings',
    fileExtension: 'json',
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  }]);
  assert.equal(readJson(join(dir, 'settings.json')).ui.loginItem, true);
});
