// Reconnect delays: exponential backoff with full jitter, so many relays (or many channels of
// one relay) that lost the platform at the same moment do not come back in lockstep. A platform
// Retry-After (429) is a floor, never shortened by jitter. Pure: randomness is injected.

export interface BackoffOptions {
  /** First delay ceiling (default 500 ms). */
  baseMs: number;
  /** Largest delay ceiling (default 30 s). */
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, factor: 2 };

/** Delay before retry number `attempt` (0-based): uniform in [ceiling/2, ceiling], then at least retryAfterMs. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number, retryAfterMs = 0): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * opts.factor ** Math.max(0, Math.min(attempt, 30)));
  // "Equal jitter": keeps a minimum spacing while still spreading retries out.
  const delay = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(Math.round(delay), Math.max(0, retryAfterMs));
}
