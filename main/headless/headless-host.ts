// The headless host: core without Electron. It serves the built renderer on 127.0.0.1 with the
// strict security headers and carries the bridge contract over a token-protected WebSocket
// (`/bridge`, ws in noServer mode), so the same dashboard runs in any browser. Every request is
// checked (Host, then for the socket Origin, query and token) before anything else runs.
// The token is only ever in the returned `url`'s fragment; it is never logged.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { EVENT_NAMES, WS_BRIDGE_PROTOCOL, type EventName } from '../../preload/contract.ts';
import type { CoreFacade } from '../core/core-facade.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { digestToken, isValidAccessToken, newAccessToken } from './access-token.ts';
import { BridgeSession, CLOSE, type SessionLimits } from './bridge-session.ts';
import { loopbackOrigins, securityHeaders } from './http-policy.ts';
import { createStaticServer } from './static-files.ts';
import { allowedHosts, checkUpgrade, hostAllowed, type RefusalCode, type UpgradePolicy } from './upgrade-guard.ts';

export interface HeadlessLimits extends SessionLimits {
  /** Largest frame a client may send (ws closes with 1009 above it). */
  maxFrameBytes: number;
  maxSessions: number;
  heartbeatMs: number;
}

export const DEFAULT_HEADLESS_LIMITS: HeadlessLimits = {
  maxFrameBytes: 256 * 1024,
  maxSessions: 32,
  heartbeatMs: 30_000,
  // The dashboard's busiest moment is a (re)connect: state, events, settings and one history
  // request per campaign. 200 at once and 50/s sustained leave it ample room.
  ratePerSec: 50,
  burst: 200,
  maxStrikes: 10,
  maxInFlight: 64,
  maxBufferedBytes: 8 * 1024 * 1024,
};

export interface HeadlessHostOptions {
  core: Pick<CoreFacade, 'dispatch' | 'on'>;
  /** The built renderer: index.html, app.js, styles.css (`dist/renderer`). */
  rendererDir: string;
  /** Loopback only. */
  host?: '127.0.0.1';
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The access token; a random one is made when absent. base64url, 22–512 characters. */
  token?: string;
  /** Accept bridge clients that send no Origin (non-browser tools). Default false. */
  allowMissingOrigin?: boolean;
  logger?: Logger;
  limits?: Partial<HeadlessLimits>;
}

export interface HeadlessHostStats {
  sessions: number;
  acceptedSessions: number;
  refusedUpgrades: Partial<Record<RefusalCode | 'too_many_sessions', number>>;
  refusedRequests: number;
  badFrames: number;
}

export interface HeadlessHost {
  /** `http://127.0.0.1:PORT/#token=…`: open this in a browser. Holds the token; print it, never log it. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, without the token. */
  readonly origin: string;
  readonly port: number;
  stats(): HeadlessHostStats;
  /** Closes every bridge socket (1001) and the server. Core keeps running. Idempotent. */
  close(): Promise<void>;
}

export class HeadlessHostError extends Error {
  readonly code: 'RENDERER_NOT_BUILT' | 'BAD_TOKEN' | 'BAD_HOST' | 'LISTEN_FAILED';
  readonly fix: string;
  constructor(code: HeadlessHostError['code'], message: string, fix: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HeadlessHostError';
    this.code = code;
    this.fix = fix;
  }
}

