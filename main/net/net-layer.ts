// The NetLayer: built by core from a plain NetConfig plus a SecretSource. It owns every dispatcher
// (one per proxy route, shared by REST, OAuth and WebSocket), rebuilds them on reconfigure (in-flight
// requests finish on the old ones first) and exposes requests, WebSockets, health and the doctor.
import { performance } from 'node:perf_hooks';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { WebSocket } from 'undici';
import { systemClock, type Clock } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { redactor as defaultRedactor, type Redactor } from '../util/redact.ts';
import { CircuitBreakers } from './circuit-breaker.ts';
import { normalizeNetConfig, type NetConfig, type SecretSource } from './config.ts';
import { createRouteDispatcher, routeKey, type RouteDispatcher } from './dispatchers.ts';
import { checkTarget, reportOf, type DoctorReport, type DoctorTarget } from './doctor.ts';
import { ProxyAuthRequired, type NetError } from './errors.ts';
import { HealthRecorder, type NetHealthSnapshot } from './health.ts';
import { envProxyFor, ProxyResolver, routeText, type Env, type ProxyDecision, type ProxyRoute, type SystemProxyResolver } from './proxy-resolver.ts';
import { basicProxyToken } from './proxy-url.ts';
import { executeRequest, type NetRequest, type NetResponse, type RouteSet } from './request.ts';
import { loadTrustStore, type TrustStore } from './trust-store.ts';
import { openWebSocket, probeUpgrade, type UpgradeProbeResult, type WebSocketOptions } from './websocket.ts';

export interface NetLayerOptions {
  config: unknown;
  secrets: SecretSource;
  /** Electron's session.resolveProxy; PAC-format answer (`PROXY a:1; DIRECT`). */
  systemProxyResolver?: SystemProxyResolver;
  /** Environment to read HTTPS_PROXY/HTTP_PROXY/NO_PROXY from; process.env by default. */
  env?: Env;
  clock?: Clock;
  logger?: Logger;
  redactor?: Redactor;
  random?: () => number;
  /** Log undici request headers at debug level (redacted). */
  trace?: boolean;
}

export interface NetHealth extends NetHealthSnapshot {
  proxy: { mode: NetConfig['proxy']['mode']; decisions: Record<string, { source: string; routes: string[]; noProxyRule?: string; detail?: string }> };
  trust: { counts: Record<string, number>; notes: string[] };
}

