// Retry decisions as pure functions: which outcomes are retried, and how long to wait.
// Idempotent requests retry on 408/429/5xx-gateway and connection resets; Retry-After wins (seconds
// or HTTP-date); otherwise exponential backoff with full jitter. 401, 403, 407 and TLS failures are
// never retried blindly: another attempt cannot fix them.

export interface RetryPolicy {
  name: string;
  /** Total attempts including the first. 1 disables retries. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After worth waiting out; longer ones surface to the caller as RateLimited. */
  maxRetryAfterMs: number;
  statuses: ReadonlySet<number>;
  /** Error codes (errno or undici) treated as a connection reset. */
  errorCodes: ReadonlySet<string>;
  /** Methods retried; `*` retries any (used for the OAuth token POST, which is safe to repeat). */
  methods: ReadonlySet<string> | '*';
}

export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
export const RESET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export interface RetryLimits {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_LIMITS: RetryLimits = { maxAttempts: 5, baseDelayMs: 2_000, maxDelayMs: 30_000, maxRetryAfterMs: 180_000 };

export function idempotentPolicy(l: RetryLimits = DEFAULT_LIMITS): RetryPolicy {
  return { name: 'idempotent', ...l, statuses: RETRY_STATUSES, errorCodes: RESET_CODES, methods: IDEMPOTENT_METHODS };
}

/**
 * The OAuth client-credentials POST: repeating it only mints another token, so it is retried on
 * the same statuses and resets, but with fewer attempts and a short cap — a login that keeps
 * failing should surface quickly. 400/401 (bad client) are not in the list.
 */
export function oauthPolicy(l: RetryLimits = DEFAULT_LIMITS): RetryPolicy {
  return {
    name: 'oauth', maxAttempts: Math.min(3, l.maxAttempts), baseDelayMs: Math.min(1_000, l.baseDelayMs),
    maxDelayMs: Math.min(10_000, l.maxDelayMs), maxRetryAfterMs: Math.min(60_000, l.maxRetryAfterMs),
    statuses: RETRY_STATUSES, errorCodes: RESET_CODES, methods: '*',
  };
}

export const NO_RETRY: RetryPolicy = {
  name: 'none', maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0,
  statuses: new Set(), errorCodes: new Set(), methods: new Set(),
};

/** Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP-date. Undefined when absent or unparseable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (/^\d+\.\d+$/.test(v)) return Math.ceil(Number(v) * 1000); // lenient: some gateways send fractions
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Full jitter: uniform in [0, min(max, base·2^(attempt-1))]. `attempt` is the attempt that just failed (1-based). */
export function backoffDelay(attempt: number, p: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const cap = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

export type Outcome =
  | { kind: 'response'; status: number; retryAfterMs?: number }
  | { kind: 'error'; code: string };

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: string; retryAfterMs?: number };

export interface DecideInput {
  policy: RetryPolicy;
  method: string;
  /** The attempt that just finished, 1-based. */
  attempt: number;
  outcome: Outcome;
  /** Time left before the operation deadline. */
  remainingMs: number;
  random: () => number;
}

export function decideRetry(i: DecideInput): RetryDecision {
  const { policy, outcome } = i;
  const method = i.method.toUpperCase();
  const what = outcome.kind === 'response' ? `HTTP ${outcome.status}` : outcome.code;
  if (outcome.kind === 'response' && !policy.statuses.has(outcome.status)) return { retry: false, reason: `${what} is final` };
  if (outcome.kind === 'error' && !policy.errorCodes.has(outcome.code)) return { retry: false, reason: `${what} is not retried` };
  if (policy.methods !== '*' && !policy.methods.has(method)) return { retry: false, reason: `${method} is not idempotent` };
  if (i.attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${i.attempt} attempts (${what})` };
  const retryAfter = outcome.kind === 'response' ? outcome.retryAfterMs : undefined;
  if (retryAfter !== undefined) {
    if (retryAfter > policy.maxRetryAfterMs) return { retry: false, reason: `Retry-After ${retryAfter} ms exceeds ${policy.maxRetryAfterMs} ms`, retryAfterMs: retryAfter };
    if (retryAfter > i.remainingMs) return { retry: false, reason: 'Retry-After exceeds the operation deadline', retryAfterMs: retryAfter };
    return { retry: true, delayMs: retryAfter, reason: `${what}, Retry-After ${retryAfter} ms` };
  }
  const delayMs = backoffDelay(i.attempt, policy, i.random);
  if (delayMs > i.remainingMs) return { retry: false, reason: 'backoff exceeds the operation deadline' };
  return { retry: true, delayMs, reason: `${what}, backoff ${delayMs} ms` };
}
