// OAuth client-credentials tokens (notes/genesys.md B.1). Client credentials come with no refresh
// token, so "refresh" means requesting a new one: at 85% of the lifetime (ahead of time, so
// notification channels can be rotated before theirs dies) and once after a 401. Requests are
// single-flight: any number of concurrent callers share one token request. The client secret is
// read from the secret source on every token request, so rotating it needs no restart.
import type { Clock, TimerHandle } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { redactor as defaultRedactor, type Redactor } from '../util/redact.ts';
import { OAuthTokenResponseSchema } from './models.ts';
import { OAuthRejected, SecretMissing } from './errors.ts';
import { httpErrorOf, parseBody } from './responses.ts';
import type { NetLayer, SecretSource } from '../net/index.ts';

export interface AccessToken {
  value: string;
  obtainedAt: number;
  expiresAt: number;
}

export interface TokenSourceOptions {
  net: NetLayer;
  loginBaseUrl: string;
  clientId: string;
  secrets: SecretSource;
  clock: Clock;
  logger: Logger;
  redactor?: Redactor;
  /** Fraction of the lifetime after which a new token is fetched (0.85). */
  refreshAt?: number;
  /** Refresh on a timer at `refreshAt` even when nobody asks (keeps channels rotatable). Default true. */
  proactive?: boolean;
}

export interface TokenSource {
  /** A valid access token; waits for (or starts) the single in-flight request when needed. */
  getToken(signal?: AbortSignal): Promise<string>;
  /** The API said 401 to `token`: drop it so the next getToken fetches a new one (once, shared). */
  invalidate(token: string): void;
  current(): AccessToken | undefined;
  /** Called with every new token (the relay rotates notification channels on it). */
  onToken(listener: (t: AccessToken) => void): () => void;
  /** Token requests sent so far. */
  readonly requests: number;
  close(): void;
}

export function createTokenSource(o: TokenSourceOptions): TokenSource {
  const red = o.redactor ?? defaultRedactor;
  const refreshAt = o.refreshAt ?? 0.85;
  const url = new URL('/oauth/token', o.loginBaseUrl);
  const listeners = new Set<(t: AccessToken) => void>();
  let cached: AccessToken | undefined;
  let inflight: Promise<AccessToken> | undefined;
  let timer: TimerHandle | undefined;
  let requests = 0;
  let closed = false;

  const refreshDue = (t: AccessToken): number => t.obtainedAt + (t.expiresAt - t.obtainedAt) * refreshAt;
  // Plain booleans, not type guards: "not fresh" must not narrow the token to undefined.
  const fresh = (t: AccessToken | undefined, now: number): boolean => !!t && now < refreshDue(t);
  const usable = (t: AccessToken | undefined, now: number): boolean => !!t && now < t.expiresAt - 5_000;

  async function fetchToken(): Promise<AccessToken> {
    const secret = await o.secrets.get('genesys.clientSecret');
    if (!secret) throw new SecretMissing('Genesys client secret');
    red.addSecret(secret);
    const basic = Buffer.from(`${o.clientId}:${secret}`, 'utf8').toString('base64');
    red.addSecret(basic);
    requests++;
    const obtainedAt = o.clock.now();
    const res = await o.net.request({
      url, method: 'POST', retry: 'oauth', throwOnHttpError: false,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
    });
    if (res.status !== 200) {
      const err = httpErrorOf(res, 'POST', url, o.clock.now());
      if (res.status === 400 || res.status === 401) {
        throw new OAuthRejected({ status: res.status, method: 'POST', target: err.target, ...(err.apiCode ? { apiCode: err.apiCode } : {}), ...(err.contextId ? { contextId: err.contextId } : {}) }, url.host);
      }
      throw err;
    }
    const body = parseBody(res, OAuthTokenResponseSchema, `POST ${url.origin}/oauth/token`);
    red.addSecret(body.access_token);
    const token: AccessToken = { value: body.access_token, obtainedAt, expiresAt: obtainedAt + body.expires_in * 1000 };
    cached = token;
    schedule(token);
    o.logger.info('access token obtained', { expiresInSec: body.expires_in, requests });
    for (const l of listeners) {
      try {
        l(token);
      } catch (e) {
        o.logger.warn('token listener failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
    return token;
  }

  function schedule(t: AccessToken): void {
    timer?.cancel();
    if (o.proactive === false || closed) return;
    const due = refreshDue(t) - o.clock.now();
    timer = o.clock.setTimeout(() => {
      if (closed || cached !== t) return;
      single().catch((e: unknown) => o.logger.warn('proactive token refresh failed', { code: (e as { code?: string }).code, error: e instanceof Error ? e.message : String(e) }));
    }, Math.max(0, due));
  }

  function single(): Promise<AccessToken> {
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    async getToken(signal) {
      signal?.throwIfAborted();
      const now = o.clock.now();
      if (cached && fresh(cached, now)) return cached.value;
      const previous = cached;
      try {
        return (await abortable(single(), signal)).value;
      } catch (e) {
        // A failed early refresh is not fatal while the previous token is still valid.
        if (signal?.aborted) throw e;
        if (previous && usable(previous, o.clock.now()) && cached === previous) {
          o.logger.warn('token refresh failed; using the current token until it expires', { code: (e as { code?: string }).code });
          return previous.value;
        }
        throw e;
      }
    },
    invalidate(token) {
      if (cached?.value === token) {
        cached = undefined;
        timer?.cancel();
      }
    },
    current: () => cached,
    onToken(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    get requests() {
      return requests;
    },
    close() {
      closed = true;
      timer?.cancel();
    },
  };
}

/** Lets one caller stop waiting without cancelling the shared request. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
