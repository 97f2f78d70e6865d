// Typed network errors. Each names the hop that failed and carries a one-line `fix` a user can act
// on. Messages contain hosts and ports only: never a URL's userinfo, a header value or a secret.

/** The hops between Pacekeeper and the platform, in the order a request crosses them. */
export type Hop =
  | 'config'
  | 'trust-store'
  | 'dns'
  | 'proxy-tcp'
  | 'proxy-connect'
  | 'origin-tcp'
  | 'tls'
  | 'http'
  | 'websocket';

export type NetErrorCode =
  | 'ConfigInvalid'
  | 'CaBundleInvalid'
  | 'ProxyUnreachable'
  | 'ProxyAuthRequired'
  | 'ProxyRefusedConnect'
  | 'ConnectionFailed'
  | 'TlsUntrusted'
  | 'TlsHostnameMismatch'
  | 'TlsFailed'
  | 'Timeout'
  | 'RateLimited'
  | 'CircuitOpen'
  | 'HttpError'
  | 'WebSocketRejected'
  | 'ResponseTooLarge'
  // Raised by API clients built on the net layer (main/genesys):
  | 'VersionConflict'
  | 'ResponseInvalid'
  | 'OAuthRejected'
  | 'SecretMissing';

export type TimeoutPhase =
  | 'proxy-tcp'
  | 'proxy-connect'
  | 'tls-handshake'
  | 'origin-connect'
  | 'headers'
  | 'body'
  | 'websocket-open'
  | 'deadline';

export interface NetErrorOptions {
  cause?: unknown;
}

export class NetError extends Error {
  readonly code: NetErrorCode;
  readonly hop: Hop;
  readonly fix: string;

  constructor(code: NetErrorCode, hop: Hop, message: string, fix: string, opts: NetErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = code;
    this.code = code;
    this.hop = hop;
    this.fix = fix;
  }

