// Serves the renderer bundle on app://pacekeeper/ with the CSP and security headers. Every
// decision (which file, which headers, which refusals) is made by policy/app-protocol.ts.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import type { Logger } from '../util/log.ts';
import { APP_SCHEME } from './policy/app-identity.ts';
import { APP_SCHEME_PRIVILEGES, resolveAppRequest } from './policy/app-protocol.ts';

/** Must run before `ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/** After `ready`: answer app:// requests from `rendererRoot` (dist/renderer). */
export function handleAppProtocol(rendererRoot: string, logger: Logger): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const decision = resolveAppRequest(request.url, request.method, rendererRoot);
    if (decision.kind === 'error') {
      logger.warn('app:// request refused', { url: request.url, status: decision.status });
      return new Response(null, { status: decision.status, headers: decision.headers });
    }
    try {
      const body = await readFile(decision.filePath);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: decision.headers });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const status = code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? 404 : 500;
      if (status === 500) logger.error('app:// read failed', { path: decision.filePath, error });
      return new Response(null, { status, headers: decision.headers });
    }
  });
}
