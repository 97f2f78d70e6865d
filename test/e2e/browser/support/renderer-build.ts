// Builds the dashboard once per test process into a temp dir (esbuild, well under a second) and
// removes it when the process exits. Tests then serve exactly what `npm run build` would ship.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRenderer } from '../../../../scripts/build-renderer.ts';

let built: Promise<string> | undefined;

export function builtRendererDir(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-renderer-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await buildRenderer({ outdir: dir, minify: true, sourcemap: true });
    return dir;
  })();
  return built;
}
