// Sends one batch of line protocol through the net layer and interprets the answer.
//
// 2xx: delivered. 5xx, 408, 429 and network errors: thrown as retryable (the net layer already
// retried the request a few times with its backoff, honouring Retry-After). 413, and 400/422 when
// the database says the points are bad (errors.ts): the batch is split in halves and each half sent
// again, in order, until the bad points are isolated; a single bad point is set aside as rejected
// and the rest are delivered. Resending a half that was already written is harmless: the same series
// and timestamp overwrite. 401/403/404 and other 4xx: thrown with action `halt`, because no retry
// can fix them.
import { gzip as gzipCb } from 'node:zlib';
import { promisify } from 'node:util';
import type { NetLayer, RetryPolicy } from '../net/index.ts';
import { CircuitOpen, idempotentPolicy, NetError, parseRetryAfter, RateLimited } from '../net/index.ts';
import type { Redactor } from '../util/redact.ts';
import { classifyWriteFailure, TelemetryError, type FailureAction } from './errors.ts';
import type { WriteEndpoint } from './endpoint.ts';
import type { LineBatch } from './line-batch.ts';

const gzip = promisify(gzipCb);

export type NetRequester = Pick<NetLayer, 'request'>;

/** In-call retries for a write: short, because the writer's own loop retries for as long as it takes. */
export const WRITE_RETRY_POLICY: RetryPolicy = {
  ...idempotentPolicy({ maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 2_000, maxRetryAfterMs: 30_000 }),
  name: 'telemetry-write',
  // A write is idempotent: every point carries its timestamp, so a repeat overwrites itself.
  methods: '*',
};

export interface RejectedPoint {
  line: string;
  error: TelemetryError;
}

export interface DeliveryResult {
  delivered: number;
  rejected: RejectedPoint[];
  requests: number;
}

/** A failure that ends this delivery attempt; `action` says whether to back off or halt. */
export class DeliveryFailed extends Error {
  readonly error: TelemetryError;
  readonly action: Exclude<FailureAction, 'split'>;
  constructor(error: TelemetryError, action: Exclude<FailureAction, 'split'>) {
    super(error.message, { cause: error });
    this.name = 'DeliveryFailed';
    this.error = error;
    this.action = action;
  }
}

export interface BatchSenderOptions {
  net: NetRequester;
  version: 'v1' | 'v2';
  redactor: Redactor;
  /** Whole-request deadline, retries included. */
  deadlineMs?: number;
  now?: () => number;
}

export class BatchSender {
  readonly #o: BatchSenderOptions;
  constructor(o: BatchSenderOptions) {
    this.#o = o;
  }

  /** Sends the lines of `records` in order. */
  async deliver(records: LineBatch, ep: WriteEndpoint, signal?: AbortSignal): Promise<DeliveryResult> {
    const result: DeliveryResult = { delivered: 0, rejected: [], requests: 0 };
    await this.#deliverPart(records, ep, signal, result);
    return result;
  }

  async #deliverPart(lines: LineBatch, ep: WriteEndpoint, signal: AbortSignal | undefined, acc: DeliveryResult): Promise<void> {
    if (lines.count === 0) return;
    const outcome = await this.#post(lines, ep, signal, acc);
    if (outcome === 'ok') {
      acc.delivered += lines.count;
      return;
    }
    if (lines.count === 1) {
      acc.rejected.push({ line: lines.line(0), error: outcome });
      return;
    }
    const mid = Math.ceil(lines.count / 2);
    await this.#deliverPart(lines.slice(0, mid), ep, signal, acc);
    await this.#deliverPart(lines.slice(mid, lines.count), ep, signal, acc);
  }

  /** 'ok', or the error for a batch that must be split; throws DeliveryFailed otherwise. */
  async #post(lines: LineBatch, ep: WriteEndpoint, signal: AbortSignal | undefined, acc: DeliveryResult): Promise<'ok' | TelemetryError> {
    const body = ep.headers['content-encoding'] === 'gzip' ? await gzip(lines.body) : lines.body;
    acc.requests++;
    let res;
    try {
      res = await this.#o.net.request({
        url: ep.url, method: 'POST', headers: ep.headers, body,
        retry: WRITE_RETRY_POLICY, throwOnHttpError: false,
        ...(signal ? { signal } : {}),
        ...(this.#o.deadlineMs ? { deadlineMs: this.#o.deadlineMs } : {}),
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new DeliveryFailed(this.#networkError(e, ep), 'retry');
    }
    if (res.status >= 200 && res.status < 300) return 'ok';
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], (this.#o.now ?? Date.now)());
    const { error, action } = classifyWriteFailure({
      status: res.status, target: ep.target, detail: this.#detail(res.text()),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    }, this.#o.version);
    if (action === 'split') return error;
    throw new DeliveryFailed(error, action);
  }

  #networkError(e: unknown, ep: WriteEndpoint): TelemetryError {
    if (e instanceof NetError) {
      // An open circuit says when the next probe is due; a rate limit says how long to wait.
      const now = (this.#o.now ?? Date.now)();
      const retryAfterMs = e instanceof CircuitOpen ? Math.max(0, e.retryAtMs - now) : e instanceof RateLimited ? e.retryAfterMs : undefined;
      return new TelemetryError('TELEMETRY_UNREACHABLE', `POST ${ep.target} failed: ${this.#o.redactor.text(e.message)}`,
        `${e.fix}; points stay spooled and are resent automatically`, { cause: e, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    const msg = e instanceof Error ? e.message : String(e);
    return new TelemetryError('TELEMETRY_UNREACHABLE', `POST ${ep.target} failed: ${this.#o.redactor.text(msg)}`,
      'check that the database is running and reachable; points stay spooled and are resent automatically', { cause: e });
  }

  /** The database's error text: InfluxDB answers {"error": "..."}, VictoriaMetrics plain text. */
  #detail(body: string): string {
    let text = body.trim();
    try {
      const j = JSON.parse(text) as { error?: unknown; message?: unknown };
      if (typeof j.error === 'string') text = j.error;
      else if (typeof j.message === 'string') text = j.message;
    } catch {
      // not JSON: keep the text
    }
    text = text.replace(/\s+/g, ' ');
    return this.#o.redactor.text(text.length > 300 ? `${text.slice(0, 300)}…` : text);
  }
}
