// Start-up decisions: where the profile lives, whether the dashboard opens, where the bundled
// files are, and whether the e2e test hook is exposed.
import { isAbsolute, join, resolve } from 'node:path';
import { HIDDEN_ARG, USER_DATA_FOLDER } from './app-identity.ts';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The userData folder. Pinned to "<appData>/Pacekeeper" so `electron .` (app name "pacekeeper"
 * from package.json) and the packaged app (productName) share one profile, the same folder the
 * headless host uses (main/core/data-dir.ts). PACEKEEPER_DATA_DIR, as for the headless host, gives
 * tests and side-by-side installs their own profile, single-instance lock and settings.
 */
export function userDataDir(env: Env, appDataDir: string, cwd: string = process.cwd()): string {
  const override = env.PACEKEEPER_DATA_DIR;
  if (override) return isAbsolute(override) ? resolve(override) : resolve(cwd, override);
  return join(appDataDir, USER_DATA_FOLDER);
}

export interface StartupInput {
  argv: readonly string[];
  /** macOS login items cannot pass arguments; app.getLoginItemSettings().wasOpenedAtLogin says it instead. */
  openedAtLogin: boolean;
}

/**
 * Open the dashboard at start unless launched at login. A manual launch shows it because on
 * desktops without a tray (GNOME without AppIndicator) the window is the only sign of life.
 */
export function showDashboardAtStart(input: StartupInput): boolean {
  return !input.openedAtLogin && !input.argv.includes(HIDDEN_ARG);
}

export function testHooksEnabled(env: Env): boolean {
  return env.PACEKEEPER_TEST === '1';
}

export interface BundlePaths {
  rendererRoot: string;
  preload: string;
  assets: string;
}

/** Where scripts/build.ts puts things, relative to dist/main/ (the folder of the main bundle). */
export function bundlePaths(mainBundleDir: string): BundlePaths {
  const dist = resolve(mainBundleDir, '..');
  return {
    rendererRoot: join(dist, 'renderer'),
    preload: join(dist, 'preload', 'index.cjs'),
    assets: join(dist, 'assets'),
  };
}
