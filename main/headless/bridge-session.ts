// One dashboard connection on the headless host's bridge socket. Every frame is size-capped (by
// ws), rate-limited, parsed and checked against WsClientFrameSchema before core.dispatch sees it;
// a bad frame gets an error result, and repeated bad frames close the socket. The session only
// ever reads core through dispatch, so whatever a client does, core is unaffected.
import type { RawData, WebSocket } from 'ws';
import { WsClientFrameSchema, type BridgeError, type Result, type WsServerFrame } from '../../preload/contract.ts';
import type { BridgeDispatch } from '../core/bridge-dispatch.ts';
import type { Logger } from '../util/log.ts';
import { TokenBucket } from '../util/token-bucket.ts';

export interface SessionLimits {
  /** Sustained bridge requests per second per connection, and the burst allowed. */
  ratePerSec: number;
  burst: number;
  /** Bad or over-limit frames tolerated before the socket is closed with 1008. */
  maxStrikes: number;
  /** Requests being served at once per connection; more are answered 'unavailable'. */
  maxInFlight: number;
  /** Outgoing bytes queued on the socket above which the client is too slow and is dropped (1013). */
  maxBufferedBytes: number;
}

export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
  tryAgainLater: 1013,
} as const;

export interface SessionOptions {
  dispatch: BridgeDispatch;
  limits: SessionLimits;
  logger: Logger;
  now: () => number;
  onStrike?: () => void;
}

const errorResult = (code: BridgeError['code'], message: string): Result<never> => ({ ok: false, error: { code, message } });

export class BridgeSession {
  readonly #ws: WebSocket;
  readonly #o: SessionOptions;
  readonly #bucket: TokenBucket;
  #strikes = 0;
  #inFlight = 0;
  #alive = true;

  constructor(ws: WebSocket, opts: SessionOptions) {
    this.#ws = ws;
    this.#o = opts;
    this.#bucket = new TokenBucket({ perSecond: opts.limits.ratePerSec, burst: opts.limits.burst }, opts.now());
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => {
      this.#alive = true;
    });
  }

  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  /** Sends an already serialised event frame; drops a client that cannot keep up. */
  sendEvent(frame: string): void {
    if (!this.open) return;
    if (this.#ws.bufferedAmount > this.#o.limits.maxBufferedBytes) {
      // The page refetches everything when it reconnects, so closing loses nothing but time.
      this.#o.logger.warn('bridge client too slow; closing', { bufferedBytes: this.#ws.bufferedAmount });
      this.#ws.close(CLOSE.tryAgainLater, 'too slow');
      return;
    }
    this.#ws.send(frame);
  }

  /** Heartbeat: terminates a socket that did not answer the previous ping. */
  heartbeat(): void {
    if (!this.open) return;
    if (!this.#alive) {
      this.#ws.terminate();
      return;
    }
    this.#alive = false;
    this.#ws.ping();
  }

  close(code: number, reason: string): void {
    if (this.open) this.#ws.close(code, reason);
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.#strike(-1, 'invalid-request', 'Binary frames are not part of the bridge protocol.');
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(rawText(data));
    } catch {
      this.#strike(-1, 'invalid-request', 'The frame is not valid JSON.');
      return;
    }
    const frame = WsClientFrameSchema.safeParse(raw);
    if (!frame.success) {
      this.#strike(idOf(raw), 'invalid-request', 'The frame is not a bridge request ({ id, method, request }).');
      return;
    }
    const { id, method, request } = frame.data;
    if (!this.#bucket.take(this.#o.now())) {
      this.#strike(id, 'unavailable', 'Too many requests on this connection; slow down.');
      return;
    }
    if (this.#inFlight >= this.#o.limits.maxInFlight) {
      this.#reply(id, errorResult('unavailable', 'Too many requests in progress on this connection.'));
      return;
    }
    this.#inFlight++;
    // dispatch never throws (it turns handler errors into Results); the catch is belt and braces.
    this.#o.dispatch(method, request)
      .catch((e: unknown): Result<never> => {
        this.#o.logger.error('bridge dispatch threw', { method: method.slice(0, 80), error: e instanceof Error ? e.message : String(e) });
        return errorResult('failed', 'Internal error.');
      })
      .then((result) => this.#reply(id, result))
      .finally(() => {
        this.#inFlight--;
      });
  }

  #reply(id: number, result: Result<unknown>): void {
    if (!this.open) return; // the client left; core already did the work, nothing to undo
    const frame: WsServerFrame = { type: 'result', id, result };
    this.#ws.send(JSON.stringify(frame));
  }

  #strike(id: number, code: BridgeError['code'], message: string): void {
    this.#strikes++;
    this.#o.onStrike?.();
    this.#reply(id, errorResult(code, message));
    if (this.#strikes >= this.#o.limits.maxStrikes) {
      this.#o.logger.warn('bridge client sent too many bad frames; closing', { strikes: this.#strikes });
      this.#ws.close(CLOSE.policyViolation, 'too many bad frames');
    }
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** The request id of a frame that failed its schema, when it has a usable one (-1 otherwise). */
function idOf(raw: unknown): number {
  if (raw !== null && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return id;
  }
  return -1;
}
