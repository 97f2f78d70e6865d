// Low-level probes for the doctor: a raw CONNECT (to read the proxy's status line and
// Proxy-Authenticate, which undici hides) and a TLS handshake that reports the presented chain.
import { X509Certificate } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type DetailedPeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import type { ProxyEndpoint } from './proxy-url.ts';
import { findAnchor, oneLine, type TrustStore } from './trust-store.ts';

export interface ConnectProbe {
  status: number;
  headers: Record<string, string>;
  /** The tunnel, when status is 200; the caller owns (and must destroy) it. */
  socket?: Socket | TLSSocket;
}

/** Opens a TCP (or TLS, for an https:// proxy) connection with a timeout. */
export function openSocket(host: string, port: number, timeoutMs: number, tls?: { secureContext: SecureContext; servername: string }): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const h = host.replace(/^\[|\]$/g, '');
    const s: Socket | TLSSocket = tls
      ? tlsConnect({ host: h, port, secureContext: tls.secureContext, servername: tls.servername, rejectUnauthorized: true, minVersion: 'TLSv1.2' })
      : netConnect({ host: h, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(Object.assign(new Error(`connect to ${host}:${port} timed out`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    }, timeoutMs);
    s.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      s.destroy();
      reject(e);
    });
  });
}

/** Sends CONNECT target and reads the proxy's answer. */
export async function probeConnect(proxy: ProxyEndpoint, target: string, token: string | undefined, opts: { connectMs: number; answerMs: number; secureContext: SecureContext }): Promise<ConnectProbe> {
  const socket = await openSocket(proxy.hostname, proxy.port, opts.connectMs, proxy.protocol === 'https:' ? { secureContext: opts.secureContext, servername: proxy.hostname } : undefined);
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no answer to CONNECT within ${opts.answerMs} ms`), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
    }, opts.answerMs);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 64 * 1024) onError(new Error('oversized CONNECT response'));
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/\d\.\d\s+(\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) {
          const k = l.slice(0, i).trim().toLowerCase();
          headers[k] = headers[k] ? `${headers[k]}, ${l.slice(i + 1).trim()}` : l.slice(i + 1).trim();
        }
      }
      if (status === 200) {
        const rest = buf.subarray(end + 4);
        if (rest.length) socket.unshift(rest);
        resolve({ status, headers, socket });
      } else {
        socket.destroy();
        resolve({ status, headers });
      }
    };
    const onError = (e: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('end', () => onError(Object.assign(new Error('proxy closed the connection before answering CONNECT'), { code: 'UND_ERR_SOCKET' })));
    const auth = token ? `Proxy-Authorization: ${token}\r\n` : '';
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
  });
}

export interface ChainEntry {
  subject: string;
  issuer: string;
  validTo: string;
  fingerprint256: string;
}

export interface TlsProbe {
  authorized: boolean;
  /** OpenSSL/Node code when not authorized (e.g. SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID). */
  error?: string;
  protocol?: string;
  chain: ChainEntry[];
  /** The trust source whose root vouches for the chain (bundled, system, extra, user:<path>). */
  trustedBy?: string;
  anchorSubject?: string;
  leafFingerprint?: string;
}

/**
 * Handshakes on `socket` (a tunnel or a direct TCP socket) to read the presented chain. The probe
 * reads the chain even when it is not trusted — that is the point of a doctor — so it does not let
 * Node abort the handshake; the verdict is Node's own (`authorized` / `authorizationError`, which
 * includes the hostname check). No application data is ever sent on this socket.
 */
export function probeTls(socket: Socket | TLSSocket, servername: string, store: TrustStore, secureContext: SecureContext, timeoutMs: number): Promise<TlsProbe> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ socket, servername, secureContext, minVersion: 'TLSv1.2', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const timer = setTimeout(() => {
      s.destroy();
      reject(Object.assign(new Error(`TLS handshake with ${servername} timed out`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    }, timeoutMs);
    s.once('secureConnect', () => {
      clearTimeout(timer);
      const chain = chainOf(s.getPeerCertificate(true));
      const top = chain.at(-1)?.x509;
      const anchor = top ? findAnchor(store, top) : undefined;
      const err = s.authorizationError as unknown;
      const out: TlsProbe = {
        authorized: s.authorized,
        chain: chain.map((c) => c.entry),
        ...(s.getProtocol() ? { protocol: s.getProtocol() as string } : {}),
        ...(err ? { error: typeof err === 'string' ? err : ((err as { code?: string }).code ?? String(err)) } : {}),
        ...(anchor && s.authorized ? { trustedBy: anchor.source, anchorSubject: anchor.subject } : {}),
        ...(chain[0] ? { leafFingerprint: chain[0].entry.fingerprint256 } : {}),
      };
      s.destroy();
      resolve(out);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      s.destroy();
      reject(e);
    });
  });
}

function chainOf(leaf: DetailedPeerCertificate): { entry: ChainEntry; x509: X509Certificate }[] {
  const out: { entry: ChainEntry; x509: X509Certificate }[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = leaf;
  while (c && c.raw && !seen.has(c.fingerprint256) && out.length < 10) {
    seen.add(c.fingerprint256);
    const x = new X509Certificate(c.raw);
    out.push({ x509: x, entry: { subject: oneLine(x.subject), issuer: oneLine(x.issuer), validTo: x.validTo, fingerprint256: x.fingerprint256 } });
    c = c.issuerCertificate;
  }
  return out;
}
