// The e2e tests' skip detection: it must find an Electron binary where one exists and explain
// itself where none does, without ever requiring 'electron' (which would start a download).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary, platformExecutable } from '../../scripts/electron-binary.ts';

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

/** Runs `scripts/start.ts` (what `npm start` runs after the build) with an Electron override. */
async function runStart(override: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'scripts/start.ts', '--flag'], { env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: override }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

test('npm start without a binary explains why and points at the headless host', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pk-start-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const r = await runStart(dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot start the desktop app: ELECTRON_OVERRIDE_DIST_PATH=.* holds no Electron executable/);
  assert.match(r.stderr, /npm run headless/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('npm start runs the found binary on the project, forwarding arguments and the exit code', { skip: process.platform === 'win32' }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pk-start-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bin = join(dir, platformExecutable(process.platform));
  await mkdir(join(bin, '..'), { recursive: true });
  await writeFile(bin, '#!/bin/sh\necho "args: $*"\nexit 3\n');
  await chmod(bin, 0o755);
  const r = await runStart(dir);
  assert.equal(r.stdout.trim(), 'args: . --flag');
  assert.equal(r.code, 3);
});
