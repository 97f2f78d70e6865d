// Which route a URL takes, and why. Precedence: loopback → NO_PROXY → the explicit setting →
// environment variables (read from the env object passed in, never assumed) → the system resolver
// (Electron's session.resolveProxy, a PAC-format string) → DIRECT. Every decision names its source.
import type { NetConfig } from './config.ts';
import { ConfigInvalid } from './errors.ts';
import { hostPort, matchNoProxy, parseNoProxy, type NoProxyList } from './no-proxy.ts';
import { parsePacResult, parseProxyUrl, proxyLabel, type ProxyEndpoint } from './proxy-url.ts';

export type ProxySource = 'loopback' | 'no-proxy' | 'setting' | 'env' | 'system' | 'system-cached' | 'fallback' | 'default';

export type ProxyRoute = { kind: 'direct' } | { kind: 'proxy'; endpoint: ProxyEndpoint };

/** `DIRECT` or the proxy's host:port, for messages. */
export function routeText(r: ProxyRoute): string {
  return r.kind === 'direct' ? 'DIRECT' : proxyLabel(r.endpoint);
}

export interface ProxyDecision {
  /** scheme://host:port of the target. */
  target: string;
  source: ProxySource;
  /** Candidates in order; on a proxy connect failure the next one is tried. */
  routes: ProxyRoute[];
  /** The NO_PROXY entry that matched, or "loopback". */
  noProxyRule?: string;
  /** Where the value came from: the env var name, or the (credential-free) PAC string. */
  detail?: string;
  /** PAC entries that were not usable (e.g. SOCKS). */
  skipped?: string[];
}

export type Env = Readonly<Record<string, string | undefined>>;
export type SystemProxyResolver = (url: string) => Promise<string>;

/** A proxy URL found in the environment, with credentials split off (they cannot be moved to the store). */
export interface EnvProxy {
  variable: string;
  endpoint: ProxyEndpoint;
  username?: string;
  password?: string;
}

function envValue(env: Env, name: string): { name: string; value: string } | undefined {
  // Lower case wins, as in curl and undici.
  for (const n of [name.toLowerCase(), name.toUpperCase()]) {
    const v = env[n];
    if (v !== undefined && v.trim() !== '') return { name: n, value: v.trim() };
  }
  return undefined;
}

/** The env proxy for a target protocol: https targets use HTTPS_PROXY, then HTTP_PROXY. */
export function envProxyFor(protocol: string, env: Env): EnvProxy | undefined {
  const secure = protocol === 'https:' || protocol === 'wss:';
  const found = (secure ? envValue(env, 'https_proxy') : undefined) ?? envValue(env, 'http_proxy');
  if (!found) return undefined;
  const p = parseProxyUrl(found.value, found.name);
  return { variable: found.name, endpoint: p.endpoint, ...(p.username !== undefined ? { username: p.username } : {}), ...(p.password !== undefined ? { password: p.password } : {}) };
}

export function noProxyListFor(config: NetConfig, env: Env): { list: NoProxyList; from: 'setting' | 'env' | 'none' } {
  if (config.proxy.noProxy) return { list: parseNoProxy(config.proxy.noProxy), from: 'setting' };
  const e = envValue(env, 'no_proxy');
  if (e) return { list: parseNoProxy(e.value), from: 'env' };
  return { list: { rules: [], invalid: [] }, from: 'none' };
}

export function targetKey(u: URL): string {
  const protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  return `${protocol}//${hostPort(u)}`;
}

/**
 * The part of the decision that needs no I/O. Returns `undefined` when the system resolver must
 * be asked (auto mode, nothing in the environment).
 */
