// NO_PROXY matching, as a pure function. undici's EnvHttpProxyAgent lacks CIDR and bracketed IPv6,
// so the net layer decides bypass itself and picks the direct or proxied dispatcher per origin.
//
// Rules (comma or whitespace separated, case-insensitive, trailing dots ignored):
//   *                 everything
//   example.com       example.com and every subdomain (curl semantics)
//   .example.com      the same as example.com
//   *.example.com     subdomains only, not example.com itself
//   host:port         any of the above, only for that port (default ports: https 443, http 80)
//   10.1.2.3 / ::1 / [::1]:8443   an IP literal (with optional port)
//   10.0.0.0/8 / fd00::/8         CIDR; applies to IP-literal hosts (no DNS lookup is made,
//                                 because behind a proxy the workstation often cannot resolve)
// Loopback (localhost, *.localhost, 127.0.0.0/8, ::1) is always bypassed.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

export type NoProxyRule =
  | { kind: 'all'; text: string }
  | { kind: 'domain'; text: string; domain: string; includeApex: boolean; port?: number }
  | { kind: 'ip'; text: string; bytes: Uint8Array; port?: number }
  | { kind: 'cidr'; text: string; bytes: Uint8Array; prefix: number };

export interface NoProxyList {
  rules: NoProxyRule[];
  /** Entries that could not be parsed, kept so the doctor can point at them. */
  invalid: string[];
}

export function parseNoProxy(input: string | readonly string[] | undefined): NoProxyList {
  const parts = (Array.isArray(input) ? input : [input ?? ''])
    .flatMap((s: string) => s.split(/[\s,]+/))
    .map((s) => s.trim())
    .filter(Boolean);
  const rules: NoProxyRule[] = [];
  const invalid: string[] = [];
  for (const text of parts) {
    const rule = parseRule(text);
    if (rule) rules.push(rule);
    else invalid.push(text);
  }
  return { rules, invalid };
}

function parseRule(text: string): NoProxyRule | undefined {
  if (text === '*') return { kind: 'all', text };
  const slash = text.indexOf('/');
  if (slash > 0) {
    const bytes = ipBytes(stripBrackets(text.slice(0, slash)));
    const prefix = Number(text.slice(slash + 1));
    if (!bytes || !Number.isInteger(prefix) || prefix < 0 || prefix > bytes.length * 8) return undefined;
    return { kind: 'cidr', text, bytes, prefix };
  }
  const { host, port } = splitHostPort(text);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) return undefined;
  const bytes = ipBytes(host);
  if (bytes) return { kind: 'ip', text, bytes, ...(port !== undefined ? { port } : {}) };
  let name = host.toLowerCase().replace(/\.+$/, '');
  let includeApex = true;
  if (name.startsWith('*.')) {
    name = name.slice(2);
    includeApex = false;
  } else if (name.startsWith('.')) {
    name = name.slice(1);
  }
  const ascii = domainToASCII(name);
  if (!ascii || ascii.includes('*')) return undefined;
  return { kind: 'domain', text, domain: ascii, includeApex, ...(port !== undefined ? { port } : {}) };
}

/** Splits `host:port`, `[v6]:port`, `[v6]` and bare IPv6 (which has colons but no port). */
function splitHostPort(text: string): { host: string; port?: number } {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return { host: text };
    const rest = text.slice(end + 1);
    return { host: text.slice(1, end), ...(rest.startsWith(':') ? { port: Number(rest.slice(1)) } : {}) };
  }
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [host = '', port = ''] = text.split(':');
    return { host, port: Number(port) };
  }
  return { host: text };
}

function stripBrackets(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** IPv4 → 4 bytes, IPv6 → 16 bytes (IPv4-mapped IPv6 collapses to 4), anything else undefined. */
export function ipBytes(host: string): Uint8Array | undefined {
  const h = stripBrackets(host).replace(/%.*$/, ''); // zone id
  const family = isIP(h);
  if (family === 4) return Uint8Array.from(h.split('.').map(Number));
  if (family !== 6) return undefined;
  let s = h.toLowerCase();
  // Embedded dotted quad (::ffff:1.2.3.4) → two hextets.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted?.[1]) {
    const q = dotted[1].split('.').map(Number);
    s = s.slice(0, -dotted[1].length) + `${(((q[0] ?? 0) << 8) | (q[1] ?? 0)).toString(16)}:${(((q[2] ?? 0) << 8) | (q[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const a = head ? head.split(':') : [];
  const b = tail !== undefined && tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - a.length - b.length;
  const groups = [...a, ...Array<string>(fill).fill('0'), ...b].map((g) => parseInt(g, 16));
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  const mapped = out.slice(0, 10).every((x) => x === 0) && out[10] === 0xff && out[11] === 0xff;
  return mapped ? out.slice(12) : out;
}

function inPrefix(addr: Uint8Array, net: Uint8Array, prefix: number): boolean {
  if (addr.length !== net.length) return false;
  let bits = prefix;
  for (let i = 0; i < addr.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((addr[i] ?? 0) & mask) !== ((net[i] ?? 0) & mask)) return false;
  }
  return true;
}

const LOOPBACK_V4 = Uint8Array.from([127, 0, 0, 0]);
const LOOPBACK_V6 = ipBytes('::1') as Uint8Array;

export function isLoopbackHost(hostname: string): boolean {
  const h = stripBrackets(hostname.toLowerCase()).replace(/\.+$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const bytes = ipBytes(h);
  if (!bytes) return false;
  return bytes.length === 4 ? inPrefix(bytes, LOOPBACK_V4, 8) : bytes.every((b, i) => b === LOOPBACK_V6[i]);
}

export type BypassReason = { bypass: true; rule: string } | { bypass: false };

/**
 * Decides whether `url` bypasses the proxy. `rule` names the entry that matched ("loopback" for
 * the built-in loopback rule) so the decision can be shown to the user.
 */
export function matchNoProxy(url: URL | string, list: NoProxyList, bypassLoopback = true): BypassReason {
  const u = typeof url === 'string' ? new URL(url) : url;
  const host = stripBrackets(u.hostname.toLowerCase()).replace(/\.+$/, '');
  if (bypassLoopback && isLoopbackHost(host)) return { bypass: true, rule: 'loopback' };
  const port = u.port ? Number(u.port) : defaultPort(u.protocol);
  const addr = ipBytes(host);
  for (const rule of list.rules) {
    switch (rule.kind) {
      case 'all':
        return { bypass: true, rule: rule.text };
      case 'cidr':
        if (addr && inPrefix(addr, rule.bytes, rule.prefix)) return { bypass: true, rule: rule.text };
        break;
      case 'ip':
        if (addr && addr.length === rule.bytes.length && addr.every((b, i) => b === rule.bytes[i]) && (rule.port === undefined || rule.port === port)) {
          return { bypass: true, rule: rule.text };
        }
        break;
      case 'domain': {
        if (addr) break;
        const hit = host.endsWith('.' + rule.domain) || (rule.includeApex && host === rule.domain);
        if (hit && (rule.port === undefined || rule.port === port)) return { bypass: true, rule: rule.text };
        break;
      }
    }
  }
  return { bypass: false };
}

export function defaultPort(protocol: string): number {
  return protocol === 'https:' || protocol === 'wss:' ? 443 : 80;
}

/** `host:port` of a URL, with the scheme's default port filled in. */
export function hostPort(u: URL): string {
  return `${u.hostname}:${u.port || defaultPort(u.protocol)}`;
}
