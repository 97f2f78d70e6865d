// Where the headless host keeps settings, the audit trail and the telemetry spool. The Electron
// shell uses app.getPath('userData') instead; both end up in the per-user config directory.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PACEKEEPER_DATA_DIR) return env.PACEKEEPER_DATA_DIR;
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Pacekeeper');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Pacekeeper');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Pacekeeper');
}

/** Where the tuning service keeps its audit trail (and `pacekeeper audit export` reads it). */
export function auditDirOf(dataDir: string): string {
  return join(dataDir, 'audit');
}
