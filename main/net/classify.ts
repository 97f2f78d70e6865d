// Maps Node/undici failures to typed NetErrors that name the hop. Applied where the hop is known:
// in the connector wrapper (origin TCP/TLS, or the tunnel), in the CONNECT interceptor (proxy), and
// around each request (headers/body timeouts, resets).
import {
  ConnectionFailed, NetError, ProxyUnreachable, Timeout, TlsFailed, TlsHostnameMismatch, TlsUntrusted,
} from './errors.ts';

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE', 'INVALID_CA', 'CERT_REJECTED', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'PATH_LENGTH_EXCEEDED',
]);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

export function errCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

export interface OriginContext {
  /** host:port of the origin. */
  target: string;
  host: string;
  viaProxy: boolean;
  tlsHandshakeMs: number;
}

/** Errors from establishing an origin connection (TCP+TLS direct, or TLS inside a tunnel). */
export function classifyOriginConnectError(e: unknown, ctx: OriginContext): NetError {
  if (e instanceof NetError) return e;
  let code = errCode(e);
  let err = e;
  // undici wraps a hostname mismatch inside a tunnel to stop its reconnect loop.
  if (code === 'UND_ERR_PRX_TLS' && (e as { cause?: unknown }).cause) {
    err = (e as { cause?: unknown }).cause;
    code = errCode(err);
  }
  const msg = err instanceof Error ? err.message : String(err);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const reason = (err as { reason?: unknown }).reason;
    return new TlsHostnameMismatch(ctx.host, typeof reason === 'string' ? reason : msg, { cause: err });
  }
  if (code && UNTRUSTED.has(code)) return new TlsUntrusted(ctx.host, code, ctx.viaProxy, { cause: err });
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new Timeout(ctx.viaProxy ? 'tls-handshake' : 'origin-connect', ctx.tlsHandshakeMs, ctx.target, { cause: err });
  }
  if (code && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO')) {
    return new TlsFailed(ctx.host, code, { cause: err });
  }
  if (code && DNS.has(code)) return new ConnectionFailed(ctx.target, code, `DNS lookup failed (${code})`, 'dns', { cause: err });
  if (ctx.viaProxy) {
    // The tunnel was up; the proxy or origin dropped it during the TLS handshake.
    return new TlsFailed(ctx.host, `${code ?? 'error'} during the handshake through the proxy`, { cause: err });
  }
  return new ConnectionFailed(ctx.target, code, code ?? msg, 'origin-tcp', { cause: err });
}

export interface ProxyContext {
  /** host:port of the proxy. */
  proxy: string;
  proxyConnectMs: number;
  connectResponseMs: number;
}

/** Errors from talking to the proxy before it answered CONNECT. */
export function classifyProxyError(e: unknown, ctx: ProxyContext): NetError {
  if (e instanceof NetError) return e;
  const code = errCode(e);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new Timeout('proxy-tcp', ctx.proxyConnectMs, ctx.proxy, { cause: e });
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new Timeout('proxy-connect', ctx.connectResponseMs, ctx.proxy, { cause: e });
  if (code && DNS.has(code)) return new ProxyUnreachable(ctx.proxy, `DNS lookup failed (${code})`, 'dns', { cause: e });
  if (code && UNREACHABLE.has(code)) return new ProxyUnreachable(ctx.proxy, code, 'proxy-tcp', { cause: e });
  if (code && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || UNTRUSTED.has(code))) {
    return new ProxyUnreachable(ctx.proxy, `TLS to the proxy failed (${code})`, 'proxy-tcp', { cause: e });
  }
  return new ProxyUnreachable(ctx.proxy, `closed before answering CONNECT (${code ?? 'error'})`, 'proxy-connect', { cause: e });
}

export interface RequestContext {
  /** origin + path for messages. */
  target: string;
  headersMs: number;
  bodyMs: number;
}

/** Errors after a connection was handed to the request (timeouts, resets). */
export function classifyRequestError(e: unknown, ctx: RequestContext): Error {
  if (e instanceof NetError) return e;
  const code = errCode(e);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new Timeout('headers', ctx.headersMs, ctx.target, { cause: e });
  if (code === 'UND_ERR_BODY_TIMEOUT') return new Timeout('body', ctx.bodyMs, ctx.target, { cause: e });
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return new ConnectionFailed(ctx.target, code, 'connection reset during the request', 'http', { cause: e });
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** The code the retry policy looks at: the errno behind a ConnectionFailed, else the typed code. */
export function retryCode(e: unknown): string {
  if (e instanceof ConnectionFailed && e.errno) return e.errno;
  return errCode(e) ?? 'UNKNOWN';
}

/** Failures that say "this proxy is not usable": the next PAC entry may work. */
export function isProxyRouteFailure(e: unknown): boolean {
  if (e instanceof ProxyUnreachable) return true;
  return e instanceof Timeout && (e.phase === 'proxy-tcp' || e.phase === 'proxy-connect');
}
