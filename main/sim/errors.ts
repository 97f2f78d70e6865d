// Error bodies exactly as the platform sends them (notes/genesys.md A.5, B.1, D). Handlers throw
// `SimHttpError`; the server turns it into a response, so every error path has one shape.
import type { ErrorBody, ErrorDetailSchema, OAuthError } from '../genesys/models.ts';
import type { z } from 'zod';

type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

/** Messages and codes seen on the real platform (codes from SDK docs and client libraries). */
export const GENESYS_ERRORS = {
  badRequest: { status: 400, code: 'bad.request', message: 'The request could not be understood by the server due to malformed syntax.' },
  invalidValue: { status: 400, code: 'invalid.value', message: 'Value is not valid.' },
  invalidDate: { status: 400, code: 'invalid.date', message: 'Dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ' },
  authRequired: { status: 401, code: 'authentication.required', message: 'No authentication bearer token specified in authorization header.' },
  badCredentials: { status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' },
  credentialsExpired: { status: 401, code: 'credentials.expired', message: 'The supplied credentials are expired and cannot be used.' },
  notAuthorized: { status: 403, code: 'not.authorized', message: 'You are not authorized to perform the requested action.' },
  notFound: { status: 404, code: 'not.found', message: 'The requested resource was not found.' },
  methodNotAllowed: { status: 405, code: 'method.not.allowed', message: 'The requested method is not supported for this resource.' },
  conflict: { status: 409, code: 'general.conflict', message: 'The version number of the modified resource must match the version number in the database' },
  preconditionFailed: { status: 412, code: 'precondition.failed', message: 'The If-Match header does not match the current version of the resource.' },
  tooLarge: { status: 413, code: 'request.entity.too.large', message: 'The request is larger than the server is willing or able to process.' },
  unsupportedMediaType: { status: 415, code: 'unsupported.media.type', message: 'Unsupported Media Type - Unsupported or incorrect media type, such as an incorrect Content-Type value in the header.' },
  internal: { status: 500, code: 'internal.server.error', message: 'The server encountered an unexpected condition which prevented it from fulfilling the request.' },
  badGateway: { status: 502, code: 'bad.gateway', message: 'The server received an invalid response from an upstream server.' },
  unavailable: { status: 503, code: 'service.unavailable', message: 'Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).' },
  gatewayTimeout: { status: 504, code: 'request.timeout', message: 'The request timed out.' },
} as const;

export type GenesysErrorKind = keyof typeof GENESYS_ERRORS;

export class SimHttpError extends Error {
  readonly status: number;
  readonly body: object;
  readonly headers: Record<string, string>;

  constructor(status: number, body: object, headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export interface ErrorOptions {
  message?: string;
  details?: ErrorDetail[];
  entityId?: string;
  messageParams?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Builds an ErrorBody; `contextId` is filled in by the server with the request's correlation id. */
export function errorBody(kind: GenesysErrorKind, opts: ErrorOptions = {}): ErrorBody {
  const base = GENESYS_ERRORS[kind];
  const body: ErrorBody = { message: opts.message ?? base.message, code: base.code, status: base.status };
  if (opts.entityId) body.entityId = opts.entityId;
  if (opts.messageParams) {
    body.messageParams = opts.messageParams;
    body.messageWithParams = body.message;
  }
  body.details = opts.details ?? [];
  body.errors = [];
  return body;
}

export function genesysError(kind: GenesysErrorKind, opts: ErrorOptions = {}): SimHttpError {
  return new SimHttpError(GENESYS_ERRORS[kind].status, errorBody(kind, opts), opts.headers);
}

/** Error for a 5xx status chosen by fault injection. */
export function serverErrorFor(status: number): SimHttpError {
  const kind: GenesysErrorKind =
    status === 502 ? 'badGateway' : status === 503 ? 'unavailable' : status === 504 ? 'gatewayTimeout' : 'internal';
  const err = genesysError(kind);
  // Keep the injected status even when it has no dedicated entry (e.g. 507).
  return status === err.status ? err : new SimHttpError(status, { ...err.body, status });
}

export function tooManyRequests(retryAfterSec: number): SimHttpError {
  return new SimHttpError(
    429,
    {
      message: `Rate limit exceeded the maximum. Retry the request in [${retryAfterSec}] seconds`,
      code: 'too.many.requests.retry.after',
      status: 429,
      details: [],
      errors: [],
    },
    { 'retry-after': String(retryAfterSec) },
  );
}

/** OAuth endpoint errors use the OAuth shape, not ErrorBody (notes B.1). */
export function oauthError(status: number, error: string, description: string): SimHttpError {
  const body: OAuthError = { error, description, error_description: description };
  return new SimHttpError(status, body);
}
