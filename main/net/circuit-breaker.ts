// Circuit breaker per origin. N consecutive 5xx responses open it for `openMs`; after that one
// request is let through as a half-open probe: success closes the circuit, another 5xx (or a
// connection failure) reopens it. Other callers get CircuitOpen while the probe is in flight.
// Any non-5xx response (including 4xx and 429) counts as the origin being alive.
import type { Clock } from '../util/clock.ts';
import { CircuitOpen } from './errors.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  openedAt?: number;
  retryAt?: number;
  opens: number;
}

interface Entry {
  state: CircuitState;
  failures: number;
  openedAt: number;
  probeInFlight: boolean;
  opens: number;
}

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  clock: Clock;
  onChange?: (origin: string, state: CircuitState) => void;
}

/** A ticket for one attempt; report its outcome exactly once. */
export interface BreakerTicket {
  success(): void;
  failure(): void;
  /** The attempt ended without telling us anything about the origin (aborted, proxy failure). */
  neutral(): void;
}

export class CircuitBreakers {
  #o: BreakerOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(o: BreakerOptions) {
    this.#o = o;
  }

  /** New thresholds (settings changed); circuits keep their current state. */
  configure(o: Pick<BreakerOptions, 'failureThreshold' | 'openMs'>): void {
    this.#o = { ...this.#o, ...o };
  }

  /** Throws CircuitOpen when the origin's circuit is open (or its half-open probe is taken). */
  acquire(origin: string): BreakerTicket {
    const now = this.#o.clock.now();
    const e = this.#entry(origin);
    let isProbe = false;
    if (e.state === 'open') {
      const retryAt = e.openedAt + this.#o.openMs;
      if (now < retryAt) throw new CircuitOpen(origin, retryAt, now);
      this.#set(origin, e, 'half-open');
    }
    if (e.state === 'half-open') {
      if (e.probeInFlight) throw new CircuitOpen(origin, now + 1000, now);
      e.probeInFlight = true;
      isProbe = true;
    }
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      if (isProbe) e.probeInFlight = false;
      fn();
    };
    return {
      success: () => finish(() => {
        e.failures = 0;
        if (e.state !== 'closed') this.#set(origin, e, 'closed');
      }),
      failure: () => finish(() => {
        e.failures += 1;
        if (e.state === 'half-open' || (e.state === 'closed' && e.failures >= this.#o.failureThreshold)) this.#open(origin, e);
      }),
      neutral: () => finish(() => {
        // A probe that told us nothing must not leave the circuit half-open forever.
        if (isProbe && e.state === 'half-open') this.#open(origin, e);
      }),
    };
  }

  snapshot(): Record<string, BreakerSnapshot> {
    const out: Record<string, BreakerSnapshot> = {};
    for (const [origin, e] of this.#entries) {
      out[origin] = {
        state: e.state,
        consecutiveFailures: e.failures,
        opens: e.opens,
        ...(e.state !== 'closed' ? { openedAt: e.openedAt, retryAt: e.openedAt + this.#o.openMs } : {}),
      };
    }
    return out;
  }

  #entry(origin: string): Entry {
    let e = this.#entries.get(origin);
    if (!e) {
      e = { state: 'closed', failures: 0, openedAt: 0, probeInFlight: false, opens: 0 };
      this.#entries.set(origin, e);
    }
    return e;
  }

  #open(origin: string, e: Entry): void {
    e.openedAt = this.#o.clock.now();
    e.opens += 1;
    this.#set(origin, e, 'open');
  }

  #set(origin: string, e: Entry, state: CircuitState): void {
    e.state = state;
    this.#o.onChange?.(origin, state);
  }
}
