// Decides whether an HTTP request or WebSocket upgrade may reach the relay (notes/wsrelay.md §4):
// exact Host allowlist (DNS rebinding), exact Origin allowlist when Origin is present (cross-site
// WebSocket hijacking), and the per-install token in `Sec-WebSocket-Protocol` or `Authorization`,
// never the query string. Pure apart from hashing; the server carries out the verdict.
import { createHash, timingSafeEqual } from 'node:crypto';
import { HTTP_REFUSAL } from './close-codes.ts';

/** Subprotocol a relay client offers; the server selects it (and never echoes the token entry). */
export const RELAY_PROTOCOL = 'pacekeeper.relay.v1';
/** Subprotocol entry that carries the token: `pacekeeper.token.<token>`. */
export const TOKEN_PROTOCOL_PREFIX = 'pacekeeper.token.';

export interface HandshakeHeaders {
  host?: string | undefined;
  origin?: string | undefined;
  authorization?: string | undefined;
  'sec-websocket-protocol'?: string | undefined;
}

export interface HandshakePolicy {
  /** Exact `host:port` values, lower-case (see `allowedHostHeaders`). */
  hosts: ReadonlySet<string>;
  /** Exact origins, normalised by `normaliseOrigin`. */
  origins: ReadonlySet<string>;
  /** SHA-256 of the relay token; the token itself is not kept in the policy. */
  tokenDigest: Buffer;
}

export type Refusal = { ok: false; status: number; code: string; message: string };
export type Verdict = { ok: true } | Refusal;

const refuse = (status: number, code: string, message: string): Refusal => ({ ok: false, status, code, message });

export function digestToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** `Host` values accepted for a relay listening on `port`: each allowed name with that port. */
export function allowedHostHeaders(names: readonly string[], port: number): Set<string> {
  return new Set(names.map((n) => `${n.toLowerCase()}:${port}`));
}

/** Scheme, host and port of an origin, lower-case, no path; `null` stays the literal string. */
export function normaliseOrigin(origin: string): string {
  const trimmed = origin.trim();
  if (trimmed === 'null') return 'null';
  try {
    const u = new URL(trimmed);
    // URL drops default ports, so http://x:80 and http://x compare equal, as browsers send them.
    return u.origin === 'null' ? trimmed.toLowerCase() : u.origin.toLowerCase();
  } catch {
    return trimmed.toLowerCase();
  }
}

export function checkHost(host: string | undefined, policy: HandshakePolicy): Verdict {
  if (!host) return refuse(HTTP_REFUSAL.badHost, 'bad_host', 'missing Host header');
  if (!policy.hosts.has(host.trim().toLowerCase())) return refuse(HTTP_REFUSAL.badHost, 'bad_host', 'Host is not an allowed loopback name');
  return { ok: true };
}

/** A missing Origin means a native tool (browsers always send one); a present one must be listed. */
export function checkOrigin(origin: string | undefined, policy: HandshakePolicy): Verdict {
  if (origin === undefined) return { ok: true };
  if (!policy.origins.has(normaliseOrigin(origin))) return refuse(HTTP_REFUSAL.badOrigin, 'bad_origin', 'Origin is not allowed');
  return { ok: true };
}

/** The offered subprotocols, in order, trimmed. */
export function offeredProtocols(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The token a client presented: `Authorization: Bearer …` first, then the subprotocol entry. */
export function presentedToken(headers: HandshakeHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  for (const p of offeredProtocols(headers['sec-websocket-protocol'])) {
    if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

export function tokenMatches(presented: string | undefined, policy: HandshakePolicy): boolean {
  if (!presented) return false;
  // Comparing fixed-length digests keeps the comparison constant-time whatever the input length.
  return timingSafeEqual(digestToken(presented), policy.tokenDigest);
}

const QUERY_SECRET = /[?&](token|access_token|auth|authorization|key)=/i;

export type RequestKind = 'relay-socket' | 'compat-socket' | 'compat-rest' | 'oauth-token' | 'not-found';

export interface RequestTarget {
  kind: RequestKind;
  path: string;
  /** Genesys-compatible channel id from `/channels/{id}`. */
  channelId?: string;
}

const COMPAT_SOCKET = /^\/channels\/([A-Za-z0-9_-]{1,100})\/?$/;

/** Which endpoint a request addresses; the relay socket lives at `/` and `/relay`. */
export function classifyTarget(url: string | undefined, isUpgrade: boolean): RequestTarget {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (isUpgrade) {
    if (path === '/' || path === '/relay' || path === '/relay/') return { kind: 'relay-socket', path };
    const m = COMPAT_SOCKET.exec(path);
    if (m) return { kind: 'compat-socket', path, channelId: m[1] as string };
    return { kind: 'not-found', path };
  }
  if (path.startsWith('/api/v2/notifications/')) return { kind: 'compat-rest', path };
  if (path === '/oauth/token') return { kind: 'oauth-token', path };
  return { kind: 'not-found', path };
}

/**
 * The checks every request passes, in order: Host, Origin, no secret in the query string, then the
 * token unless the target carries its own capability (a compat channel's unguessable id, as on
 * the platform, where connectUri needs no Authorization).
 */
export function checkRequest(url: string | undefined, headers: HandshakeHeaders, policy: HandshakePolicy, needsToken: boolean): Verdict {
  const host = checkHost(headers.host, policy);
  if (!host.ok) return host;
  const origin = checkOrigin(headers.origin, policy);
  if (!origin.ok) return origin;
  if (url && QUERY_SECRET.test(url)) {
    return refuse(HTTP_REFUSAL.badRequest, 'token_in_query', 'send the token in Sec-WebSocket-Protocol or Authorization, never in the query string');
  }
  if (needsToken && !tokenMatches(presentedToken(headers), policy)) {
    return refuse(HTTP_REFUSAL.unauthorized, 'bad_token', 'missing or wrong relay token');
  }
  return { ok: true };
}

/** Subprotocol to select: ours if offered, else none (the token entry is never echoed). */
export function selectProtocol(offered: Iterable<string>): string | false {
  for (const p of offered) if (p === RELAY_PROTOCOL) return p;
  return false;
}
