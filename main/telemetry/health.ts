// What the telemetry writer reports to the bridge and the tray. Plain data, safe to log and send
// to the renderer: no secrets, no query strings.
import type { TelemetryErrorCode } from './errors.ts';

export type TelemetryState =
  /** Nothing to send, or waiting for the batch to fill or the flush interval. */
  | 'idle'
  | 'sending'
  /** The last attempt failed with a retryable error; the next one is at `nextRetryAt`. */
  | 'retrying'
  /** Stopped on an error no retry can fix (credentials, unknown database); see `lastError`, then `resume()`. */
  | 'halted'
  | 'closed';

export interface TelemetryIssue {
  code: TelemetryErrorCode;
  message: string;
  fix: string;
  /** ISO time. */
  at: string;
  status?: number;
}

export interface TelemetryHealth {
  state: TelemetryState;
  version: 'v1' | 'v2';
  /** Origin + path of the write endpoint. */
  target: string;
  lastSuccessAt?: string;
  lastAttemptAt?: string;
  nextRetryAt?: string;
  lastError?: TelemetryIssue;
  /** Set while points are being dropped at the spool cap; cleared once the backlog is delivered. */
  warning?: TelemetryIssue & { droppedPoints: number };
  backlogPoints: number;
  backlogBytes: number;
  spoolMaxBytes: number;
  /** Points dropped at the cap, over the spool's lifetime (survives restarts). */
  droppedPoints: number;
  /** Points the database refused as malformed, set aside in rejected.lp (lifetime). */
  rejectedPoints: number;
  /** Points delivered since this writer started. */
  sentPoints: number;
  /** Consecutive failed attempts. */
  failures: number;
}
