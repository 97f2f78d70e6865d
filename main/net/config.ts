// NetConfig: the plain settings object core hands to the net layer, with documented defaults.
// Secrets are not part of it; they come from a SecretSource when dispatchers are built.
import { z } from 'zod';
import { ConfigInvalid } from './errors.ts';
import { parseNoProxy } from './no-proxy.ts';
import { parseProxyUrl } from './proxy-url.ts';

const ms = (def: number, min = 1) => z.number().int().min(min).max(3_600_000).default(def);

export const NetConfigSchema = z.object({
  proxy: z.object({
    /**
     * auto: environment (HTTPS_PROXY/HTTP_PROXY/NO_PROXY), then the system resolver, then DIRECT.
     * fixed: the `url` setting (its source is recorded as `setting`). direct: never use a proxy.
     */
    mode: z.enum(['auto', 'fixed', 'direct']).default('auto'),
    url: z.string().optional(),
    /** Proxy user name; the password lives in the secret store as `proxy.password`. */
    username: z.string().optional(),
    /** Bypass list. When set it replaces the environment's NO_PROXY (VS Code does the same). */
    noProxy: z.array(z.string()).optional(),
    /**
     * Loopback (localhost, 127/8, ::1) never goes through a proxy. Turning this off exists only for
     * test rigs that put a proxy in front of a loopback server; it is not a user setting.
     */
    bypassLoopback: z.boolean().default(true),
  }).prefault({}),
  tls: z.object({
    /** Extra PEM bundles (corporate roots). Added to the default and system roots, never replacing them. */
    caBundlePaths: z.array(z.string()).default([]),
    /** Include the OS trust store (tls.getCACertificates('system')) when the runtime supports it. */
    useSystemCa: z.boolean().default(true),
  }).prefault({}),
  timeouts: z.object({
    /** TCP connect to the proxy. */
    proxyConnectMs: ms(10_000),
    /** Proxy's answer to CONNECT. A proxy that accepts TCP and never answers fails after this. */
    connectResponseMs: ms(10_000),
    /** TLS handshake with the origin (inside the tunnel), or TCP+TLS when direct. */
    tlsHandshakeMs: ms(10_000),
    /** Response headers, per attempt. */
    headersMs: ms(60_000),
    /** Gap between body chunks, per attempt. */
    bodyMs: ms(60_000),
    /** Whole operation including retries and their waits. */
    operationMs: ms(120_000),
    /** WebSocket handshake. */
    websocketOpenMs: ms(20_000),
  }).prefault({}),
  pool: z.object({
    /** Connections (and so tunnels) per origin. */
    connectionsPerOrigin: z.number().int().min(1).max(256).default(20),
    /** Idle keep-alive; keep it below the proxy's idle timeout (squid 2 min, many appliances 60 s). */
    keepAliveIdleMs: ms(90_000, 1_000),
    /** Recycle a connection after this many requests (0 = never). */
    maxRequestsPerConnection: z.number().int().min(0).default(0),
    /**
     * HTTP/2 off by default, deliberately: inspecting proxies (squid 5) bump as HTTP/1.1 anyway,
     * one h2 tunnel would carry every request (one idle-kill drops them all), WebSocket over h2 is
     * experimental in undici 7, and h1 keeps connection counts predictable for the proxy team.
     */
    allowH2: z.boolean().default(false),
  }).prefault({}),
  retry: z.object({
    maxAttempts: z.number().int().min(1).max(20).default(5),
    baseDelayMs: ms(2_000, 0),
    maxDelayMs: ms(30_000, 0),
    /** A Retry-After longer than this is not waited out; the caller gets RateLimited instead. */
    maxRetryAfterMs: ms(180_000, 0),
  }).prefault({}),
  breaker: z.object({
    /** Consecutive 5xx responses from one origin that open its circuit. */
    failureThreshold: z.number().int().min(1).default(3),
    openMs: ms(60_000),
  }).prefault({}),
  /** Largest buffered response body. */
  maxResponseBytes: z.number().int().min(1024).default(32 * 1024 * 1024),
});

export type NetConfig = z.output<typeof NetConfigSchema>;
export type NetConfigInput = z.input<typeof NetConfigSchema>;

export type SecretName = 'proxy.password' | 'genesys.clientSecret';

/** Where the net layer reads secrets (the keychain in the app, env vars in the CLI, a map in tests). */
export interface SecretSource {
  get(name: SecretName): Promise<string | undefined>;
  /** Optional: lets the net layer move a password typed into a proxy URL into the store. */
  set?(name: SecretName, value: string): Promise<void>;
}

export interface NormalizedConfig {
  config: NetConfig;
  /** Password found in the proxy URL; the caller stores it and it is stripped from `config`. */
  urlPassword?: string;
}

/**
 * Validates a NetConfig and moves credentials out of the proxy URL. Throws ConfigInvalid with the
 * field name; the message never echoes a value (it may hold a password).
 */
export function normalizeNetConfig(input: unknown): NormalizedConfig {
  const parsed = NetConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'net';
    throw new ConfigInvalid(field, issue?.message ?? 'invalid', 'fix the network setting named here');
  }
  const config = structuredClone(parsed.data);
  let urlPassword: string | undefined;
  if (config.proxy.url) {
    const p = parseProxyUrl(config.proxy.url);
    config.proxy.url = p.endpoint.url;
    if (p.username !== undefined && config.proxy.username === undefined) config.proxy.username = p.username;
    if (p.password !== undefined) urlPassword = p.password;
  }
  if (config.proxy.mode === 'fixed' && !config.proxy.url) {
    throw new ConfigInvalid('proxy.url', 'mode "fixed" needs a proxy URL', 'enter the proxy as http://host:port or choose automatic');
  }
  if (config.proxy.noProxy) {
    const { invalid } = parseNoProxy(config.proxy.noProxy);
    if (invalid.length) throw new ConfigInvalid('proxy.noProxy', `unrecognised entries: ${invalid.join(', ')}`, 'use host, .suffix, *.suffix, host:port, an IP or CIDR');
  }
  if (config.retry.baseDelayMs > config.retry.maxDelayMs) {
    throw new ConfigInvalid('retry.baseDelayMs', 'larger than retry.maxDelayMs', 'make the base delay smaller than the maximum');
  }
  return urlPassword === undefined ? { config } : { config, urlPassword };
}
