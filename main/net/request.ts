// One network operation: route choice with PAC failover, the circuit breaker, per-attempt
// classification, retries with cancellable waits, an overall deadline, and the request log.
// Bodies are buffered (and capped): every caller here exchanges small JSON or line-protocol payloads,
// and a buffered body can be replayed on retry.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { sleep, type Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import type { CircuitBreakers, BreakerTicket } from './circuit-breaker.ts';
import { classifyRequestError, isProxyRouteFailure, retryCode } from './classify.ts';
import type { NetConfig } from './config.ts';
import type { RouteDispatcher } from './dispatchers.ts';
import {
  HttpError, NetError, RateLimited, ResponseTooLarge, Timeout,
} from './errors.ts';
import type { HealthRecorder } from './health.ts';
import type { ProxyDecision } from './proxy-resolver.ts';
import {
  decideRetry, idempotentPolicy, NO_RETRY, oauthPolicy, parseRetryAfter, type RetryPolicy,
} from './retry-policy.ts';

export type RetryChoice = 'idempotent' | 'oauth' | 'none' | RetryPolicy;

export interface NetRequest {
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Retry policy; `idempotent` by default (which never retries POST/PATCH). */
  retry?: RetryChoice;
  /** Overrides the method check: a POST that only reads (a query) may be retried. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Whole operation including retries; defaults to timeouts.operationMs. */
  deadlineMs?: number;
  /** Throw HttpError/RateLimited for status >= 400 (default true). */
  throwOnHttpError?: boolean;
  /** Participate in the per-origin circuit breaker (default true). */
  breaker?: boolean;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface NetResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
  attempts: number;
  latencyMs: number;
  /** `direct` or the proxy host:port that carried the final attempt. */
  route: string;
  text(): string;
  json(): unknown;
}

export interface RouteSet {
  decision: ProxyDecision;
  candidates: RouteDispatcher[];
}

export interface ExecDeps {
  config: NetConfig;
  clock: Clock;
  logger: Logger;
  random: () => number;
  breakers: CircuitBreakers;
  health: HealthRecorder;
  routesFor(url: URL): Promise<RouteSet>;
  routeFailed(route: RouteDispatcher, err: NetError): void;
}

export function resolvePolicy(choice: RetryChoice | undefined, config: NetConfig, idempotent: boolean | undefined): RetryPolicy {
  const limits = config.retry;
  let p: RetryPolicy;
  if (choice === undefined || choice === 'idempotent') p = idempotentPolicy(limits);
  else if (choice === 'oauth') p = oauthPolicy(limits);
  else if (choice === 'none') p = NO_RETRY;
  else p = choice;
  return idempotent && p.methods !== '*' && p.maxAttempts > 1 ? { ...p, methods: '*' } : p;
}

/** Origin + path, without query: safe for logs and messages. */
export function describeTarget(u: URL): string {
  return `${u.origin}${u.pathname}`;
}

/** Pulls an API error code/contextId from a JSON error body (Genesys `{code, contextId, message}` or OAuth `{error}`). */
export function apiErrorFields(body: Buffer, headers: ResponseHeaders): { apiCode?: string; contextId?: string; apiMessage?: string } {
  const ct = String(headers['content-type'] ?? '');
  if (!ct.includes('json') || body.length === 0 || body.length > 64 * 1024) return {};
  try {
    const j = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const code = typeof j.code === 'string' ? j.code : typeof j.error === 'string' ? j.error : undefined;
    const msg = typeof j.message === 'string' ? j.message : typeof j.error_description === 'string' ? j.error_description : undefined;
    return {
      ...(code ? { apiCode: code } : {}),
      ...(typeof j.contextId === 'string' ? { contextId: j.contextId } : {}),
      ...(msg ? { apiMessage: msg.slice(0, 300) } : {}),
    };
  } catch {
    return {};
  }
}

export function httpErrorFor(res: NetResponse, method: string, url: URL, nowMs: number): HttpError {
  const info = { status: res.status, method, target: describeTarget(url), ...apiErrorFields(res.body, res.headers) };
  if (res.status === 429) return new RateLimited(info, parseRetryAfter(res.headers['retry-after'], nowMs));
  return new HttpError(info);
}

