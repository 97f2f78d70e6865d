// TelemetryConfig: the plain object core maps the `influx` settings to, with documented defaults.
// The v2 token or v1 password is not part of it: it lives in the secret store as `influx.token`.
import { z } from 'zod';
import { TelemetryError } from './errors.ts';

export const TelemetryConfigSchema = z.object({
  enabled: z.boolean().default(false),
  /** v2: POST /api/v2/write (InfluxDB 2.x/3.x, VictoriaMetrics, Telegraf). v1: POST /write (InfluxDB 1.x). */
  version: z.enum(['v1', 'v2']).default('v2'),
  /** Base URL, e.g. http://influx.example:8086 or https://tsdb.example/influx (a path prefix is kept). */
  url: z.string().default('http://127.0.0.1:8086'),
  /** v2 organisation (name or id) and bucket. */
  org: z.string().default(''),
  bucket: z.string().default(''),
  /** v1 database and retention policy ('' = the database's default policy). */
  db: z.string().default(''),
  rp: z.string().default(''),
  /** v1 user name ('' = no authentication). The password is the `influx.token` secret. */
  username: z.string().default(''),
  /** Points per request. InfluxDB suggests 5,000; small deployments see one point per campaign per cycle. */
  batchSize: z.number().int().min(1).max(100_000).default(5_000),
  /** Longest time a point waits in the spool before a partial batch is sent. */
  flushIntervalMs: z.number().int().min(10).max(3_600_000).default(10_000),
  /** Send bodies with Content-Encoding: gzip (the settings default; every supported database accepts it). */
  gzip: z.boolean().default(true),
  /** Cap on unsent points on disk; at the cap the oldest are dropped with a warning (docs/telemetry.md). */
  spoolMaxBytes: z.number().int().min(64 * 1024).max(16 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
});

export type TelemetryConfig = z.output<typeof TelemetryConfigSchema>;
export type TelemetryConfigInput = z.input<typeof TelemetryConfigSchema>;

/** Validates the config; throws TelemetryError `TELEMETRY_CONFIG` naming the field. Messages never echo values. */
export function parseTelemetryConfig(input: unknown): TelemetryConfig {
  const parsed = TelemetryConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw configError(issue?.path.join('.') || 'influx', issue?.message ?? 'invalid', 'fix the InfluxDB setting named here');
  }
  const c = parsed.data;
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw configError('url', 'is not a URL', 'enter the database address as http://host:port or https://host:port');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError('url', `uses ${url.protocol} instead of http: or https:`, 'enter the database address as http://host:port or https://host:port');
  }
  if (url.username || url.password) {
    // A password in the URL would land in the settings file and in logs.
    throw configError('url', 'contains a user name or password', 'remove them from the URL; set influx.username and store the password or token in the keychain');
  }
  if (url.search || url.hash) throw configError('url', 'has a query or fragment', 'use the base address only; org, bucket, db and rp are separate settings');
  if (c.version === 'v2' && !c.bucket) throw configError('bucket', 'is empty', 'set the bucket to write to (any name for VictoriaMetrics)');
  if (c.version === 'v2' && !c.org) throw configError('org', 'is empty', 'set the organisation (any name for VictoriaMetrics)');
  if (c.username.includes(':')) throw configError('username', 'contains ":"', 'HTTP Basic authentication cannot carry a user name with ":"; use another InfluxDB user');
  if (c.version === 'v1' && !c.db) throw configError('db', 'is empty', 'set the InfluxDB 1.x database to write to');
  return c;
}

function configError(field: string, problem: string, fix: string): TelemetryError {
  return new TelemetryError('TELEMETRY_CONFIG', `influx.${field} ${problem}`, fix);
}
