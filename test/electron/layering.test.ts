// Keeps main/electron humble and the tests runnable without the Electron binary: pure policy
// modules import electron for types only, unit tests never reach an electron import, and the
// sandboxed preload bundles to one CommonJS file that requires nothing but 'electron'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { EVENT_NAMES, INVOKE_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX } from '../../preload/contract.ts';

const RUNTIME_ELECTRON = /^\s*import\s+(?!type\b)[^;]*from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/m;
const RELATIVE_IMPORT = /^\s*import\s+(type\s+)?[^;]*?from\s+['"](\.[^'"]+)['"]/gm;

/** Files reachable through runtime (non-type) relative imports. */
function runtimeClosure(entry: string, seen = new Set<string>()): Set<string> {
  const file = resolve(entry);
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
    if (m[1]) continue;
    runtimeClosure(join(dirname(file), m[2]!), seen);
  }
  return seen;
}

test('policy modules never import electron at runtime', () => {
  const files = globSync('main/electron/policy/*.ts');
  assert.ok(files.length >= 10);
  for (const f of files) assert.doesNotMatch(readFileSync(f, 'utf8'), RUNTIME_ELECTRON, f);
});

test('unit tests under test/electron reach no runtime electron import', () => {
  for (const t of globSync('test/electron/*.ts')) {
    for (const file of runtimeClosure(t)) {
      if (file.includes('node_modules')) continue;
      assert.doesNotMatch(readFileSync(file, 'utf8'), RUNTIME_ELECTRON, `${t} → ${file}`);
    }
  }
});

test('the closure walker sees through to electron imports (so the test above can fail)', () => {
  const reached = [...runtimeClosure('main/electron/desktop-app.ts')];
  assert.ok(reached.some((f) => RUNTIME_ELECTRON.test(readFileSync(f, 'utf8'))));
});

test('the preload bundles to CommonJS that requires only electron and carries no zod', async () => {
  const out = await build({
    entryPoints: ['preload/index.ts'],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text;
  const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(required)], ['electron']);
  assert.doesNotMatch(code, /\bzod\b|ZodError|safeParse/);
  // Named methods only: the world sees `pacekeeper` with invoke/on, never ipcRenderer itself.
  assert.match(code, /exposeInMainWorld\("pacekeeper"/);
  assert.equal([...code.matchAll(/exposeInMainWorld\(/g)].length, 1);
  assert.doesNotMatch(code, /exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  // The preload restates the contract's channel names (it cannot load zod); they must agree.
  assert.ok(code.includes(JSON.stringify(IPC_INVOKE_PREFIX)), IPC_INVOKE_PREFIX);
  assert.ok(code.includes(JSON.stringify(IPC_EVENT_CHANNEL)), IPC_EVENT_CHANNEL);
  for (const name of [...INVOKE_NAMES, ...EVENT_NAMES]) assert.match(code, new RegExp(`["\\s{]${name.replace(':', '\\:')}["]?:\\s*true`), name);
});
