// Proxy URLs and PAC results, as pure functions.
// Credentials typed into a proxy URL are accepted, split off (to go to the secret store) and the
// URL is kept without them, so it can be saved, logged and shown.
import { ConfigInvalid } from './errors.ts';

export interface ProxyEndpoint {
  /** `http:` or `https:` (TLS to the proxy itself). */
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  /** `http://host:port`, without credentials: the key for one dispatcher per proxy route. */
  url: string;
}

export interface ParsedProxyUrl {
  endpoint: ProxyEndpoint;
  /** Decoded user name from the URL's userinfo, if any. */
  username?: string;
  /** Decoded password from the URL's userinfo, if any; must go to the secret store. */
  password?: string;
}

/**
 * Parses `http://user:pass@host:port`, `https://host`, or a bare `host:port` (taken as http).
 * Userinfo is percent-decoded, so `p%40ss` is the password `p@ss`.
 */
export function parseProxyUrl(input: string, field = 'proxy.url'): ParsedProxyUrl {
  const raw = input.trim();
  if (!raw) throw new ConfigInvalid(field, 'empty proxy URL', 'enter the proxy as http://host:port');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    // Never echo the input: it may contain a password.
    throw new ConfigInvalid(field, 'not a valid URL', 'enter the proxy as http://host:port');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigInvalid(field, `unsupported proxy scheme ${u.protocol}`, 'use an HTTP proxy (http://host:port); SOCKS is not supported');
  }
  if (!u.hostname) throw new ConfigInvalid(field, 'missing host', 'enter the proxy as http://host:port');
  const protocol = u.protocol;
  const port = u.port ? Number(u.port) : protocol === 'https:' ? 443 : 80;
  const out: ParsedProxyUrl = { endpoint: endpoint(protocol, u.hostname, port) };
  if (u.username) out.username = safeDecode(u.username);
  if (u.password) out.password = safeDecode(u.password);
  return out;
}

export function endpoint(protocol: 'http:' | 'https:', hostname: string, port: number): ProxyEndpoint {
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname.toLowerCase();
  return { protocol, hostname: host, port, url: `${protocol}//${host}:${port}` };
}

/** host:port label for messages. */
export function proxyLabel(p: ProxyEndpoint): string {
  return `${p.hostname}:${p.port}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * `Proxy-Authorization: Basic …` for a user and password (RFC 7617, UTF-8). The user name cannot
 * contain a colon: the proxy splits user-id and password at the first one.
 */
export function basicProxyToken(username: string, password: string): string {
  if (username.includes(':')) {
    throw new ConfigInvalid('proxy.username', 'a user name cannot contain ":" with Basic authentication', 'check the proxy user name');
  }
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

export type PacEntry =
  | { kind: 'direct' }
  | { kind: 'proxy'; endpoint: ProxyEndpoint }
  | { kind: 'unsupported'; text: string };

/**
 * Parses a PAC / `session.resolveProxy` result such as `PROXY a:3128; HTTPS b:443; DIRECT`, keeping
 * every entry in order so the caller can fail over. SOCKS entries are kept as `unsupported` (and
 * skipped) rather than silently dropped, so the doctor can say why they were not used.
 */
export function parsePacResult(result: string): PacEntry[] {
  const out: PacEntry[] = [];
  for (const part of result.split(';')) {
    const text = part.trim();
    if (!text) continue;
    const [kw = '', target = ''] = text.split(/\s+/, 2);
    const keyword = kw.toUpperCase();
    if (keyword === 'DIRECT') {
      out.push({ kind: 'direct' });
      continue;
    }
    if ((keyword === 'PROXY' || keyword === 'HTTP' || keyword === 'HTTPS') && target) {
      const protocol = keyword === 'HTTPS' ? 'https:' : 'http:';
      try {
        const u = new URL(`${protocol}//${target}`);
        const port = u.port ? Number(u.port) : protocol === 'https:' ? 443 : 80;
        out.push({ kind: 'proxy', endpoint: endpoint(protocol, u.hostname, port) });
        continue;
      } catch {
        // fall through to unsupported
      }
    }
    out.push({ kind: 'unsupported', text: text.replace(/\/\/[^@\s]*@/, '//') });
  }
  return out;
}
