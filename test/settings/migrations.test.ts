import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateSettings, v1ToV2, type MigrationStep } from '../../main/settings/migrations.ts';
import { validateSettings } from '../../main/settings/load-settings.ts';
import { defaultSettings, SETTINGS_SCHEMA_VERSION } from '../../main/settings/schema.ts';
import { openSettingsStore } from '../../main/settings/settings-store.ts';
import { Redactor } from '../../main/util/redact.ts';

const PASSWORD = 'p@ss: w%rd 🎉';

/** A settings file as the 0.1 prototype wrote it. */
const V1 = {
  schemaVersion: 1,
  region: 'eu_central_1',
  clientId: 'c0ffee00-1111-2222-3333-444455556666',
  proxyUrl: `http://CORP%5Calice:${encodeURIComponent(PASSWORD)}@proxy.corp.example:3128`,
  noProxy: 'localhost, .corp.example,10.0.0.0/8',
  sandbox: false,
  tuning: { min: 1.2, max: 2.8, intervalSec: 60, mode: 'dry-run' },
  ui: { loginItem: true },
};

test('v1 → v2 moves fields into sections and takes the proxy password out', () => {
  const out = migrateSettings(structuredClone(V1));
  assert.ok(out.ok);
  if (!out.ok) return;
  assert.equal(out.value.from, 1);
  assert.equal(out.value.to, SETTINGS_SCHEMA_VERSION);
  assert.deepEqual(out.value.movedSecrets, { 'proxy.password': PASSWORD });
  assert.ok(!JSON.stringify(out.value.doc).includes(encodeURIComponent(PASSWORD)));
  assert.ok(!JSON.stringify(out.value.doc).includes(PASSWORD));

  const valid = validateSettings(out.value.doc);
  assert.ok(valid.ok, JSON.stringify(!valid.ok && valid.issues));
  if (!valid.ok) return;
  const s = valid.settings;
  assert.deepEqual(s.genesys, { region: 'eu_central_1', clientId: V1.clientId });
  assert.deepEqual(s.proxy, {
    ...defaultSettings().proxy,
    mode: 'explicit',
    url: 'http://proxy.corp.example:3128',
    username: 'CORP\\alice',
    noProxy: ['localhost', '.corp.example', '10.0.0.0/8'],
  });
  assert.equal(s.sandbox.enabled, 'off');
  assert.deepEqual(s.tuning.defaults, { ...defaultSettings().tuning.defaults, min: 1.2, max: 2.8, intervalSec: 60, mode: 'dry-run' });
  assert.equal(s.ui.loginItem, true);
});

test('v1 without a proxy or sandbox flag keeps the v2 defaults for them', () => {
  const { doc } = v1ToV2({ schemaVersion: 1, region: 'us_west_2', sandbox: true });
  const valid = validateSettings(doc);
  assert.ok(valid.ok);
  if (!valid.ok) return;
  assert.deepEqual(valid.settings.proxy, defaultSettings().proxy);
  assert.equal(valid.settings.sandbox.enabled, 'on');
});

test('a file without schemaVersion is treated as v1', () => {
  const out = migrateSettings({ region: 'ap_south_1' });
  assert.ok(out.ok);
  if (out.ok) assert.deepEqual(out.value.doc, { schemaVersion: 2, genesys: { region: 'ap_south_1' } });
});

test('the current version passes through unchanged; newer and malformed versions are refused', () => {
  const current = { schemaVersion: SETTINGS_SCHEMA_VERSION, genesys: { region: 'eu_west_1' } };
  const same = migrateSettings(current);
  assert.ok(same.ok);
  if (same.ok) {
    assert.equal(same.value.doc, current);
    assert.equal(same.value.from, SETTINGS_SCHEMA_VERSION);
  }
  const newer = migrateSettings({ schemaVersion: SETTINGS_SCHEMA_VERSION + 1 });
  assert.equal(!newer.ok && newer.error.code, 'SETTINGS_FROM_NEWER_VERSION');
  for (const v of [0, 1.5, '2', null]) {
    const bad = migrateSettings({ schemaVersion: v });
    assert.equal(!bad.ok && bad.error.code, 'SETTINGS_INVALID', String(v));
  }
});

test('a failing or missing step is reported without quoting the file', () => {
  const throwing: MigrationStep = (doc) => {
    throw new Error(`cannot handle ${JSON.stringify(doc)}`);
  };
  const failed = migrateSettings({ schemaVersion: 1, proxyUrl: 'http://u:leaked@p:1' }, 2, { 2: throwing });
  assert.equal(failed.ok, false);
  if (!failed.ok) {
    assert.equal(failed.error.code, 'SETTINGS_INVALID');
    assert.ok(!failed.error.message.includes('leaked'));
  }
  const gap = migrateSettings({ schemaVersion: 1 }, 3, { 2: v1ToV2 });
  assert.equal(!gap.ok && gap.error.message, 'No migration to schemaVersion 3.');
});

test('opening a v1 file migrates it on disk, hands over the password once and registers it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pk-migrate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'settings.json');
  writeFileSync(path, JSON.stringify(V1, null, 2));
  const redactor = new Redactor();

  const store = openSettingsStore({ cwd: dir, redactor });
  assert.deepEqual(store.warnings, []);
  assert.equal(store.migratedFrom, 1);
  assert.equal(store.get().proxy.username, 'CORP\\alice');
  assert.equal(redactor.text(`pw=${PASSWORD}`), 'pw=[redacted]');
  assert.deepEqual(store.takeMovedSecrets(), { 'proxy.password': PASSWORD });
  assert.deepEqual(store.takeMovedSecrets(), {});

  const text = readFileSync(path, 'utf8');
  assert.equal(JSON.parse(text).schemaVersion, 2);
  assert.ok(!text.includes(encodeURIComponent(PASSWORD)) && !text.includes('alice:'), 'the password left the file');

  const again = openSettingsStore({ cwd: dir, redactor });
  assert.equal(again.migratedFrom, undefined);
  assert.deepEqual(again.takeMovedSecrets(), {});
  assert.deepEqual(again.get(), store.get());
});
