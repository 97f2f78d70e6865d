// The streaming WebSocket at a channel's connectUri (notes C.2): heartbeats on `channel.metadata`
// every 30 s (simulator clock), `{"message":"ping"}` answered with a pong, and
// `v2.system.socket_closing` sent ahead of a planned close. Frames the client sends that are not a
// ping are ignored, as the platform does; nothing a client sends can throw out of here.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock, type TimerHandle } from '../../util/clock.ts';
import type { Logger } from '../../util/log.ts';
import type { ChannelRecord, ChannelRegistry, ChannelSink } from './channel-registry.ts';
import { CLOSE } from './channel-registry.ts';
import { envelope, heartbeat, pong, SOCKET_CLOSING_TOPIC } from './topics.ts';

export interface SocketServerOptions {
  clock: Clock;
  registry: ChannelRegistry;
  logger: Logger;
  heartbeatMs: number;
  /** Largest frame a client may send; bigger ones close the socket with 1009. */
  maxPayload: number;
  hooks: { connected(): void; heartbeat(): void; pong(): void };
}

interface Connection {
  ws: WebSocket;
  channel: ChannelRecord;
  sink: ChannelSink;
  heartbeat?: TimerHandle;
  closing?: TimerHandle;
}

const CHANNEL_PATH = /^\/channels\/([A-Za-z0-9_-]{1,100})\/?$/;

function refuse(socket: Duplex, status: number, text: string): void {
  const body = JSON.stringify({ message: text, code: status === 404 ? 'not.found' : 'bad.request', status });
  socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export class SocketServer {
  readonly #o: SocketServerOptions;
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<Connection>();

  constructor(opts: SocketServerOptions) {
    this.#o = opts;
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload, perMessageDeflate: false });
  }

  /** `upgrade` handler for the HTTP(S) server. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0] ?? '';
    const m = CHANNEL_PATH.exec(path);
    const channel = m ? this.#o.registry.get(m[1] as string) : undefined;
    if (!channel) {
      refuse(socket, 404, 'The requested channel was not found or has expired.');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, channel));
  }

  #accept(ws: WebSocket, channel: ChannelRecord): void {
    const conn: Connection = {
      ws,
      channel,
      sink: {
        send: (event) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
        },
        close: (code, reason) => this.#close(conn, code, reason),
      },
    };
    this.#connections.add(conn);
    this.#o.registry.attach(channel, conn.sink);
    this.#o.hooks.connected();
    ws.on('error', (e) => this.#o.logger.debug('sim websocket error', { error: e.message }));
    ws.on('message', (data, isBinary) => this.#onMessage(conn, data, isBinary));
    ws.on('close', () => this.#forget(conn));
    this.#armHeartbeat(conn);
  }

  #onMessage(conn: Connection, data: unknown, isBinary: boolean): void {
    if (isBinary) return;
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if (msg && typeof msg === 'object' && (msg as { message?: unknown }).message === 'ping') {
      this.#o.registry.touch(conn.channel);
      conn.sink.send(pong());
      this.#o.hooks.pong();
    }
  }

  #armHeartbeat(conn: Connection): void {
    conn.heartbeat = this.#o.clock.setTimeout(() => {
      if (!this.#connections.has(conn)) return;
      // A heartbeat is also when a channel that died quietly (token expired) gets noticed.
      if (this.#o.registry.get(conn.channel.id) !== conn.channel) {
        this.#close(conn, CLOSE.channelGone.code, CLOSE.channelGone.reason);
        return;
      }
      conn.sink.send(heartbeat());
      this.#o.hooks.heartbeat();
      this.#armHeartbeat(conn);
    }, this.#o.heartbeatMs);
  }

  /**
   * Planned close: sends `v2.system.socket_closing`, then closes after `graceMs` (simulator clock).
   * The channel and its subscriptions survive; clients reconnect to the same connectUri.
   */
  socketClosing(channelId: string | undefined, graceMs: number): number {
    let n = 0;
    for (const conn of this.#connections) {
      if (channelId !== undefined && conn.channel.id !== channelId) continue;
      if (conn.closing) continue;
      conn.sink.send(
        envelope(SOCKET_CLOSING_TOPIC, { channelId: conn.channel.id, message: 'WebSocket is closing; reconnect to the same connectUri.', reason: 'maintenance' }, conn.channel.id),
      );
      conn.closing = this.#o.clock.setTimeout(() => this.#close(conn, CLOSE.planned.code, CLOSE.planned.reason), graceMs);
      n++;
    }
    return n;
  }

  #close(conn: Connection, code: number, reason: string): void {
    if (!this.#connections.has(conn)) return;
    this.#forget(conn);
    try {
      conn.ws.close(code, reason);
    } catch {
      conn.ws.terminate();
    }
    // A peer that never answers the close handshake is cut off (wall clock, unref'd).
    systemClock.setTimeout(() => conn.ws.terminate(), 2000);
  }

  #forget(conn: Connection): void {
    if (!this.#connections.delete(conn)) return;
    conn.heartbeat?.cancel();
    conn.closing?.cancel();
    this.#o.registry.detach(conn.channel, conn.sink);
  }

  /** Closes every socket with 1001 (terminating peers that do not answer within 1 s) and the server. */
  async close(): Promise<void> {
    const conns = [...this.#connections];
    const closed = conns.map((c) => new Promise<void>((resolve) => (c.ws.readyState === c.ws.CLOSED ? resolve() : c.ws.once('close', () => resolve()))));
    for (const conn of conns) {
      this.#forget(conn);
      conn.ws.close(CLOSE.shutdown.code, CLOSE.shutdown.reason);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
    for (const conn of conns) conn.ws.terminate();
    this.#wss.close();
  }
}
