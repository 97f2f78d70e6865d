// The loopback HTTP server in front of the relay: binds 127.0.0.1 only, checks Host, Origin and
// the token on every request before anything else runs, refuses upgrades with a plain HTTP status
// (401/403/404/503) and hands accepted sockets to `ws` in noServer mode (notes/wsrelay.md §2.1, §4).
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import type { Logger } from '../util/log.ts';
import { HTTP_REFUSAL } from './close-codes.ts';
import { sendError } from './compat-rest.ts';
import type { DeliveryStats } from './delivery-stats.ts';
import { allowedHostHeaders, checkRequest, classifyTarget, selectProtocol, type HandshakePolicy } from './handshake.ts';

export const LOOPBACK = '127.0.0.1';

export interface DownstreamServerOptions {
  port: number;
  allowedHosts: readonly string[];
  origins: ReadonlySet<string>;
  tokenDigest: Buffer;
  maxFrameBytes: number;
  closeTimeoutMs: number;
  maxSessions: number;
  logger: Logger;
  stats: DeliveryStats;
  isDraining(): boolean;
  sessionCount(): number;
  /** False when a compat channel id does not exist (404). */
  hasCompatChannel(id: string): boolean;
  acceptRelay(ws: WebSocket): void;
  acceptCompat(ws: WebSocket, channelId: string): void;
  compatRest(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

export class DownstreamServer {
  readonly #o: DownstreamServerOptions;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  #policy: HandshakePolicy;
  #port = 0;
  #lastRefusalLog = 0;

  constructor(opts: DownstreamServerOptions) {
    this.#o = opts;
    this.#policy = { hosts: new Set(), origins: opts.origins, tokenDigest: opts.tokenDigest };
    // closeTimeout (ws ≥ 8.19) is missing from @types/ws; it bounds a close handshake.
    const wsOptions: ServerOptions & { closeTimeout: number } = {
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: opts.maxFrameBytes,
      closeTimeout: opts.closeTimeoutMs,
      handleProtocols: (offered) => selectProtocol(offered),
    };
    this.#wss = new WebSocketServer(wsOptions);
    this.#http = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16 * 1024 }, (req, res) => {
      void this.#onRequest(req, res).catch((e: unknown) => {
        opts.logger.error('relay request failed', { error: e instanceof Error ? e.message : String(e) });
        if (!res.headersSent) sendError(res, 500, 'internal.server.error', 'relay error');
        else res.destroy();
      });
    });
    this.#http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#onUpgrade(req, socket, head));
    this.#http.on('clientError', (_e, socket: Duplex) => socket.destroy());
  }

  get port(): number {
    return this.#port;
  }

  /** ws:// origin clients use (for compat connectUri). */
  get wsOrigin(): string {
    return `ws://${LOOPBACK}:${this.#port}`;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.#http.once('error', onError);
      // A deep accept backlog: 10k clients reconnecting at once must not see SYN drops.
      this.#http.listen({ port: this.#o.port, host: LOOPBACK, backlog: 4096 }, () => {
        this.#http.off('error', onError);
        this.#port = (this.#http.address() as AddressInfo).port;
        this.#policy = { ...this.#policy, hosts: allowedHostHeaders(this.#o.allowedHosts, this.#port) };
        resolve(this.#port);
      });
    });
  }

  /** Stops listening; existing upgraded sockets are the relay's to close. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#http.close(() => resolve());
      this.#http.closeAllConnections();
    });
  }

  #refuse(socket: Duplex, status: number, code: string, message: string, req: IncomingMessage): void {
    this.#o.stats.refused(code);
    const now = Date.now();
    if (now - this.#lastRefusalLog > 1000) {
      // Rate-limited: a hostile page can knock thousands of times.
      this.#lastRefusalLog = now;
      this.#o.logger.warn('relay refused a connection', { status, code, path: (req.url ?? '').split('?')[0], origin: req.headers.origin });
    }
    const body = JSON.stringify({ message, code, status });
    const extra = status === 503 ? 'retry-after: 1\r\n' : '';
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nconnection: close\r\ncontent-type: application/json\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.#o.isDraining()) return this.#refuse(socket, HTTP_REFUSAL.draining, 'draining', 'relay is restarting or shutting down', req);
    const target = classifyTarget(req.url, true);
    if (target.kind === 'not-found') return this.#refuse(socket, HTTP_REFUSAL.notFound, 'not_found', 'no WebSocket endpoint here', req);
    const verdict = checkRequest(req.url, req.headers, this.#policy, target.kind === 'relay-socket');
    if (!verdict.ok) return this.#refuse(socket, verdict.status, verdict.code, verdict.message, req);
    if (this.#o.sessionCount() >= this.#o.maxSessions) {
      return this.#refuse(socket, HTTP_REFUSAL.tooManySessions, 'too_many_sessions', 'relay is at its session limit', req);
    }
    const channelId = target.channelId;
    if (target.kind === 'compat-socket' && (channelId === undefined || !this.#o.hasCompatChannel(channelId))) {
      return this.#refuse(socket, HTTP_REFUSAL.notFound, 'not_found', 'The requested channel was not found or has expired.', req);
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (target.kind === 'relay-socket') this.#o.acceptRelay(ws);
      else this.#o.acceptCompat(ws, channelId as string);
    });
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#o.isDraining()) return sendError(res, 503, 'service.unavailable', 'relay is restarting or shutting down', { 'retry-after': '1' });
    const target = classifyTarget(req.url, false);
    if (target.kind === 'oauth-token') return this.#token(req, res);
    const verdict = checkRequest(req.url, req.headers, this.#policy, true);
    if (!verdict.ok) {
      this.#o.stats.refused(verdict.code);
      return sendError(res, verdict.status, verdict.code, verdict.message);
    }
    if (target.kind !== 'compat-rest') return sendError(res, 404, 'not.found', 'no such endpoint on the relay');
    await this.#o.compatRest(req, res, target.path);
  }

  /**
   * Client-credentials grant for Genesys-compatible tools, which always fetch a token first: the
   * relay token is the client secret (any client id) and is handed back as the access token.
   */
  #token(req: IncomingMessage, res: ServerResponse): void {
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
    const decoded = basic ? Buffer.from(basic[1] as string, 'base64').toString('utf8') : '';
    const secret = decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : undefined;
    const headers = { ...req.headers, authorization: secret !== undefined ? `Bearer ${secret}` : undefined };
    const verdict = req.method === 'POST' ? checkRequest(req.url, headers, this.#policy, true) : { ok: false as const, status: 405, code: 'method', message: 'POST only' };
    req.resume();
    if (!verdict.ok) {
      this.#o.stats.refused(verdict.code);
      res.writeHead(verdict.status === 401 ? 401 : verdict.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: verdict.status === 401 ? 'invalid_client' : 'invalid_request', description: verdict.message }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ access_token: secret, token_type: 'bearer', expires_in: 86_400 }));
  }
}
