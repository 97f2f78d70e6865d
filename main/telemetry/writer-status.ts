// The writer's bookkeeping for the bridge: state, last success, last error, the spool-full warning,
// and the health snapshot built from them. Every text that leaves here passes the redactor.
import type { Redactor } from '../util/redact.ts';
import type { TelemetryError } from './errors.ts';
import type { TelemetryHealth, TelemetryIssue, TelemetryState } from './health.ts';
import type { SpoolStats } from './spool.ts';

/**
 * Wait before the next attempt after `failures` consecutive failures: the server's Retry-After
 * when it sent one, else exponential from `baseMs` up to `maxMs`, with jitter so that many
 * Pacekeeper instances do not return to a recovering database in lockstep.
 */
export function retryDelay(failures: number, baseMs: number, maxMs: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.max(0, retryAfterMs);
  const backoff = Math.min(maxMs, baseMs * 2 ** Math.min(20, Math.max(0, failures - 1)));
  return Math.round(backoff * (0.5 + 0.5 * random()));
}

export class WriterStatus {
  readonly #now: () => number;
  readonly #red: Redactor;
  readonly #listeners = new Set<(h: TelemetryHealth) => void>();
  readonly #snapshot: () => TelemetryHealth;
  state: TelemetryState = 'idle';
  failures = 0;
  sent = 0;
  retryAt = 0;
  lastSuccessAt: number | undefined;
  lastAttemptAt: number | undefined;
  lastError: TelemetryIssue | undefined;
  warning: TelemetryHealth['warning'];

  /** `snapshot` builds the full health (it needs the spool); listeners get it on every change. */
  constructor(now: () => number, red: Redactor, snapshot: () => TelemetryHealth) {
    this.#now = now;
    this.#red = red;
    this.#snapshot = snapshot;
  }

  issue(err: TelemetryError): TelemetryIssue {
    return {
      code: err.code, message: this.#red.text(err.message), fix: this.#red.text(err.fix), at: new Date(this.#now()).toISOString(),
      ...(err.status !== undefined ? { status: err.status } : {}),
    };
  }

  setError(err: TelemetryError): void {
    this.lastError = this.issue(err);
    this.emit();
  }

  setState(s: TelemetryState): void {
    this.state = s;
    this.emit();
  }

  /** Points were dropped at the spool cap: raise (or grow) the warning. */
  dropped(points: number, capBytes: number): void {
    const total = (this.warning?.droppedPoints ?? 0) + points;
    this.warning = {
      code: 'TELEMETRY_SPOOL_FULL',
      message: `the telemetry spool reached its cap of ${capBytes} bytes; the oldest ${total} points were dropped`,
      fix: 'restore the connection to the database, or raise influx.spoolMaxBytes',
      at: new Date(this.#now()).toISOString(),
      droppedPoints: total,
    };
    this.emit();
  }

  onHealth(listener: (h: TelemetryHealth) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(): void {
    if (this.#listeners.size === 0) return;
    const h = this.#snapshot();
    for (const l of this.#listeners) {
      try {
        l(h);
      } catch {
        // A broken listener must not stop delivery or the other listeners.
      }
    }
  }

  /** The health snapshot, given the spool's figures. */
  health(base: Pick<TelemetryHealth, 'version' | 'target' | 'spoolMaxBytes'>, s: SpoolStats): TelemetryHealth {
    const iso = (ms: number) => new Date(ms).toISOString();
    const h: TelemetryHealth = {
      ...base, state: this.state,
      backlogPoints: s.backlogPoints, backlogBytes: s.backlogBytes,
      droppedPoints: s.droppedPoints, rejectedPoints: s.rejectedPoints, sentPoints: this.sent, failures: this.failures,
    };
    if (this.lastSuccessAt !== undefined) h.lastSuccessAt = iso(this.lastSuccessAt);
    if (this.lastAttemptAt !== undefined) h.lastAttemptAt = iso(this.lastAttemptAt);
    if (this.state === 'retrying') h.nextRetryAt = iso(this.retryAt);
    if (this.lastError) h.lastError = { ...this.lastError };
    if (this.warning) h.warning = { ...this.warning };
    return h;
  }
}
