// InfluxWriter: points go into the durable spool first, then out in batches through the net layer.
//
// Batching: a batch is sent as soon as `batchSize` points are waiting, and whatever is waiting is
// sent `flushIntervalMs` after it arrived. After a failure the writer backs off (exponential with
// jitter, or the server's Retry-After) and, once the database answers again, replays the spool in
// order. Errors no retry can fix (credentials, unknown database) halt delivery until `resume()`;
// points keep spooling meanwhile, up to the cap.
import { systemClock, type Clock, type TimerHandle } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { redactor as defaultRedactor, type Redactor } from '../util/redact.ts';
import { BatchSender, DeliveryFailed, type NetRequester } from './batch-sender.ts';
import { parseTelemetryConfig, type TelemetryConfig } from './config.ts';
import { DeadLetterFile } from './dead-letter.ts';
import { endpointTarget, writeEndpoint, type WriteEndpoint } from './endpoint.ts';
import { TelemetryError } from './errors.ts';
import type { TelemetryHealth, TelemetryIssue, TelemetryState } from './health.ts';
import { encodePoint, LineProtocolError, type Point } from './line-protocol.ts';
import { Spool } from './spool.ts';

/** The secret store, narrowed to the one secret telemetry reads. */
export interface InfluxSecretSource {
  get(name: 'influx.token'): Promise<string | undefined>;
}

export interface InfluxWriterOptions {
  /** The `influx` settings (validated here). */
  config: unknown;
  /** Folder for the spool; created if missing. One writer per folder. */
  spoolDir: string;
  net: NetRequester;
  secrets: InfluxSecretSource;
  clock?: Clock;
  log?: Logger;
  redactor?: Redactor;
  random?: () => number;
  /** First backoff after a failed attempt (doubles up to retryMaxMs). Default 1 s. */
  retryBaseMs?: number;
  /** Default 60 s. */
  retryMaxMs?: number;
  /** One write request including the net layer's own retries. Default 30 s. */
  requestDeadlineMs?: number;
  /** Largest request body. Default 8 MiB (InfluxDB allows 25 MB, VictoriaMetrics 32 MB). */
  maxBodyBytes?: number;
  fsyncIntervalMs?: number;
  segmentBytes?: number;
}

export class InfluxWriter {
  readonly config: TelemetryConfig;
  readonly #o: InfluxWriterOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #red: Redactor;
  readonly #sender: BatchSender;
  readonly #dead: DeadLetterFile;
  readonly #abort = new AbortController();
  readonly #listeners = new Set<(h: TelemetryHealth) => void>();
  #spool!: Spool;
  #secret: { value: string | undefined } | undefined;
  #state: TelemetryState = 'idle';
  #halted = false;
  #closed = false;
  #failures = 0;
  #retryAt = 0;
  #timer: TimerHandle | undefined;
  #timerAt = 0;
  #pumping: Promise<void> | undefined;
  #again = false;
  #drainAll = false;
  #sent = 0;
  #lastSuccessAt: number | undefined;
  #lastAttemptAt: number | undefined;
  #lastError: TelemetryIssue | undefined;
  #warning: TelemetryHealth['warning'];
  #lastLoggedCode: string | undefined;

