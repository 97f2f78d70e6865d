// URL shapes the settings accept, as pure functions over the WHATWG URL parser (no node: imports,
// so the schema can also run wherever the bridge contract is validated). Messages never echo the
// input: a rejected URL may carry a password.
import { err, ok, type Result } from '../util/result.ts';

export interface UrlRule {
  /** Protocols without the colon, e.g. ['http', 'https']. */
  protocols: readonly string[];
  /** Whether a path (e.g. a gateway prefix) is allowed; query and fragment never are. */
  allowPath: boolean;
  /** Whether `host:port` without a scheme is accepted and read as http://host:port. */
  bareHostIsHttp?: boolean;
  /** Message for URLs with user:password@ (they belong in the keychain). */
  userinfoMessage?: string;
}

export const PROXY_USERINFO_MESSAGE =
  'Proxy credentials must not be part of the URL. Store the password in the keychain (secret proxy.password) '
  + 'and put the user name in proxy.username; extractProxyCredentials() splits a pasted URL for you.';

export const SERVICE_URL: UrlRule = { protocols: ['http', 'https'], allowPath: true };
export const PROXY_URL: UrlRule = {
  protocols: ['http', 'https'],
  allowPath: false,
  bareHostIsHttp: true,
  userinfoMessage: PROXY_USERINFO_MESSAGE,
};

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Validates and normalizes (lower-case scheme and host, no trailing slash) a URL setting. */
export function normalizeUrl(input: string, rule: UrlRule): Result<string, string> {
  const text = input.trim();
  const candidate = !HAS_SCHEME.test(text) && rule.bareHostIsHttp ? `http://${text}` : text;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return err(`Not a valid URL; expected ${rule.protocols[0]}://host${rule.allowPath ? '[:port][/path]' : '[:port]'}.`);
  }
  const protocol = url.protocol.slice(0, -1);
  if (!rule.protocols.includes(protocol)) return err(`Use ${rule.protocols.map((p) => `${p}://`).join(' or ')}.`);
  if (!url.hostname) return err('The URL has no host.');
  if (url.username || url.password) {
    return err(rule.userinfoMessage ?? 'Credentials must not be part of the URL; they belong in the keychain.');
  }
  if (url.search || url.hash || candidate.includes('?') || candidate.includes('#')) {
    return err('The URL must not have a query (?…) or fragment (#…).');
  }
  if (!rule.allowPath && url.pathname !== '/') return err('The URL must not have a path; use scheme://host:port.');
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return ok(`${url.protocol}//${url.host}${path}`);
}

export interface ProxyCredentials {
  /** The URL without userinfo, normalized like the proxy.url setting. */
  cleanUrl: string;
  /** Percent-decoded user name, if the URL had one. */
  username?: string;
  /** Percent-decoded password, if the URL had one: store it as the `proxy.password` secret. */
  password?: string;
}

/**
 * Splits `http://user:p%40ss@proxy:3128` into a URL that can be saved and shown, a user name for
 * settings and a password for the keychain. Throws RangeError (without echoing the input) when the
 * input is not a usable proxy URL.
 */
export function extractProxyCredentials(input: string): ProxyCredentials {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(HAS_SCHEME.test(text) ? text : `http://${text}`);
  } catch {
    throw new RangeError('Not a valid proxy URL; expected http://[user:password@]host:port.');
  }
  const username = decode(url.username);
  const password = decode(url.password);
  url.username = '';
  url.password = '';
  const clean = normalizeUrl(url.href, PROXY_URL);
  if (!clean.ok) throw new RangeError(clean.error);
  return {
    cleanUrl: clean.value,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
  };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a stray % that is not an escape: keep it as typed
  }
}

/** `scheme://host[:port]` with nothing after it; `null` and `*` are refused (they allow any page). */
export function checkOrigin(input: string): Result<string, string> {
  const text = input.trim();
  if (text === '*' || text.toLowerCase() === 'null') {
    return err(`"${text}" would let any web page connect; list each tool's exact origin.`);
  }
  // A single trailing slash is tolerated (browsers show origins that way in some places).
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+\/?$/i.test(text)) return err('Use an origin like http://localhost:3000 (scheme://host[:port], no path).');
  try {
    const url = new URL(text);
    if (url.username || url.password) return err('An origin has no user name or password.');
    return ok(url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : text.replace(/\/$/, '').toLowerCase());
  } catch {
    return err('Use an origin like http://localhost:3000 (scheme://host[:port], no path).');
  }
}