export interface NetLayer {
  readonly config: NetConfig;
  request(req: NetRequest): Promise<NetResponse>;
  openWebSocket(url: string | URL, opts?: WebSocketOptions): Promise<WebSocket>;
  /** One upgrade request on the URL's first route; says why a WebSocket cannot open. */
  probeWebSocket(url: string | URL, opts?: { headers?: Record<string, string>; knownGood?: boolean }): Promise<UpgradeProbeResult>;
  resolveProxy(url: string | URL): Promise<ProxyDecision>;
  /** Forget system-resolver answers (network change, resume). */
  invalidateProxyCache(): void;
  health(): NetHealth;
  /** Per-hop checks (config, DNS, TCP, CONNECT, TLS) for each target. */
  doctor(targets: DoctorTarget[]): Promise<DoctorReport>;
  /** Internals the doctor needs; not for general use. */
  diagnostics(): NetDiagnostics;
  reconfigure(config: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface NetDiagnostics {
  config: NetConfig;
  trust: TrustStore;
  secureContext: SecureContext;
  env: Env;
  /** Proxy-Authorization for a route; the doctor sends it on its own CONNECT probe. */
  proxyToken(route: ProxyRoute, decision: ProxyDecision): string | undefined;
  logger: Logger;
  redactor: Redactor;
}

interface Generation {
  config: NetConfig;
  trust: TrustStore;
  secureContext: SecureContext;
  resolver: ProxyResolver;
  storePassword: string | undefined;
  dispatchers: Map<string, RouteDispatcher>;
}

export async function createNetLayer(o: NetLayerOptions): Promise<NetLayer> {
  const clock = o.clock ?? systemClock;
  const logger = o.logger ?? silentLogger;
  const red = o.redactor ?? defaultRedactor;
  const env: Env = o.env ?? process.env;
  const random = o.random ?? Math.random;
  const health = new HealthRecorder({ now: () => clock.now(), redactor: red, logger, ...(o.trace ? { trace: true } : {}) });
  const failedUntil = new Map<string, number>();
  const decisions = new Map<string, ProxyDecision>();

  // A locked or unavailable keychain must not stop the network layer: go without the password
  // (the proxy's 407 then says what is missing).
  const readPassword = async (): Promise<string | undefined> => {
    try {
      return await o.secrets.get('proxy.password');
    } catch (e) {
      logger.warn('could not read the proxy password from the secret store', { error: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  };

  const build = async (input: unknown): Promise<Generation> => {
    const { config, urlPassword } = normalizeNetConfig(input);
    if (urlPassword !== undefined) {
      red.addSecret(urlPassword);
      if (o.secrets.set) {
        await o.secrets.set('proxy.password', urlPassword).catch((e: unknown) =>
          logger.warn('could not store the proxy password; keeping it in memory', { error: e instanceof Error ? e.message : String(e) }));
      }
    }
    // Certificate validity is judged by the wall clock, as OpenSSL will judge it, never virtual time.
    const trust = await loadTrustStore({ caBundlePaths: config.tls.caBundlePaths, useSystemCa: config.tls.useSystemCa, nowMs: Date.now(), env });
    const secureContext = createSecureContext({ ca: trust.ca, minVersion: 'TLSv1.2' });
    const storePassword = urlPassword ?? (config.proxy.username !== undefined ? await readPassword() : undefined);
    red.addSecret(storePassword);
    return { config, trust, secureContext, resolver: new ProxyResolver(config, env, o.systemProxyResolver, () => clock.now()), storePassword, dispatchers: new Map() };
  };

  let gen = await build(o.config);
  const breakers = new CircuitBreakers({
    failureThreshold: gen.config.breaker.failureThreshold,
    openMs: gen.config.breaker.openMs,
    clock,
    onChange: (origin, state) => logger.warn('circuit breaker', { origin, state }),
  });

  const tokenFor = (g: Generation, route: ProxyRoute, decision: ProxyDecision | undefined): string | undefined => {
    if (route.kind === 'direct') return undefined;
    if (decision?.source === 'env') {
      const e = envProxyFor(decision.target.startsWith('https:') ? 'https:' : 'http:', env);
      if (e?.username !== undefined && e.endpoint.url === route.endpoint.url) {
        red.addSecret(e.password);
        return register(basicProxyToken(e.username, e.password ?? ''));
      }
    }
    const user = g.config.proxy.username;
    if (user === undefined || g.storePassword === undefined) return undefined;
    return register(basicProxyToken(user, g.storePassword));
  };
  const register = (token: string): string => {
    red.addSecret(token);
    red.addSecret(token.replace(/^Basic\s+/, ''));
    return token;
  };

  const dispatcherFor = (g: Generation, route: ProxyRoute, decision: ProxyDecision | undefined): RouteDispatcher => {
    const key = routeKey(route);
    let rd = g.dispatchers.get(key);
    if (!rd) {
      const token = tokenFor(g, route, decision);
      rd = createRouteDispatcher({ route, config: g.config, secureContext: g.secureContext, health, ...(token ? { proxyToken: token } : {}) });
      g.dispatchers.set(key, rd);
    }
    return rd;
  };

  const routesFor = async (url: URL): Promise<RouteSet> => {
    const g = gen;
    const decision = await g.resolver.resolve(url);
    decisions.set(decision.target, decision);
    const now = clock.now();
    const fresh = decision.routes.filter((r) => (failedUntil.get(routeKey(r)) ?? 0) <= now);
    const stale = decision.routes.filter((r) => (failedUntil.get(routeKey(r)) ?? 0) > now);
    return { decision, candidates: [...fresh, ...stale].map((r) => dispatcherFor(g, r, decision)) };
  };
  const routeFailed = (rd: RouteDispatcher, err: NetError) => {
    failedUntil.set(rd.key, clock.now() + 60_000);
    health.error(err);
  };

  // On a 407, re-read the password once: a rotated secret then takes effect without a restart.
  const refreshProxyPassword = async (): Promise<boolean> => {
    const g = gen;
    if (g.config.proxy.username === undefined) return false;
    const pw = await readPassword();
    if (pw === g.storePassword) return false;
    red.addSecret(pw);
    g.storePassword = pw;
    const old = [...g.dispatchers.values()];
    g.dispatchers.clear();
    await Promise.all(old.map((d) => d.close()));
    return true;
  };
  const withAuthRefresh = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ProxyAuthRequired && (await refreshProxyPassword())) return fn();
      throw e;
    }
  };

  const execDeps = () => ({ config: gen.config, clock, logger, random, breakers, health, routesFor, routeFailed });
  let closed = false;

  const layer: NetLayer = {
    get config() {
      return structuredClone(gen.config);
    },
    request: (req) => withAuthRefresh(() => executeRequest(execDeps(), req)),
    openWebSocket: (url, opts = {}) => withAuthRefresh(() => openWebSocket({ routesFor, routeFailed, onError: (e) => health.error(e) }, url, opts, opts.openTimeoutMs ?? gen.config.timeouts.websocketOpenMs)),
    probeWebSocket: async (url, opts = {}) => {
      const u = new URL(String(url));
      const { candidates } = await routesFor(u);
      return probeUpgrade(candidates[0] as RouteDispatcher, u, opts.headers ?? {}, gen.config.timeouts.websocketOpenMs, opts.knownGood ?? false);
    },
    resolveProxy: (url) => gen.resolver.resolve(new URL(String(url))),
    invalidateProxyCache: () => {
      gen.resolver.invalidate();
      failedUntil.clear();
    },
    health: () => {
      const snap = health.snapshot(breakers.snapshot());
      const ds: NetHealth['proxy']['decisions'] = {};
      for (const [t, d] of decisions) {
        ds[t] = {
          source: d.source,
          routes: d.routes.map(routeText),
          ...(d.noProxyRule ? { noProxyRule: d.noProxyRule } : {}),
          ...(d.detail ? { detail: red.text(d.detail) } : {}),
        };
      }
      return { ...snap, proxy: { mode: gen.config.proxy.mode, decisions: ds }, trust: { counts: gen.trust.summary.counts, notes: gen.trust.summary.notes } };
    },
    doctor: async (targets) => {
      const checks = [];
      for (const t of targets) checks.push(...(await checkTarget(layer, t)));
      return red.value(reportOf(checks, clock.now())) as DoctorReport;
    },
    diagnostics: () => ({
      config: gen.config, trust: gen.trust, secureContext: gen.secureContext, env, logger, redactor: red,
      proxyToken: (route, decision) => tokenFor(gen, route, decision),
    }),
    reconfigure: async (input) => {
      const next = await build(input);
      const old = gen;
      gen = next;
      breakers.configure(next.config.breaker);
      failedUntil.clear();
      decisions.clear();
      const t0 = performance.now();
      // close() lets queued and in-flight requests finish, then ends the connections.
      await Promise.all([...old.dispatchers.values()].map((d) => d.close()));
      logger.info('network settings applied', { drainedMs: Math.round(performance.now() - t0) });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // Dispatchers first: the recorder must still see tunnels that finish opening while they drain.
      await Promise.all([...gen.dispatchers.values()].map((d) => d.close()));
      health.close();
    },
  };
  return layer;
}