export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const log = (options.logger ?? silentLogger).child({ component: 'headless' });
  const limits: HeadlessLimits = { ...DEFAULT_HEADLESS_LIMITS, ...options.limits };
  const bindHost = options.host ?? '127.0.0.1';
  if (bindHost !== '127.0.0.1') {
    throw new HeadlessHostError('BAD_HOST', `The headless host listens on 127.0.0.1 only, not ${String(bindHost)}.`, 'Reach it from another machine through an SSH tunnel (ssh -L).');
  }
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new HeadlessHostError('RENDERER_NOT_BUILT', `No dashboard build in ${options.rendererDir}.`, 'Run `npm run build` (it writes dist/renderer), then start the headless host again.');
  }
  const token = options.token ?? newAccessToken();
  if (!isValidAccessToken(token)) {
    throw new HeadlessHostError('BAD_TOKEN', 'The access token must be 22–512 characters of A–Z, a–z, 0–9, "-" and "_".', 'Leave the token unset to get a random one.');
  }
  const staticFiles = await createStaticServer(options.rendererDir);
  const stats: HeadlessHostStats = { sessions: 0, acceptedSessions: 0, refusedUpgrades: {}, refusedRequests: 0, badFrames: 0 };
  const sessions = new Set<BridgeSession>();
  const sockets = new Set<WebSocket>();
  // Filled in once the port is known.
  let policy: UpgradePolicy = { hosts: new Set(), tokenDigest: digestToken(token), allowMissingOrigin: options.allowMissingOrigin ?? false };
  let headers: Record<string, string> = {};

  // closeTimeout (ws ≥ 8.19) is missing from @types/ws; it bounds a close handshake.
  const wsOptions: ServerOptions & { closeTimeout: number } = {
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: limits.maxFrameBytes,
    closeTimeout: 5_000,
    // The token entry is never echoed back: only the bridge protocol is selected.
    handleProtocols: (offered) => (offered.has(WS_BRIDGE_PROTOCOL) ? WS_BRIDGE_PROTOCOL : false),
  };
  const wss = new WebSocketServer(wsOptions);

  const server: Server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16 * 1024 }, (req, res) => {
    void onRequest(req, res).catch((e: unknown) => {
      log.error('headless request failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) {
        res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal error\n');
      } else {
        res.destroy();
      }
    });
  });
  server.on('clientError', (_e, socket: Duplex) => socket.destroy());

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, policy)) {
      stats.refusedRequests++;
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Host not allowed\n');
      return;
    }
    await staticFiles.handle(req, res, headers);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const verdict = checkUpgrade({ url: req.url, host: req.headers.host, origin: req.headers.origin, protocols: req.headers['sec-websocket-protocol'] }, policy);
    if (!verdict.ok) {
      refuseUpgrade(socket, verdict.status, verdict.code);
      return;
    }
    if (sessions.size >= limits.maxSessions) {
      refuseUpgrade(socket, 503, 'too_many_sessions');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => accept(ws));
  });

  let lastRefusalLog = 0;
  function refuseUpgrade(socket: Duplex, status: number, code: RefusalCode | 'too_many_sessions'): void {
    stats.refusedUpgrades[code] = (stats.refusedUpgrades[code] ?? 0) + 1;
    // At most one line a second: a local attacker must not be able to flood the log.
    if (Date.now() - lastRefusalLog > 1_000) {
      lastRefusalLog = Date.now();
      log.warn('bridge connection refused', { status, code });
    }
    const body = `${code}\n`;
    socket.end(`HTTP/1.1 ${status} ${code}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  }

  function accept(ws: WebSocket): void {
    const session = new BridgeSession(ws, {
      dispatch: options.core.dispatch,
      limits,
      logger: log,
      now: () => Date.now(),
      onStrike: () => {
        stats.badFrames++;
      },
    });
    sessions.add(session);
    sockets.add(ws);
    stats.acceptedSessions++;
    stats.sessions = sessions.size;
    ws.on('error', (e) => log.debug('bridge socket error', { error: e.message }));
    ws.on('close', () => {
      sessions.delete(session);
      sockets.delete(ws);
      stats.sessions = sessions.size;
    });
  }

  // Core events go to every connected dashboard, serialised once. No sessions: dropped.
  const unsubscribe = EVENT_NAMES.map((name: EventName) =>
    options.core.on(name, (payload) => {
      if (sessions.size === 0) return;
      let frame: string;
      try {
        frame = JSON.stringify({ type: 'event', name, payload });
      } catch (e) {
        log.error('bridge event not serialisable', { event: name, error: e instanceof Error ? e.message : String(e) });
        return;
      }
      for (const s of sessions) s.sendEvent(frame);
    }),
  );

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (e) => reject(new HeadlessHostError('LISTEN_FAILED', `Cannot listen on ${bindHost}:${options.port ?? 0}: ${e.message}`, 'Choose another port with --port, or 0 for a free one.', { cause: e })));
    server.listen({ host: bindHost, port: options.port ?? 0 }, () => resolve((server.address() as AddressInfo).port));
  }).catch((e: unknown) => {
    for (const off of unsubscribe) off();
    throw e;
  });
  policy = { ...policy, hosts: allowedHosts(port) };
  headers = securityHeaders(loopbackOrigins(port));
  const heartbeat = setInterval(() => {
    for (const s of sessions) s.heartbeat();
  }, limits.heartbeatMs);
  heartbeat.unref();

  const origin = `http://127.0.0.1:${port}`;
  log.info('headless host listening', { origin, rendererDir: options.rendererDir });

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    stats: () => ({ ...stats, refusedUpgrades: { ...stats.refusedUpgrades } }),
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        for (const off of unsubscribe) off();
        for (const s of sessions) s.close(CLOSE.goingAway, 'host closing');
        // Upgraded sockets are no longer the HTTP server's: give them a moment for the close
        // handshake, then cut whatever is left.
        const deadline = Date.now() + 1_000;
        while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const ws of sockets) ws.terminate();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        wss.close();
        log.info('headless host closed', { origin });
      })();
      return closing;
    },
  };
}
