// One downstream WebSocket and its outbound path. Frames go straight to the socket while it keeps
// up; once the socket holds `WRITE_HIGH_WATER` bytes, they wait in a bounded ClientQueue (which
// coalesces latest-wins topics) and are written as the socket drains. A client over its bound is
// closed with 4008 without slowing anyone else (notes/wsrelay.md §2.1, §7.3).
//
// Frames arrive pre-built (wire.ts) and are written to the TCP socket under `ws` directly: one
// write of one shared buffer per recipient, about half the user-space cost of ws.send. This is
// safe because ws only queues frames while compressing (off here) or sending Blobs (never), so
// its own frames (pings, close) and ours reach the socket in call order.
import type { Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import type { Clock } from '../util/clock.ts';
import { ClientQueue, type QueueLimits } from './client-queue.ts';
import { CLOSE, type CloseSpec } from './close-codes.ts';
import type { DeliveryStats } from './delivery-stats.ts';
import { TokenBucket, type RateLimitOptions } from '../util/token-bucket.ts';
import { StrikeCounter } from './rate-limiter.ts';
import { framePayload, textFrameOf } from './wire.ts';

/** Bytes the socket may buffer before frames wait in our queue (where they can be coalesced). */
export const WRITE_HIGH_WATER = 64 * 1024;

// Buffers are sent as text frames; the same options object is reused for every send.
const TEXT = { binary: false, compress: false, fin: true } as const;

export interface ConnectionDeps {
  clock: Clock;
  stats: DeliveryStats;
  queueLimits: QueueLimits;
  rate: RateLimitOptions;
  malformed: { limit: number; windowMs: number };
  /** Called once when the socket has closed. */
  closed(conn: Connection): void;
}

const OPEN = 0;
const CLOSING = 1;
const CLOSED = 2;

/** Who a connection is: the relay numbers them in creation order and names them from the number. */
export interface ConnectionIdentity {
  id: string;
  serial: number;
}

export abstract class Connection {
  readonly id: string;
  /** Creation order within the relay; the heartbeat spreads its pings by it. */
  readonly serial: number;
  readonly ws: WebSocket;
  /** The TCP socket under ws; undefined if a future ws hides it (then ws.send is used). */
  readonly #socket: Socket | undefined;
  protected readonly deps: ConnectionDeps;
  #state = OPEN;
  #queue: ClientQueue | undefined;
  #armed = false;
  readonly #bucket: TokenBucket;
  #strikes: StrikeCounter | undefined;
  /** Set by the heartbeat when it pings; a pong clears it. */
  awaitingPong = false;
  /** Since when the connection has had no subscriptions (undefined while it has some). */
  emptySince: number | undefined;

  constructor(identity: ConnectionIdentity, ws: WebSocket, deps: ConnectionDeps) {
    this.id = identity.id;
    this.serial = identity.serial;
    this.ws = ws;
    const raw = (ws as unknown as { _socket?: unknown })._socket;
    this.#socket = raw && typeof (raw as Socket).write === 'function' && typeof (raw as Socket).writableLength === 'number' ? (raw as Socket) : undefined;
    this.deps = deps;
    const now = deps.clock.now();
    this.#bucket = new TokenBucket(deps.rate, now);
    this.emptySince = now;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    ws.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') deps.stats.closes.tooBig++;
    });
    ws.on('close', () => this.#onClose());
  }

  get open(): boolean {
    return this.#state === OPEN;
  }

  /** Bytes the socket holds that the kernel has not taken yet. */
  #buffered(): number {
    return this.#socket ? this.#socket.writableLength : this.ws.bufferedAmount;
  }

  /** Bytes waiting for this client: in our queue and in the socket's buffer. */
  get depth(): number {
    return (this.#queue?.bytes ?? 0) + this.#buffered();
  }

  /** Handles one text frame from the client. */
  protected abstract onText(text: string): void;
  /** The client is going away: drop its subscriptions now, before the socket finishes closing. */
  protected abstract onClosing(): void;
  /** Answers a malformed frame (relay protocol: an error frame; compat: nothing). */
  protected abstract onMalformed(code: string, message: string): void;

  /** Queues a frame (from wire.ts); `arrivedAt` feeds the delivery-latency metric. */
  push(topic: string, frame: Buffer, latestWins: boolean, arrivedAt: number): void {
    if (this.#state !== OPEN) return;
    const q = this.#queue;
    if (q === undefined || q.length === 0) {
      const buffered = this.#buffered();
      if (buffered < WRITE_HIGH_WATER) {
        this.#write(frame, buffered);
        if (arrivedAt >= 0) this.deps.stats.delivered(arrivedAt);
        return;
      }
    }
    const queue = (this.#queue ??= new ClientQueue(this.deps.queueLimits));
    const outcome = queue.push({ topic, frame, bytes: frame.length, latestWins, arrivedAt }, this.#buffered());
    if (outcome === 'coalesced') this.deps.stats.coalesced++;
    else if (outcome === 'overflow') {
      // This frame and everything still queued for the client are lost with it.
      this.deps.stats.dropped += 1 + queue.length;
      this.deps.stats.closes.slowConsumer++;
      queue.clear();
      this.close(CLOSE.slowConsumer);
      return;
    }
    if (!this.#armed) this.#flush();
  }

  /** Control frames (acks, gaps, pongs, errors) share the event path so ordering holds. */
  pushText(text: string): void {
    this.pushControl(textFrameOf(text));
  }

  /** A control frame built once (wire.ts) for many sockets, like the compat heartbeat. */
  pushControl(frame: Buffer): void {
    this.push('', frame, false, -1);
  }

  #write(frame: Buffer, buffered: number): void {
    // A write that fills the socket gets a callback (run once it reaches the kernel) that resumes the queue.
    const cb = !this.#armed && buffered + frame.length >= WRITE_HIGH_WATER ? this.#onFlushed : undefined;
    if (cb) this.#armed = true;
    if (this.#socket) this.#socket.write(frame, cb);
    else this.ws.send(framePayload(frame), TEXT, cb);
  }

  readonly #onFlushed = (err?: Error | null): void => {
    this.#armed = false;
    if (!err) this.#flush();
  };

  #flush(): void {
    const q = this.#queue;
    if (!q) return;
    while (this.#state === OPEN && q.length > 0) {
      const buffered = this.#buffered();
      if (buffered >= WRITE_HIGH_WATER && this.#armed) return;
      const item = q.shift()!;
      this.#write(item.frame, buffered);
      if (item.arrivedAt >= 0) this.deps.stats.delivered(item.arrivedAt);
    }
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#state !== OPEN) return;
    if (!this.#bucket.take(this.deps.clock.now())) {
      this.deps.stats.closes.rateLimited++;
      this.close(CLOSE.rateLimited);
      return;
    }
    if (isBinary) {
      this.malformed('binary', 'binary frames are not part of the protocol');
      return;
    }
    this.onText(Array.isArray(data) ? Buffer.concat(data).toString() : data.toString());
  }

  protected malformed(code: string, message: string): void {
    const { limit, windowMs } = this.deps.malformed;
    if ((this.#strikes ??= new StrikeCounter(limit, windowMs)).record(this.deps.clock.now())) {
      this.deps.stats.closes.malformed++;
      this.close(CLOSE.malformed);
      return;
    }
    this.onMalformed(code, message);
  }

  sendPing(): void {
    if (this.#state !== OPEN) return;
    this.awaitingPong = true;
    this.ws.ping();
  }

  close(spec: CloseSpec): void {
    if (this.#state !== OPEN) return;
    this.#state = CLOSING;
    this.onClosing();
    this.ws.close(spec.code, spec.reason);
  }

  /**
   * Drain: write everything still queued in one corked batch (a single writev; the frames are
   * already in memory, so nothing is copied), then close. With `flush` false (the drain is out of
   * time) the queue is dropped, but the client still gets its close code.
   */
  drain(spec: CloseSpec, flush = true): void {
    if (this.#state !== OPEN) return;
    const q = this.#queue;
    if (q && q.length > 0 && !flush) {
      this.deps.stats.dropped += q.length;
      q.clear();
    } else if (q && q.length > 0) {
      this.#socket?.cork();
      for (let item = q.shift(); item; item = q.shift()) {
        if (this.#socket) this.#socket.write(item.frame);
        else this.ws.send(framePayload(item.frame), TEXT);
        if (item.arrivedAt >= 0) this.deps.stats.delivered(item.arrivedAt);
      }
      this.#socket?.uncork();
    }
    this.close(spec);
  }

  terminate(): void {
    if (this.#state === OPEN) {
      this.#state = CLOSING;
      this.onClosing();
    }
    this.ws.terminate();
  }

  #onClose(): void {
    if (this.#state === CLOSED) return;
    if (this.#state === OPEN) this.onClosing();
    this.#state = CLOSED;
    this.#queue?.clear();
    this.#queue = undefined;
    this.deps.closed(this);
  }
}

