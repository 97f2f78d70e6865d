// The write endpoint for each API version, as pure functions.
//   v2: POST <url>/api/v2/write?org=…&bucket=…&precision=ns   Authorization: Token <token>
//   v1: POST <url>/write?db=…&rp=…&precision=ns               Authorization: Basic <user:password>
// v1 credentials go in a Basic header rather than the u/p query parameters InfluxDB 1.x also
// accepts, because query strings end up in proxy and server access logs.
import type { TelemetryConfig } from './config.ts';
import { TelemetryError } from './errors.ts';

export interface WriteEndpoint {
  url: string;
  /** Origin + path, no query: safe to show and log. */
  target: string;
  headers: Record<string, string>;
}

/** Origin + path of the write endpoint, for health and messages (no query, no credentials). */
export function endpointTarget(c: TelemetryConfig): string {
  const u = joinPath(new URL(c.url), c.version === 'v2' ? '/api/v2/write' : '/write');
  return `${u.origin}${u.pathname}`;
}

function joinPath(base: URL, path: string): URL {
  const u = new URL(base.href);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  return u;
}

/**
 * Builds the endpoint. `secret` is the v2 token or the v1 password (`influx.token`); it may be
 * undefined where the database needs no credentials (VictoriaMetrics, an open InfluxDB 1.x).
 */
export function writeEndpoint(c: TelemetryConfig, secret: string | undefined, gzip = c.gzip): WriteEndpoint {
  const base = new URL(c.url);
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (gzip) headers['content-encoding'] = 'gzip';
  let u: URL;
  if (c.version === 'v2') {
    u = joinPath(base, '/api/v2/write');
    // URLSearchParams percent-encodes org and bucket (spaces, &, =, unicode).
    u.search = new URLSearchParams({ org: c.org, bucket: c.bucket, precision: 'ns' }).toString();
    if (secret) headers.authorization = `Token ${secret}`;
  } else {
    u = joinPath(base, '/write');
    const q = new URLSearchParams({ db: c.db });
    if (c.rp) q.set('rp', c.rp);
    q.set('precision', 'ns');
    u.search = q.toString();
    if (c.username) {
      if (secret === undefined) {
        throw new TelemetryError('TELEMETRY_SECRET_MISSING', `influx.username is set but the password (secret influx.token) is not`,
          'store the InfluxDB password in the keychain as influx.token, or clear influx.username');
      }
      headers.authorization = `Basic ${Buffer.from(`${c.username}:${secret}`, 'utf8').toString('base64')}`;
    }
  }
  return { url: u.href, target: endpointTarget(c), headers };
}