  private constructor(o: InfluxWriterOptions) {
    this.config = parseTelemetryConfig(o.config);
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ component: 'telemetry' });
    this.#red = o.redactor ?? defaultRedactor;
    this.#sender = new BatchSender({ net: o.net, version: this.config.version, redactor: this.#red, deadlineMs: o.requestDeadlineMs ?? 30_000, now: () => this.#clock.now() });
    this.#dead = new DeadLetterFile(o.spoolDir);
  }

  /** Opens the spool (recovering it after a crash) and starts replaying anything left in it. */
  static async open(o: InfluxWriterOptions): Promise<InfluxWriter> {
    const w = new InfluxWriter(o);
    w.#spool = await Spool.open({
      dir: o.spoolDir, maxBytes: w.config.spoolMaxBytes, clock: w.#clock, log: w.#log,
      ...(o.fsyncIntervalMs !== undefined ? { fsyncIntervalMs: o.fsyncIntervalMs } : {}),
      ...(o.segmentBytes !== undefined ? { segmentBytes: o.segmentBytes } : {}),
      onDrop: (n) => w.#onDrop(n),
    });
    if (w.#spool.stats().backlogPoints > 0) w.#kick(true);
    return w;
  }

  /** Spools one point. Rejects with LineProtocolError for a point that cannot be written. */
  async write(point: Point): Promise<void> {
    await this.writeLines([encodePoint(point)]);
  }

  /** Spools already-encoded line protocol (one point per line, e.g. relayed from another tool). */
  async writeLines(lines: readonly string[]): Promise<void> {
    if (this.#closed) throw new TelemetryError('TELEMETRY_SPOOL', 'the telemetry writer is closed', 'this is a bug in the caller: write before close()');
    for (const l of lines) {
      if (l.length === 0 || /[\r\n]/.test(l)) throw new LineProtocolError('LP_NEWLINE', 'raw line', 'is empty or contains a line break', 'pass one point per line, without newlines');
    }
    try {
      await this.#spool.append(lines);
    } catch (e) {
      const err = new TelemetryError('TELEMETRY_SPOOL', `could not write to the telemetry spool: ${(e as Error).message}`,
        'check free disk space and permissions of the spool folder', { cause: e });
      this.#setError(err);
      throw err;
    }
    if (this.#spool.stats().backlogPoints >= this.config.batchSize) this.#kick(false);
    else this.#arm(this.config.flushIntervalMs);
  }

  /**
   * Sends everything spooled now. Resolves true when the spool is empty, false when delivery
   * failed, is halted or `timeoutMs` passed (the points stay spooled either way).
   */
  async flush(timeoutMs = 30_000): Promise<boolean> {
    const deadline = this.#clock.now() + timeoutMs;
    for (let round = 0; round < 1_000; round++) {
      if (this.#spool.stats().backlogPoints === 0) return true;
      if (this.#halted || this.#closed || this.#clock.now() >= deadline) return false;
      if (this.#retryAt > this.#clock.now()) return false;
      const failuresBefore = this.#failures;
      this.#kick(true);
      await this.#pumping;
      if (this.#failures > failuresBefore || this.#halted) return false;
    }
    return false;
  }

  /** Clears a halt (after the user fixed settings or the secret) and retries at once. */
  resume(): void {
    if (this.#closed) return;
    this.#halted = false;
    this.#failures = 0;
    this.#retryAt = 0;
    this.#secret = undefined;
    this.#setState('idle');
    this.#kick(true);
  }

  health(): TelemetryHealth {
    const s = this.#spool.stats();
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const h: TelemetryHealth = {
      state: this.#state, version: this.config.version, target: endpointTarget(this.config),
      backlogPoints: s.backlogPoints, backlogBytes: s.backlogBytes, spoolMaxBytes: this.config.spoolMaxBytes,
      droppedPoints: s.droppedPoints, rejectedPoints: s.rejectedPoints, sentPoints: this.#sent, failures: this.#failures,
    };
    if (this.#lastSuccessAt !== undefined) h.lastSuccessAt = iso(this.#lastSuccessAt) as string;
    if (this.#lastAttemptAt !== undefined) h.lastAttemptAt = iso(this.#lastAttemptAt) as string;
    if (this.#state === 'retrying') h.nextRetryAt = iso(this.#retryAt) as string;
    if (this.#lastError) h.lastError = { ...this.#lastError };
    if (this.#warning) h.warning = { ...this.#warning };
    return h;
  }

  /** Called on state changes (success, failure, halt, warning). Returns an unsubscribe function. */
  onHealth(listener: (h: TelemetryHealth) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Optionally flushes, then stops sending and closes the spool. Unsent points stay on disk for next time. */
  async close(opts: { flushTimeoutMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    if (opts.flushTimeoutMs) await this.flush(opts.flushTimeoutMs).catch(() => false);
    this.#closed = true;
    this.#timer?.cancel();
    this.#abort.abort(new Error('telemetry writer closed'));
    await this.#pumping;
    await this.#spool.close();
    this.#setState('closed');
  }

  #kick(drainAll: boolean): void {
    if (this.#closed) return;
    this.#drainAll ||= drainAll;
    this.#again = true;
    if (this.#pumping) return;
    this.#pumping = (async () => {
      try {
        while (this.#again && !this.#closed) {
          this.#again = false;
          const drain = this.#drainAll;
          this.#drainAll = false;
          await this.#sendLoop(drain);
        }
      } finally {
        this.#pumping = undefined;
        const left = this.#spool.stats().backlogPoints;
        if (left > 0 && !this.#halted && !this.#closed) this.#arm(Math.max(0, this.#retryAt - this.#clock.now()) || this.config.flushIntervalMs);
      }
    })();
  }

  /** Makes sure a drain runs within `ms` (an earlier pending one is kept). */
  #arm(ms: number): void {
    if (this.#closed || this.#halted) return;
    const at = this.#clock.now() + ms;
    if (this.#timer && this.#timerAt <= at) return;
    this.#timer?.cancel();
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#kick(true);
    }, ms);
  }

  async #sendLoop(drainAll: boolean): Promise<void> {
    for (;;) {
      if (this.#halted || this.#closed) return;
      if (this.#retryAt > this.#clock.now()) return;
      const backlog = this.#spool.stats().backlogPoints;
      if (backlog === 0 || (!drainAll && backlog < this.config.batchSize)) return;
      const batch = await this.#spool.peek(this.config.batchSize, this.#o.maxBodyBytes ?? 8 << 20);
      if (batch.lines.length === 0) return;
      this.#lastAttemptAt = this.#clock.now();
      this.#setState('sending');
      try {
        const r = await this.#sender.deliver(batch.lines, await this.#endpoint(), this.#abort.signal);
        if (r.rejected.length) {
          await this.#dead.add(r.rejected, this.#clock.now());
          const first = r.rejected[0]?.error as TelemetryError;
          this.#log.warn('the database refused points as malformed; set aside in rejected.lp', { points: r.rejected.length, code: first.code, error: first.message });
          this.#lastError = this.#issue(first);
        }
        await this.#spool.ack(batch, r.rejected.length);
        this.#onSuccess(r.delivered);
      } catch (e) {
        this.#spool.release();
        if (this.#closed) return;
        this.#onFailure(e);
        return;
      }
    }
  }

  async #endpoint(): Promise<WriteEndpoint> {
    if (!this.#secret) {
      const value = await this.#o.secrets.get('influx.token');
      this.#registerSecret(value);
      this.#secret = { value };
    }
    return writeEndpoint(this.config, this.#secret.value);
  }

  #registerSecret(value: string | undefined): void {
    if (!value) return;
    this.#red.addSecret(value);
    if (this.config.username) this.#red.addSecret(Buffer.from(`${this.config.username}:${value}`, 'utf8').toString('base64'));
  }

  #onSuccess(delivered: number): void {
    if (this.#failures > 0) this.#log.info('telemetry delivery recovered', { afterFailures: this.#failures });
    this.#sent += delivered;
    this.#failures = 0;
    this.#retryAt = 0;
    this.#lastSuccessAt = this.#clock.now();
    if (this.#spool.stats().backlogPoints === 0) this.#warning = undefined;
    this.#setState('idle');
  }

  #onFailure(e: unknown): void {
    const halt = (e instanceof DeliveryFailed && e.action === 'halt') || (e instanceof TelemetryError && e.code === 'TELEMETRY_SECRET_MISSING');
    const err = e instanceof DeliveryFailed ? e.error : e instanceof TelemetryError ? e
      : new TelemetryError('TELEMETRY_SPOOL', `telemetry delivery failed: ${this.#red.text((e as Error)?.message ?? String(e))}`, 'check free disk space and permissions of the spool folder', { cause: e });
    this.#failures++;
    this.#setError(err);
    if (halt) {
      this.#halted = true;
      // The secret is read again on resume(), so a corrected token takes effect.
      this.#secret = undefined;
      this.#log.error('telemetry delivery halted', { error: err.toJSON() });
      this.#setState('halted');
      return;
    }
    const backoff = Math.min(this.#o.retryMaxMs ?? 60_000, (this.#o.retryBaseMs ?? 1_000) * 2 ** Math.min(20, this.#failures - 1));
    const jittered = Math.round(backoff * (0.5 + 0.5 * (this.#o.random ?? Math.random)()));
    const delay = err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, 0) : jittered;
    this.#retryAt = this.#clock.now() + delay;
    // One line per streak and per new kind of error, so an outage does not flood the log.
    if (this.#failures === 1 || this.#lastLoggedCode !== err.code) this.#log.warn('telemetry delivery failed; points stay spooled', { error: err.toJSON(), retryInMs: delay });
    this.#lastLoggedCode = err.code;
    this.#setState('retrying');
    this.#arm(delay);
  }

  #onDrop(points: number): void {
    const dropped = (this.#warning?.droppedPoints ?? 0) + points;
    this.#warning = {
      code: 'TELEMETRY_SPOOL_FULL',
      message: `the telemetry spool reached its cap of ${this.config.spoolMaxBytes} bytes; the oldest ${dropped} points were dropped`,
      fix: 'restore the connection to the database, or raise influx.spoolMaxBytes',
      at: new Date(this.#clock.now()).toISOString(),
      droppedPoints: dropped,
    };
    this.#emit();
  }

  #issue(err: TelemetryError): TelemetryIssue {
    return {
      code: err.code, message: this.#red.text(err.message), fix: this.#red.text(err.fix), at: new Date(this.#clock.now()).toISOString(),
      ...(err.status !== undefined ? { status: err.status } : {}),
    };
  }

  #setError(err: TelemetryError): void {
    this.#lastError = this.#issue(err);
    this.#emit();
  }

  #setState(s: TelemetryState): void {
    this.#state = s;
    this.#emit();
  }

  #emit(): void {
    if (this.#listeners.size === 0) return;
    const h = this.health();
    for (const l of this.#listeners) {
      try {
        l(h);
      } catch (e) {
        this.#log.error('telemetry health listener threw', { error: e });
      }
    }
  }
}
