// Navigation, new-window and permission decisions for every web contents the app creates.
// The dashboard is a single page: it never navigates, never opens windows and needs no
// permission. A few documentation hosts may open in the user's browser, https only.
import { APP_HOST, APP_SCHEME } from './app-identity.ts';

/** Hosts whose https pages may open in the system browser (help links in the dashboard). */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set(['developer.genesys.cloud', 'help.mypurecloud.com']);

export function isAppUrl(raw: string): boolean {
  const url = parse(raw);
  // Non-special schemes have an opaque origin ("null") in WHATWG URL, so compare parts instead.
  return url !== undefined && url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '' && !url.username && !url.password;
}

/** An https URL on the allowlist, without credentials or an odd port; anything else stays closed. */
export function isAllowedExternalUrl(raw: string): boolean {
  const url = parse(raw);
  return url !== undefined && url.protocol === 'https:' && EXTERNAL_HOSTS.has(url.hostname) && url.port === '' && !url.username && !url.password;
}

export type WindowOpenDecision = { action: 'deny'; openExternal?: string };

/** setWindowOpenHandler: always deny; allowlisted help links go to the system browser instead. */
export function windowOpenDecision(url: string): WindowOpenDecision {
  return isAllowedExternalUrl(url) ? { action: 'deny', openExternal: new URL(url).toString() } : { action: 'deny' };
}

export type NavigationDecision = { prevent: true; openExternal?: string };

/**
 * will-navigate / will-redirect: always prevented. In-page (hash) changes do not raise the
 * event; a reload of the app's own page is not a navigation either, so nothing legitimate is lost.
 */
export function navigationDecision(url: string): NavigationDecision {
  return isAllowedExternalUrl(url) ? { prevent: true, openExternal: new URL(url).toString() } : { prevent: true };
}

/** Permission requests and checks: the dashboard needs none (checklist item 5). */
export function permissionDecision(_permission: string, _origin: string): boolean {
  return false;
}

/** <webview> is disabled in webPreferences; will-attach-webview is refused as a second line. */
export function allowWebviewAttach(): boolean {
  return false;
}

function parse(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/**
 * Network requests Chromium itself would make for a page. The dashboard only loads app:// and
 * talks over IPC, so web and file URLs are cancelled at the session as well as by the CSP.
 */
export const BLOCKED_REQUEST_URL_PATTERNS: readonly string[] = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'];
