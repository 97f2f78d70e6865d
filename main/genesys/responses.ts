// Turning platform responses into values or typed errors: JSON parsing and schema validation at
// the boundary, so a malformed answer is a ResponseInvalid naming the field, never a crash deeper in.
import type { z } from 'zod';
import { apiErrorFields, describeTarget, httpErrorFor, type HttpError, type NetResponse } from '../net/index.ts';
import { ResponseInvalid, VersionConflict, zodIssues } from './errors.ts';

/** The typed error for a >= 400 response: VersionConflict (409/412), RateLimited (429) or HttpError. */
export function httpErrorOf(res: NetResponse, method: string, url: URL, nowMs: number): HttpError {
  if (res.status === 409 || res.status === 412) {
    return new VersionConflict({ status: res.status, method, target: describeTarget(url), ...apiErrorFields(res.body, res.headers) });
  }
  return httpErrorFor(res, method, url, nowMs);
}

export function parseBody<T>(res: NetResponse, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = res.json();
  } catch {
    const type = String(res.headers['content-type'] ?? 'no content-type');
    throw new ResponseInvalid(what, [`body is not JSON (${type.slice(0, 60)})`]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ResponseInvalid(what, zodIssues(parsed.error));
  return parsed.data;
}

export function headerValue(res: NetResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
