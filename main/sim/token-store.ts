// Access tokens issued by the simulator's /oauth/token. Expiry is judged on the simulator clock,
// so a test can age a token by advancing a ManualClock instead of waiting.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../util/clock.ts';

export interface TokenRecord {
  readonly token: string;
  readonly clientId: string;
  readonly issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export type TokenCheck =
  | { ok: true; record: TokenRecord }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** Invalidation listeners let channels die with their token (notes C.2). */
export type TokenListener = (record: TokenRecord, reason: 'expired' | 'revoked') => void;

// A flood of token requests must not grow memory without bound; the oldest tokens go first.
const MAX_TOKENS = 5000;
// Dead tokens are remembered for a while so a client sees "expired" rather than "unknown".
const DEAD_TOKEN_MEMORY_MS = 24 * 3600 * 1000;

export class TokenStore {
  readonly #clock: Clock;
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #listeners = new Set<TokenListener>();
  lifetimeSec: number;

  constructor(clock: Clock, lifetimeSec: number) {
    this.#clock = clock;
    this.lifetimeSec = lifetimeSec;
  }

  issue(clientId: string): TokenRecord {
    this.#prune();
    const now = this.#clock.now();
    const record: TokenRecord = {
      token: randomBytes(48).toString('base64url'),
      clientId,
      issuedAt: now,
      expiresAt: now + this.lifetimeSec * 1000,
      revoked: false,
    };
    this.#tokens.set(record.token, record);
    return record;
  }

  check(token: string): TokenCheck {
    const record = this.#tokens.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revoked) return { ok: false, reason: 'revoked' };
    if (this.#clock.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  get(token: string): TokenRecord | undefined {
    return this.#tokens.get(token);
  }

  /** Live (not revoked, not expired) tokens, newest last. */
  live(): TokenRecord[] {
    const now = this.#clock.now();
    return [...this.#tokens.values()].filter((r) => !r.revoked && now < r.expiresAt);
  }

  /** Revokes one token, or every token when none is given. Returns how many were live. */
  revoke(token?: string): number {
    return this.#invalidate(token, 'revoked', (r) => {
      r.revoked = true;
    });
  }

  /** Makes one token (or all) expire now, as if its lifetime had run out. */
  expire(token?: string): number {
    const now = this.#clock.now();
    return this.#invalidate(token, 'expired', (r) => {
      r.expiresAt = Math.min(r.expiresAt, now);
    });
  }

  onInvalidated(listener: TokenListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #invalidate(token: string | undefined, reason: 'expired' | 'revoked', apply: (r: TokenRecord) => void): number {
    const targets = token === undefined ? this.live() : this.live().filter((r) => r.token === token);
    for (const r of targets) {
      apply(r);
      for (const l of this.#listeners) l(r, reason);
    }
    return targets.length;
  }

  #prune(): void {
    const now = this.#clock.now();
    for (const [k, r] of this.#tokens) {
      if ((r.revoked || r.expiresAt <= now) && now - r.expiresAt > DEAD_TOKEN_MEMORY_MS) this.#tokens.delete(k);
    }
    while (this.#tokens.size >= MAX_TOKENS) {
      const oldest = this.#tokens.keys().next().value as string;
      this.#tokens.delete(oldest);
    }
  }
}
