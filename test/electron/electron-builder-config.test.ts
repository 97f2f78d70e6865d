// electron-builder.yml: schema-valid according to electron-builder itself, and carrying the
// identity, fuses and packaging rules issue #8 requires.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { APP_ID, PRODUCT_NAME } from '../../main/electron/policy/app-identity.ts';

const require = createRequire(import.meta.url);
type Target = { target: string };
/** The parts of electron-builder's resolved configuration these tests read. */
interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  files: { filter: string[] }[];
  extraMetadata: { homepage?: string };
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; maintainer?: string; icon: string };
  deb: { depends: string[]; recommends: string[] };
  win: { target: Target[]; icon: string };
  nsis: { oneClick: boolean; createStartMenuShortcut: boolean };
  mac: { target: Target[]; icon: string; extendInfo: Record<string, unknown> };
}
type Loader = {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
// electron-builder's own loader and JSON-schema validator (app-builder-lib ships with it).
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as Loader;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const ROOT = resolve('.');
const load = (path = join(ROOT, 'electron-builder.yml')) => getConfig(ROOT, path, null);

test('electron-builder accepts the configuration', async () => {
  await validateConfiguration(await load(), new DebugLogger(false));
});

test('the validator used above rejects a bad fuse name (so the test can fail)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pk-eb-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const text = await readFile(join(ROOT, 'electron-builder.yml'), 'utf8');
  const bad = join(dir, 'bad.yml');
  await writeFile(bad, text.replace('runAsNode: false', 'runAsNode: false\n  runAsNodeTypo: true'));
  await assert.rejects(async () => validateConfiguration(await load(bad), new DebugLogger(false)), /does not match the API schema/);
});

test('identity matches the shell (AppUserModelID) and product name', async () => {
  const c = await load();
  assert.equal(c.appId, APP_ID);
  assert.equal(c.productName, PRODUCT_NAME);
});

test('fuses: no run-as-node, no NODE_OPTIONS, no inspect, asar integrity, asar-only', async () => {
  const f = (await load()).electronFuses;
  assert.equal(f.runAsNode, false);
  assert.equal(f.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(f.enableNodeCliInspectArguments, false);
  assert.equal(f.enableEmbeddedAsarIntegrityValidation, true);
  assert.equal(f.onlyLoadAppFromAsar, true);
  assert.equal(f.grantFileProtocolExtraPrivileges, false);
  assert.equal((await load()).asar, true);
});

test('Linux: AppImage and deb; the deb depends on libsecret and recommends appindicator', async () => {
  const c = await load();
  assert.deepEqual(c.linux.target, ['AppImage', 'deb']);
  assert.ok(c.deb.depends.includes('libsecret-1-0'));
  assert.ok(c.deb.depends.includes('libnotify4'), 'notifications need libnotify');
  assert.deepEqual(c.deb.recommends, ['libappindicator3-1']);
  assert.ok(c.linux.maintainer && c.extraMetadata.homepage, 'fpm refuses a deb without maintainer and homepage');
});

test('Windows: nsis, not one-click, with a Start-menu shortcut for toasts', async () => {
  const c = await load();
  assert.deepEqual(c.win.target.map((t) => t.target), ['nsis']);
  assert.equal(c.nsis.oneClick, false);
  assert.equal(c.nsis.createStartMenuShortcut, true);
});

test('macOS: dmg, tray-only (LSUIElement)', async () => {
  const c = await load();
  assert.deepEqual(c.mac.target.map((t) => t.target), ['dmg']);
  assert.equal(c.mac.extendInfo.LSUIElement, true);
});

test('the packed files include the bundles and assets, and the icons exist', async () => {
  const c = await load();
  // getConfig normalises the list into [{ filter: [...] }].
  const patterns = c.files.flatMap((f) => f.filter);
  for (const p of ['dist/main/**', 'dist/preload/**', 'dist/renderer/**', 'dist/assets/**', 'package.json']) assert.ok(patterns.includes(p), p);
  for (const icon of [c.mac.icon, c.win.icon, c.linux.icon]) await readFile(join(ROOT, icon));
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  assert.match(pkg.main, /^dist\/main\//, 'package.json main is inside the packed files');
});