  /** Plain, secret-free shape for logs, health snapshots and the doctor's JSON. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, hop: this.hop, message: this.message, fix: this.fix };
    for (const [k, v] of Object.entries(this)) if (!(k in out) && k !== 'cause') out[k] = v;
    const cause = this.cause as { code?: unknown } | undefined;
    if (cause && typeof cause.code === 'string') out.causeCode = cause.code;
    return out;
  }
}

export class ConfigInvalid extends NetError {
  readonly field: string;
  constructor(field: string, message: string, fix: string) {
    super('ConfigInvalid', 'config', `${field}: ${message}`, fix);
    this.field = field;
  }
}

export type CaBundleProblem = 'missing' | 'unreadable' | 'not-pem' | 'expired' | 'not-yet-valid' | 'not-a-ca';

export class CaBundleInvalid extends NetError {
  readonly path: string;
  readonly problem: CaBundleProblem;
  constructor(path: string, problem: CaBundleProblem, detail: string, opts?: NetErrorOptions) {
    const fixes: Record<CaBundleProblem, string> = {
      missing: `check the CA bundle path ${path}; export your corporate root CA as PEM to that file`,
      unreadable: `make ${path} readable by the user running Pacekeeper`,
      'not-pem': `export the corporate root CA in PEM format (-----BEGIN CERTIFICATE-----), not DER or PKCS#12`,
      expired: `the certificate in ${path} has expired; ask for the current corporate root CA`,
      'not-yet-valid': `the certificate in ${path} is not valid yet; check the system clock`,
      'not-a-ca': `${path} holds a server certificate, not a CA; export the issuing root CA instead`,
    };
    super('CaBundleInvalid', 'trust-store', `CA bundle ${path}: ${detail}`, fixes[problem], opts);
    this.path = path;
    this.problem = problem;
  }
}

export class ProxyUnreachable extends NetError {
  readonly proxy: string;
  constructor(proxy: string, detail: string, hop: 'dns' | 'proxy-tcp' | 'proxy-connect' = 'proxy-tcp', opts?: NetErrorOptions) {
    super('ProxyUnreachable', hop, `proxy ${proxy} unreachable: ${detail}`,
      `check the proxy address ${proxy} (setting, HTTPS_PROXY or system proxy) and that this machine can reach it`, opts);
    this.proxy = proxy;
  }
}

export class ProxyAuthRequired extends NetError {
  readonly proxy: string;
  readonly schemes: string[];
  readonly credentialsSent: boolean;
  constructor(proxy: string, schemes: string[], credentialsSent: boolean) {
    const offered = schemes.length ? schemes.join(', ') : 'none named';
    const basic = schemes.some((s) => s.toLowerCase() === 'basic');
    let fix: string;
    if (!basic && schemes.length) fix = `proxy ${proxy} offers only ${offered}; Pacekeeper supports Basic — ask for Basic auth or an allowlist entry`;
    else if (credentialsSent) fix = `proxy ${proxy} rejected the user name or password; re-enter the proxy credentials`;
    else fix = `proxy ${proxy} needs a login; set the proxy user name and password`;
    super('ProxyAuthRequired', 'proxy-connect',
      `proxy ${proxy} answered 407 Proxy Authentication Required (offered: ${offered}; credentials ${credentialsSent ? 'sent' : 'not sent'})`, fix);
    this.proxy = proxy;
    this.schemes = schemes;
    this.credentialsSent = credentialsSent;
  }
}

export class ProxyRefusedConnect extends NetError {
  readonly proxy: string;
  readonly target: string;
  readonly status: number;
  constructor(proxy: string, target: string, status: number) {
    super('ProxyRefusedConnect', 'proxy-connect', `proxy ${proxy} refused CONNECT ${target} with ${status}`,
      `ask your proxy team for ${target} to be allowlisted`);
    this.proxy = proxy;
    this.target = target;
    this.status = status;
  }
}

export class ConnectionFailed extends NetError {
  readonly target: string;
  readonly errno: string | undefined;
  constructor(target: string, errno: string | undefined, detail: string, hop: Hop = 'origin-tcp', opts?: NetErrorOptions) {
    super('ConnectionFailed', hop, `connection to ${target} failed: ${detail}`,
      hop === 'dns' ? `check that ${target} resolves (DNS) or configure a proxy` : `check that ${target} is reachable from this machine, or configure a proxy`, opts);
    this.target = target;
    this.errno = errno;
  }
}

export class TlsUntrusted extends NetError {
  readonly host: string;
  readonly reason: string;
  constructor(host: string, reason: string, viaProxy: boolean, opts?: NetErrorOptions) {
    const inspected = reason === 'SELF_SIGNED_CERT_IN_CHAIN' || reason === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' || reason === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
    const fix = inspected && viaProxy
      ? 'TLS inspection detected; import your corporate root CA (PEM) as a CA bundle'
      : inspected
        ? 'the certificate chain ends in an untrusted root; import the issuing root CA (PEM) as a CA bundle'
        : 'the server certificate is not acceptable; check the system clock and the CA bundle';
    super('TlsUntrusted', 'tls', `TLS to ${host} not trusted (${reason})`, fix, opts);
    this.host = host;
    this.reason = reason;
  }
}

export class TlsHostnameMismatch extends NetError {
  readonly host: string;
  constructor(host: string, detail: string, opts?: NetErrorOptions) {
    super('TlsHostnameMismatch', 'tls', `TLS certificate does not match ${host}: ${detail}`,
      `use the platform host name (not an IP address) in the URL, or have the inspecting proxy mint certificates for ${host}`, opts);
    this.host = host;
  }
}

export class TlsFailed extends NetError {
  readonly host: string;
  constructor(host: string, detail: string, opts?: NetErrorOptions) {
    super('TlsFailed', 'tls', `TLS handshake with ${host} failed: ${detail}`,
      'the server or an inspecting proxy does not offer TLS 1.2 or newer with a valid certificate; check the proxy\'s TLS settings', opts);
    this.host = host;
  }
}

export class Timeout extends NetError {
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;
  constructor(phase: TimeoutPhase, timeoutMs: number, target: string, opts?: NetErrorOptions) {
    const hop: Record<TimeoutPhase, Hop> = {
      'proxy-tcp': 'proxy-tcp', 'proxy-connect': 'proxy-connect', 'tls-handshake': 'tls', 'origin-connect': 'origin-tcp',
      headers: 'http', body: 'http', 'websocket-open': 'websocket', deadline: 'http',
    };
    const fixes: Record<TimeoutPhase, string> = {
      'proxy-tcp': `the proxy ${target} does not accept connections; check the proxy address`,
      'proxy-connect': `the proxy ${target} accepted the connection but never answered CONNECT; check the proxy or use another`,
      'tls-handshake': `TLS with ${target} stalled; an inspecting proxy may be blocking it`,
      'origin-connect': `${target} does not accept connections; a proxy may be required`,
      headers: `${target} is slow to answer; retry later or raise the headers timeout`,
      body: `${target} stopped sending the response; retry later`,
      'websocket-open': `the WebSocket to ${target} did not open; check that the proxy allows WebSocket upgrades`,
      deadline: `the operation on ${target} took too long overall; retry later`,
    };
    super('Timeout', hop[phase], `timed out after ${timeoutMs} ms in phase ${phase} (${target})`, fixes[phase], opts);
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}

export interface HttpErrorInfo {
  status: number;
  method: string;
  /** Origin + path, never the query string. */
  target: string;
  /** The API's own error code (Genesys `code`), when the body carried one. */
  apiCode?: string;
  contextId?: string;
  apiMessage?: string;
}