async function dispatchOnce(rd: RouteDispatcher, url: URL, method: string, req: NetRequest, signal: AbortSignal, d: ExecDeps): Promise<Omit<NetResponse, 'attempts' | 'latencyMs' | 'text' | 'json'>> {
  const opts: Dispatcher.RequestOptions = {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: method as Dispatcher.HttpMethod,
    headers: { ...(req.headers ?? {}) },
    signal,
    ...(req.body !== undefined ? { body: req.body } : {}),
  };
  const target = describeTarget(url);
  try {
    const r = await rd.dispatcher.request(opts);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of r.body) {
      size += (chunk as Buffer).length;
      if (size > d.config.maxResponseBytes) {
        r.body.destroy();
        throw new ResponseTooLarge(target, d.config.maxResponseBytes);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: r.statusCode, headers: r.headers as ResponseHeaders, body: Buffer.concat(chunks), route: rd.label };
  } catch (e) {
    if (signal.aborted && !(e instanceof NetError)) throw signal.reason;
    throw classifyRequestError(e, { target, headersMs: d.config.timeouts.headersMs, bodyMs: d.config.timeouts.bodyMs });
  }
}

async function dispatchWithFailover(url: URL, method: string, req: NetRequest, signal: AbortSignal, d: ExecDeps, onRoute: (label: string) => void) {
  const { candidates } = await d.routesFor(url);
  let last: unknown;
  for (let i = 0; i < candidates.length; i++) {
    const rd = candidates[i] as RouteDispatcher;
    onRoute(rd.label);
    try {
      return await dispatchOnce(rd, url, method, req, signal, d);
    } catch (e) {
      last = e;
      if (isProxyRouteFailure(e) && i < candidates.length - 1 && !signal.aborted) {
        d.routeFailed(rd, e as NetError);
        d.logger.warn('proxy route failed; trying the next one', { route: rd.label, code: (e as NetError).code });
        continue;
      }
      throw e;
    }
  }
  throw last;
}

export async function executeRequest(d: ExecDeps, req: NetRequest): Promise<NetResponse> {
  const url = new URL(String(req.url));
  const method = (req.method ?? 'GET').toUpperCase();
  const policy = resolvePolicy(req.retry, d.config, req.idempotent);
  const deadlineMs = req.deadlineMs ?? d.config.timeouts.operationMs;
  const target = describeTarget(url);
  const started = d.clock.now();
  const perfStart = performance.now();
  const ac = new AbortController();
  const onCallerAbort = () => ac.abort(req.signal?.reason);
  if (req.signal?.aborted) throw req.signal.reason;
  req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const deadline = d.clock.setTimeout(() => ac.abort(new Timeout('deadline', deadlineMs, url.host)), deadlineMs);
  try {
    for (let attempt = 1; ; attempt++) {
      ac.signal.throwIfAborted();
      const ticket: BreakerTicket | undefined = req.breaker === false ? undefined : d.breakers.acquire(url.origin);
      const t0 = performance.now();
      let res: Awaited<ReturnType<typeof dispatchOnce>> | undefined;
      let err: unknown;
      let route = 'n/a';
      try {
        res = await dispatchWithFailover(url, method, req, ac.signal, d, (r) => (route = r));
      } catch (e) {
        err = e;
      }
      const latencyMs = Math.round(performance.now() - t0);
      if (res) {
        if (res.status >= 500) ticket?.failure();
        else ticket?.success();
      } else {
        // Proxy, TLS and connection failures say nothing about the origin's health.
        ticket?.neutral();
      }
      d.health.request({
        method, target, latencyMs, attempt, route,
        ...(res ? { status: res.status } : { error: (err as { code?: string })?.code ?? (err as Error)?.name ?? 'Error' }),
      });
      if (res && res.status < 400) return finish(res, attempt, perfStart);
      if (err && ac.signal.aborted) throw ac.signal.reason;
      if (err instanceof NetError) d.health.error(err);
      const retryAfterMs = res ? parseRetryAfter(res.headers['retry-after'], d.clock.now()) : undefined;
      const decision = decideRetry({
        policy, method, attempt,
        outcome: res ? { kind: 'response', status: res.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } : { kind: 'error', code: retryCode(err) },
        remainingMs: deadlineMs - (d.clock.now() - started),
        random: d.random,
      });
      if (!decision.retry) {
        if (err) throw err;
        const full = finish(res as NonNullable<typeof res>, attempt, perfStart);
        if (req.throwOnHttpError === false) return full;
        const httpErr = httpErrorFor(full, method, url, d.clock.now());
        d.health.error(httpErr);
        throw httpErr;
      }
      d.logger.info('retrying request', { method, target, attempt, delayMs: decision.delayMs, reason: decision.reason });
      if (decision.delayMs > 0) await sleep(d.clock, decision.delayMs, ac.signal);
    }
  } finally {
    deadline.cancel();
    req.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function finish(r: Omit<NetResponse, 'attempts' | 'latencyMs' | 'text' | 'json'>, attempts: number, perfStart: number): NetResponse {
  return {
    ...r,
    attempts,
    latencyMs: Math.round(performance.now() - perfStart),
    text: () => r.body.toString('utf8'),
    json: () => JSON.parse(r.body.toString('utf8')) as unknown,
  };
}
