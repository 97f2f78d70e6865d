// Serves the built renderer (index.html, app.js, styles.css, source maps, licences) from one
// directory. The URL → file mapping is a pure function that refuses anything that could leave the
// directory: encoded or literal `..`, backslashes, NUL, dot-files, unknown file types. A realpath
// check then catches symlinks pointing outside. Only GET and HEAD; everything else is 405.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** One path segment: letters, digits, `-`, `_`, `.`; never starting with a dot. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const MAX_DEPTH = 8;

export type StaticTarget = { ok: true; relative: string; contentType: string } | { ok: false; status: 400 | 404 };

/** Maps a request URL to a file inside the renderer directory, or refuses it. Pure. */
export function resolveStaticTarget(url: string | undefined): StaticTarget {
  let path = (url ?? '/').split('?')[0]?.split('#')[0] ?? '/';
  if (!path.startsWith('/')) return { ok: false, status: 400 };
  try {
    path = decodeURIComponent(path);
  } catch {
    return { ok: false, status: 400 };
  }
  if (path.includes('\0') || path.includes('\\')) return { ok: false, status: 400 };
  if (path === '/') path = '/index.html';
  const segments = path.slice(1).split('/');
  if (segments.length > MAX_DEPTH || !segments.every((s) => SEGMENT.test(s))) return { ok: false, status: 404 };
  const relative = segments.join('/');
  const contentType = CONTENT_TYPES[extname(relative).toLowerCase()];
  if (!contentType) return { ok: false, status: 404 };
  return { ok: true, relative, contentType };
}

export interface StaticServer {
  handle(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void>;
}

export async function createStaticServer(rootDir: string): Promise<StaticServer> {
  // realpath once: the root may itself be a symlink (e.g. a temp dir on macOS).
  const root = await realpath(resolve(rootDir));
  return {
    async handle(req, res, headers) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, { ...headers, Allow: 'GET, HEAD' }, 'Method not allowed\n', req.method === 'HEAD');
        return;
      }
      const head = req.method === 'HEAD';
      const target = resolveStaticTarget(req.url);
      if (!target.ok) {
        send(res, target.status, headers, target.status === 400 ? 'Bad request\n' : 'Not found\n', head);
        return;
      }
      const file = await insideRoot(root, join(root, target.relative));
      if (!file) {
        send(res, 404, headers, 'Not found\n', head);
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': target.contentType, 'Content-Length': String(body.length) });
      res.end(head ? undefined : body);
    },
  };
}

/** The file's real path when it is a regular file inside `root`, else undefined. */
async function insideRoot(root: string, candidate: string): Promise<string | undefined> {
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(root + sep)) return undefined;
    const s = await stat(real);
    return s.isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, text: string, head: boolean): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length) });
  res.end(head ? undefined : body);
}