export class HttpError extends NetError {
  readonly status: number;
  readonly method: string;
  readonly target: string;
  readonly apiCode: string | undefined;
  readonly contextId: string | undefined;
  readonly apiMessage: string | undefined;
  constructor(info: HttpErrorInfo, code: NetErrorCode = 'HttpError', fix?: string) {
    const api = info.apiCode ? ` ${info.apiCode}` : '';
    const ctx = info.contextId ? ` (contextId ${info.contextId})` : '';
    super(code, 'http', `${info.method} ${info.target} answered ${info.status}${api}${ctx}`, fix ?? httpFix(info.status));
    this.status = info.status;
    this.method = info.method;
    this.target = info.target;
    this.apiCode = info.apiCode;
    this.contextId = info.contextId;
    this.apiMessage = info.apiMessage;
  }
}

function httpFix(status: number): string {
  if (status === 401) return 'the access token was rejected; check the OAuth client id and secret for this region';
  if (status === 403) return 'the OAuth client lacks a permission; add the role with the needed outbound permissions';
  if (status === 404) return 'the resource does not exist in this org or region; check the id and region';
  if (status === 409 || status === 412) return 'the resource changed since it was read; re-read it and apply the change again';
  if (status >= 500) return 'the platform had a server error; retry later';
  return 'the request was rejected; see the API message';
}

export class RateLimited extends HttpError {
  /** How long the server asked us to wait, in milliseconds (undefined when it did not say). */
  readonly retryAfterMs: number | undefined;
  constructor(info: Omit<HttpErrorInfo, 'status'> & { status?: number }, retryAfterMs: number | undefined) {
    const wait = retryAfterMs === undefined ? 'a while' : `${Math.ceil(retryAfterMs / 1000)} s`;
    super({ ...info, status: info.status ?? 429 }, 'RateLimited', `rate limited by the platform; wait ${wait} before retrying`);
    this.retryAfterMs = retryAfterMs;
  }
}

export class CircuitOpen extends NetError {
  readonly origin: string;
  readonly retryAtMs: number;
  constructor(origin: string, retryAtMs: number, nowMs: number) {
    super('CircuitOpen', 'http', `circuit open for ${origin} after repeated server errors; next probe in ${Math.max(0, Math.ceil((retryAtMs - nowMs) / 1000))} s`,
      `${origin} is failing; Pacekeeper pauses calls to it and probes again automatically`);
    this.origin = origin;
    this.retryAtMs = retryAtMs;
  }
}

export type WebSocketRejection = 'upgrade-stripped' | 'proxy-forbidden' | 'forbidden' | 'unauthorized' | 'not-found' | 'status' | 'closed';

export class WebSocketRejected extends NetError {
  readonly reason: WebSocketRejection;
  readonly status: number | undefined;
  constructor(target: string, reason: WebSocketRejection, status: number | undefined) {
    const fixes: Record<WebSocketRejection, string> = {
      'upgrade-stripped': 'the proxy removed the Upgrade header (TLS inspection); ask for WebSocket upgrades to be allowed for this host, or exempt it from inspection',
      'proxy-forbidden': `the proxy forbids WebSocket requests to ${target}; ask for it to be allowlisted`,
      forbidden: `the platform refused the WebSocket (403); check the OAuth client's permissions`,
      unauthorized: 'the channel or token is no longer valid; create a new notification channel',
      'not-found': 'the notification channel no longer exists; create a new one',
      status: `the server answered the WebSocket upgrade with HTTP ${status ?? '?'}; check the proxy`,
      closed: 'the WebSocket closed during the handshake; check the proxy and network',
    };
    super('WebSocketRejected', 'websocket', `WebSocket upgrade to ${target} failed: ${reason}${status ? ` (HTTP ${status})` : ''}`, fixes[reason]);
    this.reason = reason;
    this.status = status;
  }
}

export class ResponseTooLarge extends NetError {
  constructor(target: string, limit: number) {
    super('ResponseTooLarge', 'http', `response from ${target} exceeded ${limit} bytes`, 'narrow the query (page size, interval)');
  }
}
