// Builds the one dispatcher per proxy route (DIRECT, or one proxy URL) that REST, OAuth and
// WebSocket traffic share. Every hop gets a timeout: proxy TCP (proxyTls.timeout — undici 7's
// ProxyAgent ignores connectTimeout, nodejs/undici#3944), the CONNECT answer (headersTimeout on the
// proxy Pool from clientFactory — nothing else bounds it, notes/proxy.md §0.1), the origin TLS
// handshake (requestTls.timeout / connect.timeout), headers and body.
import type { SecureContext } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { Agent, Pool, ProxyAgent, buildConnector, type Dispatcher } from 'undici';
import { classifyOriginConnectError, type OriginContext } from './classify.ts';
import type { NetConfig } from './config.ts';
import { connectInterceptor } from './connect-interceptor.ts';
import type { NetError } from './errors.ts';
import type { HealthRecorder } from './health.ts';
import { hostPort } from './no-proxy.ts';
import type { ProxyRoute } from './proxy-resolver.ts';
import { proxyLabel } from './proxy-url.ts';

export interface RouteDispatcher {
  /** `direct` or the proxy URL (without credentials). */
  readonly key: string;
  /** `direct` or host:port of the proxy, for messages and health. */
  readonly label: string;
  readonly viaProxy: boolean;
  readonly credentialsSent: boolean;
  readonly dispatcher: Dispatcher;
  /**
   * The last typed failure while connecting through this route (proxy or origin hop), with a
   * performance.now() timestamp. The WebSocket path uses it: undici's WebSocket reports every
   * handshake failure as a bare error.
   */
  lastFailure(): { at: number; target: string; error: NetError } | undefined;
  /** Waits for in-flight requests, then closes every connection. */
  close(): Promise<void>;
  destroy(): Promise<void>;
}

export interface RouteDispatcherOptions {
  route: ProxyRoute;
  config: NetConfig;
  secureContext: SecureContext;
  /** Full Proxy-Authorization value, e.g. `Basic …`; never logged. */
  proxyToken?: string;
  health: HealthRecorder;
}

type Callback = (err: Error | null, socket?: unknown) => void;
type Connector = (opts: { hostname: string; host?: string; port: string | number; protocol: string; servername?: string }, cb: Callback) => unknown;

export function routeKey(route: ProxyRoute): string {
  return route.kind === 'direct' ? 'direct' : route.endpoint.url;
}

export function createRouteDispatcher(o: RouteDispatcherOptions): RouteDispatcher {
  const { config, route, health } = o;
  const t = config.timeouts;
  const p = config.pool;
  const key = routeKey(route);
  const label = route.kind === 'direct' ? 'direct' : proxyLabel(route.endpoint);
  const viaProxy = route.kind === 'proxy';
  const credentialsSent = o.proxyToken !== undefined;
  let last: { at: number; target: string; error: NetError } | undefined;
  const noteFailure = (target: string, error: NetError) => {
    last = { at: performance.now(), target, error };
    health.error(error);
  };
  const tlsOptions = {
    secureContext: o.secureContext,
    // Explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn verification off.
    rejectUnauthorized: true,
    timeout: t.tlsHandshakeMs,
    allowH2: p.allowH2,
  };

  // Wraps the connector undici hands each origin pool: times the handshake and turns failures
  // into typed errors that name the hop (and that undici will not silently re-queue).
  const wrapConnect = (inner: Connector, origin: string): Connector => (opts, cb) => {
    const started = performance.now();
    const ctx: OriginContext = { target: origin, host: opts.hostname, viaProxy, tlsHandshakeMs: t.tlsHandshakeMs };
    return inner(opts, (err, socket) => {
      if (err) {
        const typed = classifyOriginConnectError(err, ctx);
        noteFailure(origin, typed);
        cb(typed);
        return;
      }
      health.originConnected(label, origin, performance.now() - started);
      cb(null, socket);
    });
  };

  const originFactory = (origin: string | URL, opts: object): Dispatcher => {
    const target = hostPort(new URL(String(origin)));
    const inner = (opts as { connect: Connector }).connect;
    const pool = new Pool(origin, { ...(opts as Pool.Options), connect: wrapConnect(inner, target) as never });
    health.registerPool(label, target, pool);
    return pool;
  };

  const common = {
    connections: p.connectionsPerOrigin,
    pipelining: 1,
    keepAliveTimeout: p.keepAliveIdleMs,
    // Cap server Keep-Alive hints too, so no socket outlives the configured idle time.
    keepAliveMaxTimeout: p.keepAliveIdleMs,
    headersTimeout: t.headersMs,
    bodyTimeout: t.bodyMs,
    allowH2: p.allowH2,
    ...(p.maxRequestsPerConnection > 0 ? { maxRequestsPerClient: p.maxRequestsPerConnection } : {}),
    factory: originFactory,
  };

  let dispatcher: Dispatcher;
  if (route.kind === 'direct') {
    dispatcher = new Agent({ ...common, connect: buildConnector(tlsOptions) as never });
  } else {
    dispatcher = new ProxyAgent({
      ...common,
      uri: route.endpoint.url,
      ...(o.proxyToken ? { token: o.proxyToken } : {}),
      requestTls: tlsOptions,
      // TCP (+TLS for an https:// proxy) connect to the proxy itself.
      proxyTls: { secureContext: o.secureContext, rejectUnauthorized: true, timeout: t.proxyConnectMs },
      clientFactory: (origin: URL, opts: object) =>
        new Pool(origin, { ...(opts as Pool.Options), headersTimeout: t.connectResponseMs, bodyTimeout: t.connectResponseMs }).compose(
          connectInterceptor({
            proxy: label, credentialsSent, proxyConnectMs: t.proxyConnectMs, connectResponseMs: t.connectResponseMs,
            now: () => performance.now(),
            observer: {
              tunnel: (target, socket, ms) => health.tunnelSocket(label, target, socket, ms),
              failure: (target, err: NetError) => noteFailure(target, err),
            },
          }),
        ),
    });
  }
  return {
    key,
    label,
    viaProxy,
    credentialsSent,
    dispatcher,
    lastFailure: () => last,
    close: () => dispatcher.close(),
    destroy: () => dispatcher.destroy(),
  };
}
