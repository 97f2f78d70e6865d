// Platform-level errors on top of the net layer's typed errors. The HTTP status, the Genesys
// `code` and `contextId` are kept on every one of them (support asks for the contextId).
import type { z } from 'zod';
import { HttpError, NetError, RateLimited, type HttpErrorInfo } from '../net/index.ts';

/** 409 (stale `version`) or 412 (failed If-Match): re-read the campaign and apply the change again. */
export class VersionConflict extends HttpError {
  constructor(info: HttpErrorInfo) {
    super(info, 'VersionConflict', 'the campaign changed since it was read; re-read it and apply the change again');
  }
}

/** The token endpoint refused the client (400/401 with an OAuth error such as invalid_client). */
export class OAuthRejected extends HttpError {
  constructor(info: HttpErrorInfo, loginHost: string) {
    super(info, 'OAuthRejected', info.apiCode === 'invalid_client'
      ? `check the OAuth client id and secret, and that the client belongs to the region of ${loginHost}`
      : `the token request was refused (${info.apiCode ?? info.status}); check the OAuth client's grant type (client credentials)`);
  }
}

export class SecretMissing extends NetError {
  constructor(name: string) {
    super('SecretMissing', 'config', `no ${name} configured`, `enter the ${name} in the settings (it is stored in the OS keychain)`);
  }
}

/** A response that does not have the documented shape: a clear error instead of a crash. */
export class ResponseInvalid extends NetError {
  readonly target: string;
  readonly issues: string[];
  constructor(target: string, issues: string[]) {
    super('ResponseInvalid', 'http', `${target}: response did not match the expected shape (${issues.slice(0, 3).join('; ')})`,
      'the answer did not come from the Genesys Cloud API as expected; check the API base URL and whether a proxy replaced the response');
    this.target = target;
    this.issues = issues;
  }
}

/** Summarises zod issues by path and message only (never the offending values). */
export function zodIssues(e: z.ZodError): string[] {
  return e.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

export { HttpError, RateLimited };
