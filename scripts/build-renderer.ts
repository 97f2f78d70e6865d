// Builds the dashboard into a directory the Electron app:// handler and the headless host serve:
// app.js (browser ESM, chart.js and zod bundled), index.html and styles.css copied as they are,
// plus the bundle's source map and licence file. Runs in Node: scripts/build.ts, the headless
// command (first run from a source checkout), tests and the benchmark.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface BuildRendererOptions {
  /** Output directory, e.g. dist/renderer or a temp dir in tests. */
  outdir: string;
  /** Default true. */
  minify?: boolean;
  /** Default true (linked .map file). */
  sourcemap?: boolean;
}

export interface BuiltRenderer {
  outdir: string;
  files: string[];
}

/** The renderer's sources, next to this script's folder. */
function rendererDir(): string {
  return fileURLToPath(new URL('../renderer/', import.meta.url));
}

/** `buildRenderer('dist/renderer')` is short for `buildRenderer({ outdir: 'dist/renderer' })`. */
export async function buildRenderer(options: BuildRendererOptions | string): Promise<BuiltRenderer> {
  const given = typeof options === 'string' ? { outdir: options } : options;
  // Relative output paths are relative to the caller's working directory, not to renderer/.
  const opts = { ...given, outdir: resolve(given.outdir) };
  const dir = rendererDir();
  const result = await build({
    absWorkingDir: dir,
    entryPoints: [
      { in: 'main.ts', out: 'app' },
      { in: 'index.html', out: 'index' },
      { in: 'styles.css', out: 'styles' },
    ],
    // The static files are copied byte for byte; CSP-wise they are the files reviewed in the repo.
    loader: { '.html': 'copy', '.css': 'copy' },
    outdir: opts.outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    minify: opts.minify ?? true,
    sourcemap: opts.sourcemap ?? true,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  // metafile paths are relative to absWorkingDir; callers want the names inside outdir.
  return { outdir: opts.outdir, files: Object.keys(result.metafile.outputs).map((f) => f.split('/').pop() as string).sort() };
}
