// Decides whether a request may reach the headless host, before anything else runs. The checks
// mirror the relay's (main/relay/handshake.ts): an exact Host allowlist against DNS rebinding, an
// exact Origin against cross-site WebSocket hijacking, no secret in the query string, and the
// token compared in constant time. Pure apart from hashing; the server carries out the verdict.
import { WS_BRIDGE_PROTOCOL } from '../../preload/contract.ts';
import { tokenMatches } from './access-token.ts';

/** The bridge endpoint's path. */
export const BRIDGE_PATH = '/bridge';

export interface UpgradePolicy {
  /** Exact `name:port` values, lower-case: `127.0.0.1:PORT` and `localhost:PORT`. */
  hosts: ReadonlySet<string>;
  /** SHA-256 of the access token. */
  tokenDigest: Buffer;
  /**
   * Let a client that sends no Origin connect with the token alone. Browsers always send Origin on
   * a WebSocket handshake, so only non-browser tools omit it; off by default (see docs/dashboard.md).
   */
  allowMissingOrigin: boolean;
}

export interface UpgradeRequest {
  url: string | undefined;
  host: string | undefined;
  origin: string | undefined;
  protocols: string | undefined;
}

export type Refusal = { ok: false; status: number; code: RefusalCode; message: string };
export type RefusalCode = 'not_found' | 'bad_host' | 'bad_origin' | 'missing_origin' | 'token_in_query' | 'bad_protocol' | 'bad_token';
export type UpgradeVerdict = { ok: true; protocol: typeof WS_BRIDGE_PROTOCOL } | Refusal;

const refuse = (status: number, code: RefusalCode, message: string): Refusal => ({ ok: false, status, code, message });

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** Host check shared by static requests and upgrades. */
export function hostAllowed(host: string | undefined, policy: Pick<UpgradePolicy, 'hosts'>): boolean {
  return host !== undefined && policy.hosts.has(host.trim().toLowerCase());
}

/** The offered subprotocols, in order, trimmed. */
export function offeredProtocols(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The token entry: the first offered subprotocol that is not the bridge protocol itself. */
export function presentedToken(header: string | undefined): string | undefined {
  return offeredProtocols(header).find((p) => p !== WS_BRIDGE_PROTOCOL);
}

/**
 * Browsers send the page's origin. The only page allowed to open the bridge is the dashboard this
 * host served, addressed by the same (already allowlisted) Host, so Origin must be exactly `http://` + Host.
 */
export function originMatchesHost(origin: string, host: string): boolean {
  return origin.trim().toLowerCase() === `http://${host.trim().toLowerCase()}`;
}

function pathAndQuery(url: string | undefined): { path: string; query: string | undefined } {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? { path: raw, query: undefined } : { path: raw.slice(0, q), query: raw.slice(q + 1) };
}

/** The checks an upgrade passes, in order: path, Host, Origin, query, protocol, token. */
export function checkUpgrade(req: UpgradeRequest, policy: UpgradePolicy): UpgradeVerdict {
  const { path, query } = pathAndQuery(req.url);
  if (path !== BRIDGE_PATH) return refuse(404, 'not_found', 'no WebSocket endpoint here');
  if (!hostAllowed(req.host, policy)) return refuse(403, 'bad_host', 'Host is not an allowed loopback name');
  if (req.origin === undefined) {
    if (!policy.allowMissingOrigin) return refuse(403, 'missing_origin', 'Origin is required');
  } else if (!originMatchesHost(req.origin, req.host as string)) {
    return refuse(403, 'bad_origin', 'Origin is not this dashboard');
  }
  // The dashboard never sends a query; any query is refused so a token there is never accepted
  // (query strings end up in logs and history, fragments and subprotocols do not).
  if (query !== undefined) return refuse(400, 'token_in_query', 'send the token as a Sec-WebSocket-Protocol entry, never in the query string');
  const offered = offeredProtocols(req.protocols);
  if (!offered.includes(WS_BRIDGE_PROTOCOL)) return refuse(400, 'bad_protocol', `offer the ${WS_BRIDGE_PROTOCOL} subprotocol`);
  if (!tokenMatches(presentedToken(req.protocols), policy.tokenDigest)) return refuse(401, 'bad_token', 'missing or wrong access token');
  return { ok: true, protocol: WS_BRIDGE_PROTOCOL };
}
