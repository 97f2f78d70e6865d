// The Electron host's lifecycle: profile folder, single-instance lock, sandbox, app:// scheme and
// AppUserModelId before `ready`; then hardening, window, core, IPC, tray and notifications.
// Decisions live in policy/*; this file only sequences them.
import { join } from 'node:path';
import { app, dialog, Menu } from 'electron';
import ElectronStore from 'electron-store';
import type { ConfLikeClass } from '../settings/settings-store.ts';
import { systemClock } from '../util/clock.ts';
import { createLogger, type Logger } from '../util/log.ts';
import { handleAppProtocol, registerAppScheme } from './app-protocol-handler.ts';
import type { CoreFactory } from './core-factory.ts';
import { DashboardWindow } from './dashboard-window.ts';
import { registerIpcBridge } from './ipc-bridge.ts';
import { openLogFile } from './log-file.ts';
import { wasOpenedAtLogin } from './login-item-controller.ts';
import { Notifier } from './notifier.ts';
import { applicationMenuTemplate } from './policy/app-menu.ts';
import { appUserModelId } from './policy/app-identity.ts';
import { bundlePaths, showDashboardAtStart, userDataDir } from './policy/launch-options.ts';
import { createSafeStorageEncryptor } from './safe-storage-encryptor.ts';
import { wireShell, type Shell } from './shell-wiring.ts';
import { onNetworkChange, systemProxyResolver } from './system-proxy.ts';
import { installTestHooks } from './test-hooks.ts';
import { TrayController } from './tray-controller.ts';
import { hardenSessions, guardAllWebContents } from './web-hardening.ts';

export interface DesktopOptions {
  createCore: CoreFactory;
  /** Folder of the main bundle (dist/main); the preload, renderer and assets are found from it. */
  mainBundleDir: string;
}

/** Bounded so a stuck engine cannot keep a quitting app alive. */
const STOP_TIMEOUT_MS = 10_000;

export function runDesktop(options: DesktopOptions): void {
  // The profile must be fixed before anything reads it: the single-instance lock lives in it.
  app.setPath('userData', userDataDir(process.env, app.getPath('appData')));
  const logFile = openLogFile(join(app.getPath('userData'), 'logs', 'main.log'));
  const logger = createLogger({
    write: (line) => {
      logFile.write(line);
      process.stderr.write(`${line}\n`);
    },
  }).child({ host: 'electron' });
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));

  if (!app.requestSingleInstanceLock()) {
    // The running instance gets 'second-instance' and shows its window; this one just leaves.
    logger.info('another instance is running; handing over');
    app.quit();
    return;
  }

  app.enableSandbox();
  registerAppScheme();
  const aumid = appUserModelId(process.platform);
  if (aumid) app.setAppUserModelId(aumid);
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => {});

  let secondInstances = 0;
  let window: DashboardWindow | undefined;
  app.on('second-instance', () => {
    secondInstances += 1;
    void app.whenReady().then(() => window?.show());
  });

  app.whenReady()
    .then(() => start(options, logger, (w) => (window = w), () => secondInstances))
    .catch((error: unknown) => {
      logger.error('Pacekeeper failed to start', { error });
      dialog.showErrorBox('Pacekeeper failed to start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

async function start(options: DesktopOptions, logger: Logger, setWindow: (w: DashboardWindow) => void, secondInstances: () => number): Promise<void> {
  const platform = process.platform;
  const paths = bundlePaths(options.mainBundleDir);
  const devTools = !app.isPackaged;

  hardenSessions(logger);
  guardAllWebContents(logger);
  handleAppProtocol(paths.rendererRoot, logger);
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(platform, devTools)));
  if (platform === 'darwin') app.dock?.hide();

  const appIcon = join(paths.assets, 'icon.png');
  const window = new DashboardWindow({ preloadPath: paths.preload, platform, iconPath: appIcon, devTools }, logger);
  setWindow(window);

  const core = await options.createCore({
    kind: 'electron',
    userDataDir: app.getPath('userData'),
    appVersion: app.getVersion(),
    logger,
    settingsStore: ElectronStore as unknown as ConfLikeClass,
    encryptor: createSafeStorageEncryptor(platform),
    systemProxyResolver,
    onNetworkChange,
    env: process.env,
  });
  const offBridge = registerIpcBridge(core, window, logger);

  const notifier = new Notifier({
    clock: systemClock,
    logger,
    coalesceMinutes: 5,
    ...(platform === 'darwin' ? {} : { iconPath: appIcon }),
    onClick: (navigate) => void shell.openDashboard(navigate),
  });
  const tray = new TrayController({
    assetsDir: paths.assets,
    platform,
    logger,
    onAction: (action) => void shell.runAction(action).catch((error: unknown) => logger.error('tray action failed', { action: action.kind, error })),
    onClick: () => void shell.openDashboard(),
  });
  // The callbacks above run only after this line (on user input), so `shell` is initialised by then.
  const shell: Shell = wireShell({ core, notifier, tray, clock: systemClock, logger, showDashboard: () => window.show(), quit: () => app.quit() });

  installTestHooks(process.env, {
    tray: () => tray.view,
    clickMenuItem: (id) => tray.click(id),
    notifications: () => notifier.shown,
    clickNotification: (i) => notifier.click(i),
    window: () => ({ visible: window.isVisible, url: window.url }),
    secondInstances,
  });

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
    void Promise.race([core.stop('shutdown'), timeout])
      .catch((error: unknown) => logger.error('core stop failed', { error }))
      .finally(() => {
        shell.dispose();
        offBridge();
        tray.destroy();
        app.quit();
      });
  });

  await core.start();
  shell.applyState(core.state());
  await shell.refreshSettings();
  if (showDashboardAtStart({ argv: process.argv, openedAtLogin: wasOpenedAtLogin() })) await window.show();
  logger.info('desktop shell ready', { mode: core.state().platform.mode, userData: app.getPath('userData') });
}
