// How one campaign's loop makes a platform call: take a slot from the shared request budget,
// make the call, and turn failures into loop decisions:
// - 429: an event, then a wait of Retry-After (cancellable; the default 3 s when the server gave
//   none, as the official SDKs do), then the same call again. A wait longer than the cap ends the
//   cycle instead.
// - circuit open: an event, and the campaign's loop pauses until the breaker's next probe.
// - 409/412: rethrown for the write path to re-read and recompute.
// - anything else: an error event, and the cycle ends without a write.
import { sleep, type Clock } from '../util/clock.ts';
import { classifyApiError, type CallOpts } from './campaign-api.ts';
import type { RequestBudget } from './rate-budget.ts';

export type CallStage = 'read' | 'stats' | 'analytics' | 'write';

/** Ends the current cycle with an outcome (no write happens after it). */
export class CycleStop extends Error {
  readonly outcome: 'error' | 'rate-limited' | 'breaker-open' | 'cancelled';
  readonly stage: CallStage;
  readonly code: string;
  constructor(outcome: CycleStop['outcome'], stage: CallStage, code: string, message: string) {
    super(message);
    this.name = 'CycleStop';
    this.outcome = outcome;
    this.stage = stage;
    this.code = code;
  }
}

export interface RequesterHooks {
  clock: Clock;
  budget: RequestBudget;
  maxRetryAfterMs: number;
  defaultRetryAfterMs: number;
  onRateLimited(waitMs: number, cancelled: boolean): void;
  onBreakerOpen(retryAtMs: number | undefined): void;
  onError(stage: CallStage, code: string, message: string): void;
  /** Counts calls in flight (for `settle` in tests and the snapshot). */
  busy(delta: 1 | -1): void;
}

export function createRequester(h: RequesterHooks) {
  return async function call<T>(stage: CallStage, fn: (o: CallOpts) => Promise<T>, signal: AbortSignal): Promise<T> {
    for (;;) {
      try {
        await h.budget.take(signal);
      } catch {
        throw new CycleStop('cancelled', stage, 'Cancelled', 'cycle cancelled');
      }
      let failure: unknown;
      h.busy(1);
      try {
        return await fn({ signal });
      } catch (e) {
        failure = e;
      } finally {
        h.busy(-1);
      }
      const f = classifyApiError(failure);
      if (signal.aborted || f.kind === 'aborted') throw new CycleStop('cancelled', stage, 'Cancelled', 'cycle cancelled');
      if (f.kind === 'conflict') throw failure;
      if (f.kind === 'rate-limited') {
        const wait = f.retryAfterMs ?? h.defaultRetryAfterMs;
        if (wait > h.maxRetryAfterMs) {
          h.onRateLimited(wait, true);
          throw new CycleStop('rate-limited', stage, 'RateLimited', `Retry-After ${Math.ceil(wait / 1000)} s is longer than the ${Math.ceil(h.maxRetryAfterMs / 1000)} s cap`);
        }
        h.onRateLimited(wait, false);
        try {
          await sleep(h.clock, wait, signal);
        } catch {
          h.onRateLimited(wait, true);
          throw new CycleStop('rate-limited', stage, 'RateLimited', 'rate-limit wait cancelled');
        }
        continue;
      }
      if (f.kind === 'breaker-open') {
        h.onBreakerOpen(f.retryAtMs);
        throw new CycleStop('breaker-open', stage, 'CircuitOpen', 'circuit breaker open');
      }
      const code = f.kind === 'invalid-response' ? (stage === 'stats' ? 'MalformedStats' : 'ResponseInvalid') : f.code;
      const message = f.kind === 'invalid-response' || f.kind === 'other' ? f.message : String(failure);
      h.onError(stage, code, message);
      throw new CycleStop('error', stage, code, message);
    }
  };
}

export type Requester = ReturnType<typeof createRequester>;
