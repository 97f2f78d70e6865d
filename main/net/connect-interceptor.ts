// Reads the proxy's answer to CONNECT. undici's ProxyAgent turns any non-200 into a bare
// UND_ERR_ABORTED ("Proxy response (407) !== 200") and drops the headers; this interceptor, composed
// onto the Pool that talks to the proxy (ProxyAgent's clientFactory), sees the status and the
// Proxy-Authenticate header first and fails the tunnel with a typed error instead. It also turns
// socket errors during CONNECT into typed errors: undici re-queues requests after a plain
// UND_ERR_SOCKET connect failure, which can loop forever (nodejs/undici#3897).
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { classifyProxyError, type ProxyContext } from './classify.ts';
import { ProxyAuthRequired, ProxyRefusedConnect, ProxyUnreachable, type NetError } from './errors.ts';

export interface ConnectObserver {
  /** A tunnel is up. `socket` identifies it in the undici:proxy:connected channel. */
  tunnel(target: string, socket: Duplex, ms: number): void;
  failure(target: string, err: NetError): void;
}

export interface ConnectInterceptorOptions extends ProxyContext {
  credentialsSent: boolean;
  observer: ConnectObserver;
  now: () => number;
}

/** `Proxy-Authenticate: Basic realm="x", Negotiate` → ["Basic", "Negotiate"] (one header or several). */
export function authSchemes(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  const out: string[] = [];
  for (const v of values) {
    // A scheme is a token at the start or after a comma that is not part of an auth-param (no "=").
    for (const m of v.matchAll(/(?:^|,)\s*([A-Za-z][A-Za-z0-9!#$&'*+.^_`|~-]*)(?=\s|,|$)(?!\s*=)/g)) {
      const s = m[1];
      if (s && !out.some((x) => x.toLowerCase() === s.toLowerCase())) out.push(s);
    }
  }
  return out;
}

export function connectInterceptor(o: ConnectInterceptorOptions): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    if (opts.method !== 'CONNECT') return dispatch(opts, handler);
    const target = String(opts.path ?? '');
    const started = o.now();
    let failed = false;
    const fail = (controller: Dispatcher.DispatchController, err: NetError) => {
      failed = true;
      o.observer.failure(target, err);
      handler.onResponseError?.(controller, err);
    };
    const wrapped: Dispatcher.DispatchHandler = {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, statusCode, headers, socket) => {
        if (statusCode === 200) {
          o.observer.tunnel(target, socket, o.now() - started);
          handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
          return;
        }
        socket.destroy();
        // tinyproxy (and some appliances) answer bad credentials with 401 instead of 407.
        if (statusCode === 407 || statusCode === 401) {
          fail(controller, new ProxyAuthRequired(o.proxy, authSchemes(headers['proxy-authenticate'] ?? headers['www-authenticate']), o.credentialsSent));
        }
        else if (statusCode >= 400 && statusCode < 600) fail(controller, new ProxyRefusedConnect(o.proxy, target, statusCode));
        else fail(controller, new ProxyUnreachable(o.proxy, `unexpected CONNECT status ${statusCode}`, 'proxy-connect'));
      },
      onResponseStart: (controller, statusCode, headers, statusMessage) => handler.onResponseStart?.(controller, statusCode, headers, statusMessage),
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, err) => {
        if (failed) return;
        fail(controller, classifyProxyError(err, o));
      },
    };
    return dispatch(opts, wrapped);
  };
}
