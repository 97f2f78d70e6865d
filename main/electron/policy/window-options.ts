// The dashboard window's options, per Electron's security checklist: isolated, sandboxed, no Node
// in any frame or worker, web security on, no webviews, no experimental or Blink features.
// Produced by a pure function so a unit test can pin every flag.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { PRODUCT_NAME } from './app-identity.ts';

export interface WindowOptionsInput {
  /** Absolute path of the bundled, sandboxed preload (dist/preload/index.cjs). */
  preloadPath: string;
  platform: NodeJS.Platform;
  /** Window icon for Linux and Windows (macOS uses the bundle icon). */
  iconPath?: string;
  /** DevTools only in unpackaged dev runs. */
  devTools: boolean;
}

export function secureWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

export function dashboardWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: PRODUCT_NAME,
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    // Shown on 'ready-to-show' (or on demand), never as a blank frame; launched at login it stays hidden.
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#0f172a',
    ...(input.iconPath && input.platform !== 'darwin' ? { icon: input.iconPath } : {}),
    webPreferences: secureWebPreferences(input.preloadPath, input.devTools),
  };
}

/**
 * The checklist invariants, as a list of violations. The glue refuses to open a window whose
 * options fail it, so a future edit that weakens a flag is caught at startup and in tests.
 */
export function webPreferencesViolations(prefs: WebPreferences | undefined): string[] {
  const out: string[] = [];
  if (!prefs) return ['webPreferences missing'];
  if (prefs.contextIsolation !== true) out.push('contextIsolation must be true');
  if (prefs.sandbox !== true) out.push('sandbox must be true');
  if (prefs.nodeIntegration !== false) out.push('nodeIntegration must be false');
  if (prefs.nodeIntegrationInWorker === true) out.push('nodeIntegrationInWorker must be false');
  if (prefs.nodeIntegrationInSubFrames === true) out.push('nodeIntegrationInSubFrames must be false');
  if (prefs.webSecurity === false) out.push('webSecurity must stay on');
  if (prefs.allowRunningInsecureContent === true) out.push('allowRunningInsecureContent must be false');
  if (prefs.experimentalFeatures === true) out.push('experimentalFeatures must be false');
  if (prefs.enableBlinkFeatures) out.push('enableBlinkFeatures must be unset');
  if (prefs.webviewTag === true) out.push('webviewTag must be false');
  if (!prefs.preload) out.push('preload must be set');
  return out;
}