export function decideStatic(url: URL, config: NetConfig, env: Env): ProxyDecision | undefined {
  const target = targetKey(url);
  const direct: ProxyRoute[] = [{ kind: 'direct' }];
  const { list, from } = noProxyListFor(config, env);
  const bypass = matchNoProxy(url, list, config.proxy.bypassLoopback);
  if (bypass.bypass) {
    return bypass.rule === 'loopback'
      ? { target, source: 'loopback', routes: direct, noProxyRule: 'loopback' }
      : { target, source: 'no-proxy', routes: direct, noProxyRule: bypass.rule, detail: from === 'env' ? 'NO_PROXY' : 'proxy.noProxy' };
  }
  if (config.proxy.mode === 'direct') return { target, source: 'setting', routes: direct, detail: 'proxy.mode=direct' };
  if (config.proxy.mode === 'fixed') {
    if (!config.proxy.url) throw new ConfigInvalid('proxy.url', 'mode "fixed" needs a proxy URL', 'enter the proxy as http://host:port');
    return { target, source: 'setting', routes: [{ kind: 'proxy', endpoint: parseProxyUrl(config.proxy.url).endpoint }], detail: 'proxy.url' };
  }
  const fromEnv = envProxyFor(url.protocol, env);
  if (fromEnv) return { target, source: 'env', routes: [{ kind: 'proxy', endpoint: fromEnv.endpoint }], detail: fromEnv.variable };
  return undefined;
}

/** Turns a PAC-format resolver answer into routes. An empty or all-unsupported answer means DIRECT. */
export function decisionFromPac(target: string, pac: string, source: 'system' | 'system-cached'): ProxyDecision {
  const entries = parsePacResult(pac);
  const routes: ProxyRoute[] = [];
  const skipped: string[] = [];
  for (const e of entries) {
    if (e.kind === 'direct') routes.push({ kind: 'direct' });
    else if (e.kind === 'proxy') routes.push({ kind: 'proxy', endpoint: e.endpoint });
    else skipped.push(e.text);
  }
  const detail = entries.map((e) => (e.kind === 'direct' ? 'DIRECT' : e.kind === 'proxy' ? `${e.endpoint.protocol === 'https:' ? 'HTTPS' : 'PROXY'} ${proxyLabel(e.endpoint)}` : e.text)).join('; ');
  const d: ProxyDecision = { target, source, routes: routes.length ? routes : [{ kind: 'direct' }], detail: detail || 'DIRECT' };
  if (skipped.length) d.skipped = skipped;
  return d;
}

interface CacheEntry {
  pac: string;
  at: number;
}

/**
 * Resolves decisions, caching system-resolver answers per scheme://host:port (bounded, with a TTL).
 * When the system resolver fails, the last answer for that target is reused ("system-cached");
 * without one the route is DIRECT with source "fallback".
 */
export class ProxyResolver {
  readonly #config: NetConfig;
  readonly #env: Env;
  readonly #system: SystemProxyResolver | undefined;
  readonly #now: () => number;
  readonly #cache = new Map<string, CacheEntry>();
  static readonly TTL_MS = 5 * 60_000;
  static readonly MAX_ENTRIES = 500;

  constructor(config: NetConfig, env: Env, system: SystemProxyResolver | undefined, now: () => number) {
    this.#config = config;
    this.#env = env;
    this.#system = system;
    this.#now = now;
  }

  async resolve(input: URL | string): Promise<ProxyDecision> {
    const url = typeof input === 'string' ? new URL(input) : input;
    const fixed = decideStatic(url, this.#config, this.#env);
    if (fixed) return fixed;
    const target = targetKey(url);
    if (!this.#system) return { target, source: 'default', routes: [{ kind: 'direct' }], detail: 'no proxy configured' };
    const cached = this.#cache.get(target);
    if (cached && this.#now() - cached.at < ProxyResolver.TTL_MS) return decisionFromPac(target, cached.pac, 'system');
    try {
      // Ask with an https URL so PAC scripts see the scheme they were written for.
      const pac = await this.#system(`${target.startsWith('https:') ? 'https' : 'http'}://${url.host}/`);
      this.#remember(target, pac);
      return decisionFromPac(target, pac, 'system');
    } catch (e) {
      if (cached) return decisionFromPac(target, cached.pac, 'system-cached');
      return { target, source: 'fallback', routes: [{ kind: 'direct' }], detail: `system resolver failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** Forget system answers (Electron calls this on network change or resume). */
  invalidate(): void {
    this.#cache.clear();
  }

  #remember(target: string, pac: string): void {
    this.#cache.delete(target);
    this.#cache.set(target, { pac, at: this.#now() });
    while (this.#cache.size > ProxyResolver.MAX_ENTRIES) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
  }
}
