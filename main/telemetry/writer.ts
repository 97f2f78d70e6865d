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
import type { TelemetryHealth } from './health.ts';
import { encodePoint, LineProtocolError, type Point } from './line-protocol.ts';
import { sendBacklog } from './send-backlog.ts';
import { Spool } from './spool.ts';
import { retryDelay, WriterStatus } from './writer-status.ts';

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
  /** Write requests in flight at once (batches are still acknowledged in order). Default 2. */
  maxInFlight?: number;
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
  readonly #status: WriterStatus;
  readonly #abort = new AbortController();
  #spool!: Spool;
  #secret: { value: string | undefined } | undefined;
  #halted = false;
  #closed = false;
  #timer: TimerHandle | undefined;
  #timerAt = 0;
  #pumping: Promise<void> | undefined;
  #again = false;
  #drainAll = false;
  #lastLoggedCode: string | undefined;

  private constructor(o: InfluxWriterOptions) {
    this.config = parseTelemetryConfig(o.config);
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ component: 'telemetry' });
    this.#red = o.redactor ?? defaultRedactor;
    this.#sender = new BatchSender({ net: o.net, version: this.config.version, redactor: this.#red, deadlineMs: o.requestDeadlineMs ?? 30_000, now: () => this.#clock.now() });
    this.#dead = new DeadLetterFile(o.spoolDir);
    this.#status = new WriterStatus(() => this.#clock.now(), this.#red, () => this.health());
  }

  /** Opens the spool (recovering it after a crash) and starts replaying anything left in it. */
  static async open(o: InfluxWriterOptions): Promise<InfluxWriter> {
    const w = new InfluxWriter(o);
    w.#spool = await Spool.open({
      dir: o.spoolDir, maxBytes: w.config.spoolMaxBytes, clock: w.#clock, log: w.#log,
      ...(o.fsyncIntervalMs !== undefined ? { fsyncIntervalMs: o.fsyncIntervalMs } : {}),
      ...(o.segmentBytes !== undefined ? { segmentBytes: o.segmentBytes } : {}),
      onDrop: (n) => w.#status.dropped(n, w.config.spoolMaxBytes),
      onAppended: () => w.#onAppended(),
      mapError: (e) => w.#spoolError(e),
    });
    if (w.#spool.backlogPoints > 0) w.#kick(true);
    return w;
  }

  /**
   * Spools one point; resolves once it is in the spool file. Rejects with LineProtocolError for a
   * point that cannot be written, or TelemetryError `TELEMETRY_SPOOL` when the disk refuses it.
   */
  write(point: Point): Promise<void> {
    let line: string;
    try {
      line = encodePoint(point);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#append([line]);
  }

  /** Spools already-encoded line protocol (one point per line, e.g. relayed from another tool). */
  writeLines(lines: readonly string[]): Promise<void> {
    for (const l of lines) {
      if (l.length === 0 || /[\r\n]/.test(l)) {
        return Promise.reject(new LineProtocolError('LP_NEWLINE', 'raw line', 'is empty or contains a line break', 'pass one point per line, without newlines'));
      }
    }
    return this.#append(lines);
  }

  /**
   * Sends everything spooled now. Resolves true when the spool is empty, false when delivery
   * failed, is halted or `timeoutMs` passed (the points stay spooled either way).
   */
  async flush(timeoutMs = 30_000): Promise<boolean> {
    const deadline = this.#clock.now() + timeoutMs;
    for (let round = 0; round < 1_000; round++) {
      if (this.#spool.backlogPoints === 0) return true;
      if (this.#halted || this.#closed || this.#clock.now() >= deadline) return false;
      if (this.#status.retryAt > this.#clock.now()) return false;
      const failuresBefore = this.#status.failures;
      this.#kick(true);
      await this.#pumping;
      if (this.#status.failures > failuresBefore || this.#halted) return false;
    }
    return false;
  }

  /** Clears a halt (after the user fixed settings or the secret) and retries at once. */
  resume(): void {
    if (this.#closed) return;
    this.#halted = false;
    this.#status.failures = 0;
    this.#status.retryAt = 0;
    this.#secret = undefined;
    this.#status.setState('idle');
    this.#kick(true);
  }

  health(): TelemetryHealth {
    return this.#status.health({ version: this.config.version, target: endpointTarget(this.config), spoolMaxBytes: this.config.spoolMaxBytes }, this.#spool.stats());
  }

  /** Called on state changes (success, failure, halt, warning). Returns an unsubscribe function. */
  onHealth(listener: (h: TelemetryHealth) => void): () => void {
    return this.#status.onHealth(listener);
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
    this.#status.setState('closed');
  }

  // Deliberately not async: on the hot path each write costs one promise, the spool's.
  #append(lines: readonly string[]): Promise<void> {
    if (this.#closed) return Promise.reject(new TelemetryError('TELEMETRY_SPOOL', 'the telemetry writer is closed', 'this is a bug in the caller: write before close()'));
    return this.#spool.append(lines);
  }

  /** After each group of appends reached the file: send a full batch now, or make sure one goes out soon. */
  #onAppended(): void {
    if (this.#spool.backlogPoints >= this.config.batchSize) this.#kick(false);
    else this.#arm(this.config.flushIntervalMs);
  }

  #spoolError(e: unknown): Error {
    const err = new TelemetryError('TELEMETRY_SPOOL', `could not write to the telemetry spool: ${this.#red.text((e as Error)?.message ?? String(e))}`,
      'check free disk space and permissions of the spool folder', { cause: e });
    this.#status.setError(err);
    return err;
  }

  /** Runs the send loop unless it is running; `drainAll` also sends a partial batch. */
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
        if (this.#spool.backlogPoints > 0 && !this.#halted && !this.#closed) {
          this.#arm(Math.max(0, this.#status.retryAt - this.#clock.now()) || this.config.flushIntervalMs);
        }
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

  #sendLoop(drainAll: boolean): Promise<void> {
    return sendBacklog({
      spool: this.#spool,
      batchSize: this.config.batchSize,
      maxBodyBytes: this.#o.maxBodyBytes ?? 8 << 20,
      maxInFlight: this.#o.maxInFlight ?? 2,
      drainAll,
      stopped: () => this.#halted || this.#closed || this.#status.retryAt > this.#clock.now(),
      deliver: async (batch) => this.#sender.deliver(batch.records, await this.#endpoint(), this.#abort.signal),
      onSend: () => {
        this.#status.lastAttemptAt = this.#clock.now();
        if (this.#status.state !== 'sending') this.#status.setState('sending');
      },
      onRejected: async (rejected) => {
        await this.#dead.add(rejected, this.#clock.now());
        const first = rejected[0]?.error as TelemetryError;
        this.#log.warn('the database refused points as malformed; set aside in rejected.lp', { points: rejected.length, code: first.code, error: first.message });
        this.#status.lastError = this.#status.issue(first);
      },
      onDelivered: (n, moreInFlight) => this.#onSuccess(n, moreInFlight),
      onFailure: (e) => {
        if (!this.#closed) this.#onFailure(e);
      },
    });
  }

  async #endpoint(): Promise<WriteEndpoint> {
    if (!this.#secret) {
      const value = await this.#o.secrets.get('influx.token');
      if (value) {
        // Masked wherever it might surface, including inside the Basic header's encoding.
        this.#red.addSecret(value);
        if (this.config.username) this.#red.addSecret(Buffer.from(`${this.config.username}:${value}`, 'utf8').toString('base64'));
      }
      this.#secret = { value };
    }
    return writeEndpoint(this.config, this.#secret.value);
  }

  #onSuccess(delivered: number, moreInFlight: boolean): void {
    const st = this.#status;
    if (st.failures > 0) this.#log.info('telemetry delivery recovered', { afterFailures: st.failures });
    st.sent += delivered;
    st.failures = 0;
    st.retryAt = 0;
    st.lastSuccessAt = this.#clock.now();
    if (this.#spool.backlogPoints === 0) st.warning = undefined;
    st.setState(moreInFlight ? 'sending' : 'idle');
  }

  #onFailure(e: unknown): void {
    const st = this.#status;
    const halt = (e instanceof DeliveryFailed && e.action === 'halt') || (e instanceof TelemetryError && e.code === 'TELEMETRY_SECRET_MISSING');
    const err = e instanceof DeliveryFailed ? e.error : e instanceof TelemetryError ? e
      : new TelemetryError('TELEMETRY_SPOOL', `telemetry delivery failed: ${this.#red.text((e as Error)?.message ?? String(e))}`, 'check free disk space and permissions of the spool folder', { cause: e });
    st.failures++;
    st.setError(err);
    if (halt) {
      this.#halted = true;
      this.#secret = undefined; // read again on resume(), so a corrected token takes effect
      this.#log.error('telemetry delivery halted', { error: err.toJSON() });
      st.setState('halted');
      return;
    }
    const delay = retryDelay(st.failures, this.#o.retryBaseMs ?? 1_000, this.#o.retryMaxMs ?? 60_000, this.#o.random ?? Math.random, err.retryAfterMs);
    st.retryAt = this.#clock.now() + delay;
    // One line per streak and per new kind of error, so an outage does not flood the log.
    if (st.failures === 1 || this.#lastLoggedCode !== err.code) this.#log.warn('telemetry delivery failed; points stay spooled', { error: err.toJSON(), retryInMs: delay });
    this.#lastLoggedCode = err.code;
    st.setState('retrying');
    this.#arm(delay);
  }
}
