// Builds the dashboard into a directory the Electron app:// handler and the headless host serve:
// app.js (browser ESM, chart.js and zod bundled), index.html and styles.css copied as they are,
// plus the bundle's source map and licence file. Runs in Node (scripts/build.ts, tests, the
// benchmark) but uses esbuild only, so it type-checks with the renderer's browser libs.
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

/** This directory, as a file path, whatever the platform's spelling. */
function rendererDir(): string {
  const path = decodeURIComponent(new URL('.', import.meta.url).pathname);
  // file:///C:/x/ → /C:/x/ on Windows: drop the slash before the drive letter.
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

/** `buildRenderer('dist/renderer')` is short for `buildRenderer({ outdir: 'dist/renderer' })`. */
export async function buildRenderer(options: BuildRendererOptions | string): Promise<BuiltRenderer> {
  const opts = typeof options === 'string' ? { outdir: options } : options;
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
