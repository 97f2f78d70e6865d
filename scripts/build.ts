// Bundles the app with esbuild into dist/: the Electron main process (ESM), the sandboxed preload
// (CommonJS, as Electron requires for sandboxed preloads), the renderer (browser ESM + static files)
// and the CLI. Native and Electron modules stay external.
import { build, type BuildOptions } from 'esbuild';
import { buildRenderer } from './build-renderer.ts';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const outdir = 'dist';
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const nodeExternals = ['electron', '@napi-rs/keyring', 'bufferutil', 'utf-8-validate'];
const common: BuildOptions = { bundle: true, sourcemap: true, logLevel: 'info', legalComments: 'linked' };
// ESM bundles that pull in CommonJS dependencies need a real `require`.
const esmRequireShim = "import { createRequire as __pkCreateRequire } from 'node:module'; const require = __pkCreateRequire(import.meta.url);";

const targets: BuildOptions[] = [];
if (existsSync('main/index.ts')) {
  targets.push({ ...common, entryPoints: { 'main/index': 'main/index.ts' }, outExtension: { '.js': '.mjs' }, platform: 'node', format: 'esm', target: 'node22', external: nodeExternals, banner: { js: esmRequireShim } });
}
if (existsSync('preload/index.ts')) {
  targets.push({ ...common, entryPoints: { 'preload/index': 'preload/index.ts' }, outExtension: { '.js': '.cjs' }, platform: 'node', format: 'cjs', target: 'chrome130', external: ['electron'] });
}
// The CLI builds the dashboard on demand only from a source checkout; the bundle finds dist/renderer.
targets.push({ ...common, entryPoints: { cli: 'main/cli.ts' }, outExtension: { '.js': '.mjs' }, platform: 'node', format: 'esm', target: 'node22', external: [...nodeExternals, 'esbuild', '../../scripts/build-renderer.ts'], banner: { js: esmRequireShim } });

await Promise.all([...targets.map((t) => build({ ...t, outdir })), buildRenderer({ outdir: resolve(outdir, "renderer") })]);
if (existsSync('assets')) cpSync('assets', `${outdir}/assets`, { recursive: true });
console.log('build complete');
