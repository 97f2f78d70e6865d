// Names that must agree across the shell, electron-builder.yml and the OS: the appId is the
// Windows AppUserModelID (toasts only show for a Start-menu shortcut carrying the same id) and
// seeds the NSIS GUID, so it never changes once shipped.

export const APP_ID = 'com.pacekeeper.desktop';

/** The AppUserModelID to set before `ready`: Windows only (elsewhere there is nothing to set). */
export function appUserModelId(platform: NodeJS.Platform): string | undefined {
  return platform === 'win32' ? APP_ID : undefined;
}
export const PRODUCT_NAME = 'Pacekeeper';
/** Used for the userData folder name, so dev (`electron .`) and packaged builds share one profile. */
export const USER_DATA_FOLDER = 'Pacekeeper';
/** XDG autostart / .desktop file stem (lower case, as electron-builder names the deb's entry). */
export const DESKTOP_FILE_STEM = 'pacekeeper';

/** The renderer is served from `app://pacekeeper/…`, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'pacekeeper';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}` as const;
export const DASHBOARD_URL = `${APP_ORIGIN}/index.html` as const;

/** Argument passed by login items: start in the tray without opening the dashboard. */
export const HIDDEN_ARG = '--hidden';
