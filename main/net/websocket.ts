// Upstream WebSockets through the same route dispatcher as REST (undici's WebSocket with
// `dispatcher`). undici reports every handshake failure as a bare error + close 1006, so a failed
// open is followed by an upgrade probe on the same route that reads the real answer: 407 (via the
// CONNECT interceptor), a non-101 status after the proxy stripped `Upgrade`, or 403.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { WebSocket, type Dispatcher } from 'undici';
import { isProxyRouteFailure } from './classify.ts';
import type { RouteDispatcher } from './dispatchers.ts';
import { NetError, Timeout, WebSocketRejected, type WebSocketRejection } from './errors.ts';
import { hostPort } from './no-proxy.ts';
import type { RouteSet } from './request.ts';

export interface WebSocketOptions {
  protocols?: string | string[];
  headers?: Record<string, string>;
  signal?: AbortSignal;
  openTimeoutMs?: number;
  /**
   * The caller knows the URL is valid (e.g. a channel created a moment ago). Then a 404/400 that
   * comes back through an inspecting proxy (Via header) means the proxy stripped `Upgrade`.
   */
  knownGood?: boolean;
}

export interface UpgradeProbeResult {
  ok: boolean;
  route: string;
  status?: number;
  /** Response `Via` header: present when an inspecting proxy handled the request. */
  via?: string;
  error?: NetError;
}

export function httpOriginOf(u: URL): string {
  return `${u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol}//${u.host}`;
}

/** Classifies a non-101 answer to an upgrade request. */
export function classifyUpgradeStatus(target: string, status: number, headers: Record<string, string | string[] | undefined>, knownGood: boolean): WebSocketRejected {
  const fromProxy = headers['x-squid-error'] !== undefined || /squid|proxy/i.test(String(headers.server ?? ''));
  // A blind CONNECT tunnel cannot touch headers; only a proxy that handled the request (and so
  // added Via) can have removed Upgrade.
  const inspected = headers.via !== undefined;
  let reason: WebSocketRejection;
  if (status === 403) reason = fromProxy ? 'proxy-forbidden' : 'forbidden';
  else if (status === 401) reason = 'unauthorized';
  else if (inspected && (knownGood || (status !== 404 && status !== 410))) reason = 'upgrade-stripped';
  else if (status === 404 || status === 410) reason = 'not-found';
  else reason = 'status';
  return new WebSocketRejected(target, reason, status);
}

/** Sends one upgrade request on `rd` and reports what came back; never throws. */
export function probeUpgrade(rd: RouteDispatcher, url: URL, headers: Record<string, string>, timeoutMs: number, knownGood = false): Promise<UpgradeProbeResult> {
  const target = url.host;
  return new Promise((resolve) => {
    let done = false;
    let controller: Dispatcher.DispatchController | undefined;
    const finish = (r: Omit<UpgradeProbeResult, 'route'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ route: rd.label, ...r });
    };
    const timer = setTimeout(() => {
      const err = new Timeout('websocket-open', timeoutMs, target);
      controller?.abort(err);
      finish({ ok: false, error: err });
    }, timeoutMs);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (c) => {
        controller = c;
      },
      onRequestUpgrade: (_c, status, h, socket) => {
        socket.destroy();
        finish({ ok: status === 101, status, ...(typeof h.via === 'string' ? { via: h.via } : {}) });
      },
      onResponseStart: (c, status, h) => {
        finish({ ok: false, status, ...(typeof h.via === 'string' ? { via: h.via } : {}), error: classifyUpgradeStatus(target, status, h, knownGood) });
        c.abort(new Error('upgrade probe finished'));
      },
      onResponseData: () => {},
      onResponseEnd: () => {},
      onResponseError: (_c, err) => {
        finish({ ok: false, error: err instanceof NetError ? err : new WebSocketRejected(target, 'closed', undefined) });
      },
    };
    try {
      rd.dispatcher.dispatch({
        origin: httpOriginOf(url),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        upgrade: 'websocket',
        headers: { ...headers, 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
      }, handler);
    } catch (e) {
      finish({ ok: false, error: e instanceof NetError ? e : new WebSocketRejected(target, 'closed', undefined) });
    }
  });
}

function openOn(rd: RouteDispatcher, url: URL, o: WebSocketOptions, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      dispatcher: rd.dispatcher,
      ...(o.protocols !== undefined ? { protocols: o.protocols } : {}),
      ...(o.headers ? { headers: o.headers } : {}),
    });
    const cleanup = () => {
      clearTimeout(timer);
      ws.removeEventListener('open', onOpen);
      ws.removeEventListener('error', onFail);
      ws.removeEventListener('close', onFail);
      o.signal?.removeEventListener('abort', onAbort);
    };
    const onOpen = () => {
      cleanup();
      resolve(ws);
    };
    const onFail = () => {
      cleanup();
      reject(new WebSocketRejected(url.host, 'closed', undefined));
    };
    const onAbort = () => {
      cleanup();
      ws.close();
      reject(o.signal?.reason);
    };
    const timer = setTimeout(() => {
      cleanup();
      ws.close();
      reject(new Timeout('websocket-open', timeoutMs, url.host));
    }, timeoutMs);
    ws.addEventListener('open', onOpen);
    ws.addEventListener('error', onFail);
    ws.addEventListener('close', onFail);
    o.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface WsDeps {
  routesFor(url: URL): Promise<RouteSet>;
  routeFailed(route: RouteDispatcher, err: NetError): void;
  onError(err: NetError): void;
}

/**
 * Opens a WebSocket, failing over across PAC routes like REST does. On failure the returned error
 * is typed: ProxyAuthRequired, ProxyRefusedConnect, TLS errors, or WebSocketRejected with a reason.
 */
export async function openWebSocket(d: WsDeps, input: string | URL, o: WebSocketOptions, timeoutMs: number): Promise<WebSocket> {
  const url = new URL(String(input));
  if (o.signal?.aborted) throw o.signal.reason;
  const { candidates } = await d.routesFor(url);
  let last: unknown;
  const target = hostPort(url);
  for (let i = 0; i < candidates.length; i++) {
    const rd = candidates[i] as RouteDispatcher;
    const started = performance.now();
    try {
      return await openOn(rd, url, o, timeoutMs);
    } catch (e) {
      if (o.signal?.aborted) throw o.signal.reason;
      let err: unknown = e;
      // A connect failure on this route during our attempt (407, TLS, stalled proxy…) is the cause;
      // otherwise the upgrade itself was refused and a probe reads the status.
      const lf = rd.lastFailure();
      if (e instanceof WebSocketRejected && e.reason === 'closed' && lf && lf.at >= started && lf.target === target) {
        err = lf.error;
      } else if (e instanceof WebSocketRejected && e.reason === 'closed') {
        const probe = await probeUpgrade(rd, url, o.headers ?? {}, timeoutMs, o.knownGood ?? false);
        // A probe that upgraded fine means the server closed our real attempt; keep the generic error.
        if (!probe.ok && probe.error) err = probe.error;
      }
      last = err;
      if (err instanceof NetError) d.onError(err);
      if (isProxyRouteFailure(err) && i < candidates.length - 1) {
        d.routeFailed(rd, err as NetError);
        continue;
      }
      throw err;
    }
  }
  throw last;
}
