// The e2e tests' skip detection: it must find an Electron binary where one exists and explain
// itself where none does, without ever requiring 'electron' (which would start a download).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary, platformExecutable } from '../e2e/electron/electron-binary.ts';

async function project(t: { after(fn: () => Promise<void>): void }, opts: { pathTxt?: string; binary?: string; noPackage?: boolean } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'pk-electron-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const pkg = join(root, 'node_modules', 'electron');
  if (!opts.noPackage) {
    await mkdir(join(pkg, 'dist'), { recursive: true });
    await writeFile(join(pkg, 'package.json'), '{"name":"electron","version":"45.4.1"}');
  }
  if (opts.pathTxt !== undefined) await writeFile(join(pkg, 'path.txt'), opts.pathTxt);
  if (opts.binary) {
    const file = join(pkg, 'dist', opts.binary);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, '#!/bin/sh\n');
    await chmod(file, 0o755);
  }
  return root;
}

test('no electron package: skip with an install hint', async (t) => {
  const root = await project(t, { noPackage: true });
  const r = findElectronBinary({ root, env: {}, platform: 'linux' });
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /not installed/);
});

test('package without a downloaded binary (this machine): skip, naming ELECTRON_OVERRIDE_DIST_PATH', async (t) => {
  const root = await project(t);
  const r = findElectronBinary({ root, env: {}, platform: 'linux' });
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /never downloaded.*ELECTRON_OVERRIDE_DIST_PATH/);
});

test('path.txt pointing at a missing file: skip', async (t) => {
  const root = await project(t, { pathTxt: 'electron' });
  assert.equal(findElectronBinary({ root, env: {}, platform: 'linux' }).ok, false);
});

test('a downloaded binary is found through path.txt', async (t) => {
  const root = await project(t, { pathTxt: 'electron', binary: 'electron' });
  assert.deepEqual(findElectronBinary({ root, env: {}, platform: 'linux' }), {
    ok: true,
    path: join(root, 'node_modules', 'electron', 'dist', 'electron'),
    source: 'package',
  });
});

test('ELECTRON_OVERRIDE_DIST_PATH wins and must hold the executable', async (t) => {
  const root = await project(t);
  const dist = join(root, 'electron-dist');
  await mkdir(dist);
  const missing = findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: dist }, platform: 'linux' });
  assert.equal(missing.ok, false);
  await writeFile(join(dist, 'electron'), '');
  await chmod(join(dist, 'electron'), 0o755);
  assert.deepEqual(findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: dist }, platform: 'linux' }), {
    ok: true,
    path: join(dist, 'electron'),
    source: 'override',
  });
});

test('a non-executable file is not a binary', async (t) => {
  const root = await project(t, { pathTxt: 'electron', binary: 'electron' });
  await chmod(join(root, 'node_modules', 'electron', 'dist', 'electron'), 0o644);
  assert.equal(findElectronBinary({ root, env: {}, platform: 'linux' }).ok, process.platform === 'win32');
});

test('platform executables match electron\'s install layout', () => {
  assert.equal(platformExecutable('linux'), 'electron');
  assert.equal(platformExecutable('win32'), 'electron.exe');
  assert.equal(platformExecutable('darwin'), 'Electron.app/Contents/MacOS/Electron');
});

test('on this checkout the answer is consistent with node_modules/electron', async () => {
  const r = findElectronBinary({ root: process.cwd(), env: process.env, platform: process.platform });
  const { existsSync } = await import('node:fs');
  const downloaded = existsSync(join('node_modules', 'electron', 'path.txt')) || !!process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!downloaded) assert.equal(r.ok, false);
  if (r.ok) assert.ok(existsSync(r.path));
});
