// Applies the "start at login" setting (ui.loginItem): setLoginItemSettings on macOS/Windows, an
// XDG autostart entry on Linux. Re-applied whenever settings are saved; a no-op when unchanged.
import { homedir } from 'node:os';
import { app } from 'electron';
import type { Logger } from '../util/log.ts';
import { loginItemPlan, xdgConfigHome, type LoginItemEnvironment } from './policy/login-item.ts';
import { applyAutostartEntry } from './xdg-autostart.ts';

export function loginItemEnvironment(): LoginItemEnvironment {
  return {
    platform: process.platform,
    execPath: process.execPath,
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    appImage: process.env.APPIMAGE,
    configHome: xdgConfigHome(process.env, homedir()),
  };
}

export async function applyLoginItem(enabled: boolean, logger: Logger, env: LoginItemEnvironment = loginItemEnvironment()): Promise<void> {
  const plan = loginItemPlan(enabled, env);
  try {
    if (plan.kind === 'login-item-settings') {
      app.setLoginItemSettings(plan.settings);
      logger.info('login item set', { openAtLogin: plan.settings.openAtLogin });
      return;
    }
    const change = await applyAutostartEntry(plan.path, plan.content);
    if (change !== 'unchanged') logger.info('autostart entry updated', { path: plan.path, change });
  } catch (error) {
    logger.warn('could not update the login item', { enabled, error });
  }
}

/** macOS passes no arguments to login items; this is how a login launch is recognised there. */
export function wasOpenedAtLogin(): boolean {
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
