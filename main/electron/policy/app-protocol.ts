// Decides what an app:// request may read. The renderer bundle (dist/renderer) is the only thing
// served; anything outside it, any other host, any method but GET/HEAD, is refused here before
// the glue touches the file system.
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-identity.ts';
import { securityHeaders } from './csp.ts';

/** Privileges for protocol.registerSchemesAsPrivileged (before `ready`). */
export const APP_SCHEME_PRIVILEGES = {
  // standard: relative URLs, a real origin, and web storage; secure: counts as a secure context.
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
  // Never: these would loosen the CSP or let pages persist code behind the app's back.
  bypassCSP: false,
  allowServiceWorkers: false,
  corsEnabled: false,
  stream: false,
} as const;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type AppRequestDecision =
  | { kind: 'file'; filePath: string; headers: Record<string, string> }
  | { kind: 'error'; status: 400 | 403 | 404 | 405; headers: Record<string, string> };

export function mimeTypeFor(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps `app://pacekeeper/<path>` to a file under `rootDir`. `/` serves index.html. Encoded
 * separators, dot segments that climb out, NUL bytes and backslashes are refused outright rather
 * than normalized, because a request that needs them is not one our renderer makes.
 */
export function resolveAppRequest(rawUrl: string, method: string, rootDir: string): AppRequestDecision {
  const headers = securityHeaders();
  const fail = (status: 400 | 403 | 404 | 405): AppRequestDecision => ({ kind: 'error', status, headers });
  if (method !== 'GET' && method !== 'HEAD') return fail(405);
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return fail(400);
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '' || url.username || url.password) return fail(403);
  if (/%2f|%5c|%00/i.test(url.pathname)) return fail(403);
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return fail(400);
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return fail(403);
  if (pathname.split('/').some((segment) => segment === '..')) return fail(403);
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  if (pathname.endsWith('/')) return fail(404);

  const root = normalize(rootDir);
  const filePath = normalize(join(root, pathname));
  const rel = relative(root, filePath);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return fail(403);
  return { kind: 'file', filePath, headers: { ...headers, 'Content-Type': mimeTypeFor(filePath) } };
}
