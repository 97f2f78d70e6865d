// Errors the telemetry writer surfaces in health, logs and the dashboard. Each has a stable code
// and a one-line fix. Messages carry the write target (origin and path), the HTTP status and the
// database's own error text (redacted); never a token, password or query string.

export type TelemetryErrorCode =
  | 'TELEMETRY_CONFIG'
  | 'TELEMETRY_SECRET_MISSING'
  | 'TELEMETRY_AUTH'
  | 'TELEMETRY_NOT_FOUND'
  | 'TELEMETRY_BAD_DATA'
  | 'TELEMETRY_TOO_LARGE'
  | 'TELEMETRY_REJECTED'
  | 'TELEMETRY_RATE_LIMITED'
  | 'TELEMETRY_SERVER'
  | 'TELEMETRY_UNREACHABLE'
  | 'TELEMETRY_SPOOL'
  | 'TELEMETRY_SPOOL_FULL';

export interface TelemetryErrorOptions {
  status?: number;
  /** How long the server asked us to wait. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class TelemetryError extends Error {
  readonly code: TelemetryErrorCode;
  readonly fix: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(code: TelemetryErrorCode, message: string, fix: string, opts: TelemetryErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = code;
    this.code = code;
    this.fix = fix;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }

  /** Secret-free shape for health snapshots and logs. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code, message: this.message, fix: this.fix,
      ...(this.status !== undefined ? { status: this.status } : {}),
    };
  }
}

/** What the writer does after a failed request. */
export type FailureAction =
  /** Keep the points; try again after a backoff (5xx, 429, network). */
  | 'retry'
  /** The points are bad: split the batch to find them, set them aside, send the rest. */
  | 'split'
  /** Retrying cannot help until settings or secrets change: stop and say so (auth, unknown db). */
  | 'halt';

export interface HttpFailure {
  status: number;
  /** Origin + path of the write endpoint. */
  target: string;
  /** The database's error text, already redacted and shortened. */
  detail: string;
  retryAfterMs?: number;
}

/**
 * A 400 means "bad points" only when the database says so (InfluxDB 1.x/2.x: "unable to parse",
 * "partial write", "field type conflict"; VictoriaMetrics: "cannot parse"). Any other 400, such as a
 * missing database name or an unreadable gzip body, is a configuration problem: splitting the batch
 * would wrongly set every good point aside.
 */
const POINT_PROBLEM = /unable to parse|failed to parse|cannot parse|partial write|field type conflict|invalid field|bad timestamp|beyond retention|max-values-per-tag|max series/i;

/** Maps a non-2xx write response to an error and the action it calls for. Pure. */
export function classifyWriteFailure(f: HttpFailure, version: 'v1' | 'v2'): { error: TelemetryError; action: FailureAction } {
  const what = `POST ${f.target} answered ${f.status}${f.detail ? `: ${f.detail}` : ''}`;
  const opts = { status: f.status, ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}) };
  const credential = version === 'v2' ? 'the API token (secret influx.token)' : 'influx.username and its password (secret influx.token)';
  const container = version === 'v2' ? 'influx.org and influx.bucket' : 'influx.db and influx.rp';
  const s = f.status;
  if (s === 401 || s === 403) {
    return { action: 'halt', error: new TelemetryError('TELEMETRY_AUTH', what, `the database refused the credentials; check ${credential} and its write permission, then retry`, opts) };
  }
  if (s === 404) {
    return { action: 'halt', error: new TelemetryError('TELEMETRY_NOT_FOUND', what, `the database, bucket or endpoint does not exist; check influx.url, influx.version and ${container}`, opts) };
  }
  if ((s === 400 || s === 422) && POINT_PROBLEM.test(f.detail)) {
    return { action: 'split', error: new TelemetryError('TELEMETRY_BAD_DATA', what, 'the database refused some points as malformed or conflicting (e.g. a field type change); they are kept in rejected.lp in the spool folder', opts) };
  }
  if (s === 413) {
    return { action: 'split', error: new TelemetryError('TELEMETRY_TOO_LARGE', what, 'the request body was too large for the database or a proxy; lower influx.batchSize', opts) };
  }
  if (s === 429) {
    return { action: 'retry', error: new TelemetryError('TELEMETRY_RATE_LIMITED', what, 'the database asked for fewer writes; Pacekeeper waits as told and keeps the points spooled', opts) };
  }
  if (s === 408 || s >= 500) {
    return { action: 'retry', error: new TelemetryError('TELEMETRY_SERVER', what, 'the database had a server error; points stay spooled and are resent automatically', opts) };
  }
  return { action: 'halt', error: new TelemetryError('TELEMETRY_REJECTED', what, 'the database refused the write request; check influx.url and influx.version', opts) };
}
