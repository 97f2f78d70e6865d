// The one dashboard window. Closing hides it (the app lives in the tray); a second launch, a tray
// click or a notification click shows it again. Options come from policy/window-options.ts and are
// checked against the security invariants before the window is created.
import { app, BrowserWindow } from 'electron';
import type { Logger } from '../util/log.ts';
import { DASHBOARD_URL } from './policy/app-identity.ts';
import { dashboardWindowOptions, webPreferencesViolations, type WindowOptionsInput } from './policy/window-options.ts';

export class DashboardWindow {
  readonly #options: WindowOptionsInput;
  readonly #logger: Logger;
  #win: BrowserWindow | undefined;
  #loaded: Promise<void> | undefined;
  #quitting = false;

  constructor(options: WindowOptionsInput, logger: Logger) {
    this.#options = options;
    this.#logger = logger.child({ component: 'window' });
    app.on('before-quit', () => {
      this.#quitting = true;
    });
  }

  /** The ids IPC may come from (checked by the bridge with policy/sender-policy.ts). */
  trustedWebContentsIds(): ReadonlySet<number> {
    return this.#win && !this.#win.isDestroyed() ? new Set([this.#win.webContents.id]) : new Set();
  }

  get isVisible(): boolean {
    return !!this.#win && !this.#win.isDestroyed() && this.#win.isVisible();
  }

  get url(): string | undefined {
    return this.#win && !this.#win.isDestroyed() ? this.#win.webContents.getURL() : undefined;
  }

  /** Sends to the renderer if the window exists; events before the page loads are dropped (it asks for state on load). */
  send(channel: string, payload: unknown): void {
    const win = this.#win;
    if (!win || win.isDestroyed() || win.webContents.isDestroyed() || win.webContents.isLoading()) return;
    win.webContents.send(channel, payload);
  }

  /** Creates the window if needed (hidden) and resolves when its page has loaded. */
  ensure(): Promise<void> {
    if (this.#win && !this.#win.isDestroyed() && this.#loaded) return this.#loaded;
    const options = dashboardWindowOptions(this.#options);
    const violations = webPreferencesViolations(options.webPreferences);
    if (violations.length) throw new Error(`Refusing to open an insecure window: ${violations.join('; ')}`);
    const win = new BrowserWindow(options);
    this.#win = win;
    win.on('close', (event) => {
      if (this.#quitting) return;
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      if (this.#win === win) {
        this.#win = undefined;
        this.#loaded = undefined;
      }
    });
    win.webContents.on('render-process-gone', (_e, details) => {
      this.#logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
      if (details.reason !== 'clean-exit' && !win.isDestroyed()) this.#loaded = this.#load(win);
    });
    this.#loaded = this.#load(win);
    return this.#loaded;
  }

  /** Shows and focuses the dashboard; resolves once it is loaded and visible. */
  async show(): Promise<void> {
    await this.ensure();
    const win = this.#win;
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    // A tray-only (LSUIElement) app must take focus explicitly or the window opens behind others.
    if (process.platform === 'darwin') app.focus({ steal: true });
  }

  #load(win: BrowserWindow): Promise<void> {
    return win.loadURL(DASHBOARD_URL).catch((error: unknown) => {
      // Keep the window: a missing renderer build is reported, not fatal to the tray.
      this.#logger.error('dashboard failed to load; was `npm run build` run?', { url: DASHBOARD_URL, error });
    });
  }
}
