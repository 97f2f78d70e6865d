// Finds the Electron executable the way node_modules/electron/index.js does, minus its download:
// requiring 'electron' from Node fetches the binary when it is missing (Electron >= 42 has no
// postinstall), which fails on our build machines. The e2e tests skip with the reason given here,
// and `npm start` (scripts/start.ts) prints it with the headless alternative.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { ok: true; path: string; source: 'override' | 'package' } | { ok: false; reason: string };

export interface FindElectronOptions {
  /** The project root (holds node_modules/electron). */
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
}

/** The executable inside an unpacked Electron distribution, as electron's install.js writes path.txt. */
export function platformExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export function findElectronBinary(o: FindElectronOptions): ElectronBinary {
  const pkg = join(o.root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { ok: false, reason: 'the electron package is not installed (npm install)' };
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;

  const override = o.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, relative || platformExecutable(o.platform));
    return checkExecutable(candidate, 'override', `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no Electron executable at ${candidate}`);
  }
  if (!relative) {
    return {
      ok: false,
      reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing); set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45',
    };
  }
  const candidate = join(pkg, 'dist', relative);
  return checkExecutable(candidate, 'package', `node_modules/electron/dist has no ${relative}; reinstall electron or set ELECTRON_OVERRIDE_DIST_PATH`);
}

function checkExecutable(path: string, source: 'override' | 'package', reason: string): ElectronBinary {
  try {
    if (!statSync(path).isFile()) return { ok: false, reason };
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return { ok: true, path, source };
  } catch {
    return { ok: false, reason };
  }
}
