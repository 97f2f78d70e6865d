// Applies policy/web-guards.ts to every web contents and to the default session: no new windows,
// no navigation, no webviews, no permissions, no web or file requests from pages.
import { app, session, shell } from 'electron';
import type { Logger } from '../util/log.ts';
import { allowWebviewAttach, BLOCKED_REQUEST_URL_PATTERNS, navigationDecision, permissionDecision, windowOpenDecision } from './policy/web-guards.ts';

export function hardenSessions(logger: Logger): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const granted = permissionDecision(permission, details.requestingUrl);
    if (!granted) logger.debug('permission denied', { permission });
    callback(granted);
  });
  ses.setPermissionCheckHandler((_wc, permission, origin) => permissionDecision(permission, origin));
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: [...BLOCKED_REQUEST_URL_PATTERNS] }, (details, callback) => {
    logger.warn('page request blocked', { url: details.url.slice(0, 200) });
    callback({ cancel: true });
  });
}

/** Covers every web contents, including any created later (devtools excepted by Electron). */
export function guardAllWebContents(logger: Logger): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      openExternally(decision.openExternal, logger);
      if (!decision.openExternal) logger.warn('window.open denied', { url: url.slice(0, 200) });
      return { action: decision.action };
    });
    const onNavigate = (event: { preventDefault(): void }, url: string) => {
      const decision = navigationDecision(url);
      if (decision.prevent) event.preventDefault();
      openExternally(decision.openExternal, logger);
      if (!decision.openExternal) logger.warn('navigation prevented', { url: url.slice(0, 200) });
    };
    contents.on('will-navigate', (event) => onNavigate(event, event.url));
    contents.on('will-redirect', (event) => onNavigate(event, event.url));
    contents.on('will-attach-webview', (event) => {
      if (!allowWebviewAttach()) event.preventDefault();
    });
  });
}

function openExternally(url: string | undefined, logger: Logger): void {
  if (!url) return;
  shell.openExternal(url).catch((error: unknown) => logger.warn('could not open link in the browser', { error }));
}
