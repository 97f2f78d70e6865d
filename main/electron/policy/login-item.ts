// How "start at login" is applied per platform. macOS and Windows: app.setLoginItemSettings.
// Linux has no such API in Electron, so an XDG autostart entry is written instead
// (~/.config/autostart/pacekeeper.desktop), pointing at the AppImage when run from one, since
// process.execPath is then a temporary mount that disappears at exit.
import { isAbsolute, join } from 'node:path';
import { DESKTOP_FILE_STEM, HIDDEN_ARG, PRODUCT_NAME } from './app-identity.ts';

export interface LoginItemEnvironment {
  platform: NodeJS.Platform;
  /** process.execPath */
  execPath: string;
  /** app.isPackaged: an unpackaged run must pass the app folder to the Electron binary. */
  isPackaged: boolean;
  /** app.getAppPath() */
  appPath: string;
  /** process.env.APPIMAGE, set by the AppImage runtime. */
  appImage?: string | undefined;
  /** $XDG_CONFIG_HOME or ~/.config (see xdgConfigHome). */
  configHome: string;
}

export type LoginItemPlan =
  | { kind: 'login-item-settings'; settings: { openAtLogin: boolean; path?: string; args?: string[] } }
  /** content null: remove the entry. */
  | { kind: 'xdg-autostart'; path: string; content: string | null };

export function loginItemPlan(enabled: boolean, env: LoginItemEnvironment): LoginItemPlan {
  if (env.platform === 'darwin') {
    // macOS ignores args for the main app service; wasOpenedAtLogin tells the app to stay hidden.
    return { kind: 'login-item-settings', settings: { openAtLogin: enabled } };
  }
  if (env.platform === 'win32') {
    const args = env.isPackaged ? [HIDDEN_ARG] : [env.appPath, HIDDEN_ARG];
    return { kind: 'login-item-settings', settings: { openAtLogin: enabled, path: env.execPath, args } };
  }
  const path = join(env.configHome, 'autostart', `${DESKTOP_FILE_STEM}.desktop`);
  return { kind: 'xdg-autostart', path, content: enabled ? autostartDesktopEntry(launchCommand(env)) : null };
}

/** What the autostart entry runs: the AppImage, the installed binary, or `electron <app>` in dev. */
export function launchCommand(env: LoginItemEnvironment): string[] {
  if (env.appImage && isAbsolute(env.appImage)) return [env.appImage, HIDDEN_ARG];
  if (env.isPackaged) return [env.execPath, HIDDEN_ARG];
  return [env.execPath, env.appPath, HIDDEN_ARG];
}

export function autostartDesktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    `Name=${PRODUCT_NAME}`,
    'Comment=Genesys Cloud outbound pacing monitor',
    `Exec=${command.map(quoteExecArg).join(' ')}`,
    `Icon=${DESKTOP_FILE_STEM}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Quotes one Exec argument per the Desktop Entry spec: the argument is double-quoted; inside
 * quotes ", `, $ and \ take a backslash; then the string-value escaping doubles every backslash
 * (it is undone first when the file is read); "%" becomes "%%" so it is not a field code.
 */
export function quoteExecArg(arg: string): string {
  if (/[\n\r\t\0]/.test(arg)) throw new RangeError('An autostart command cannot contain control characters.');
  const quoted = arg.replace(/["`$\\]/g, (c) => `\\${c}`);
  const stringEscaped = quoted.replace(/\\/g, '\\\\');
  return `"${stringEscaped.replace(/%/g, '%%')}"`;
}

/** $XDG_CONFIG_HOME when it is an absolute path (the spec says to ignore relative ones), else ~/.config. */
export function xdgConfigHome(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const configured = env.XDG_CONFIG_HOME;
  return configured && isAbsolute(configured) ? configured : join(homeDir, '.config');
}
