// Liveness and idleness for every downstream socket, with one relay-wide timer rather than one
// per client (notes/wsrelay.md §7.3: per-client timers cost memory and wake-ups). Pings are
// spread over the interval: the timer ticks ROUND_TICKS times a round and each tick pings the
// sessions whose serial falls in its slot, so every client is pinged once per `pingIntervalMs`
// and no tick sends more than about 1/ROUND_TICKS of them. A single 10k-ping sweep held the loop
// for ~150 ms and its 10k pongs came back at once, delaying every event in flight. Each tick's
// batch is checked `pongTimeoutMs` after its pings; idle sessions are closed in the same walk.
// Walking the live set each tick (~0.1 ms at 10k) keeps no closed session alive, as a
// per-round snapshot would for up to a whole round.
import { every, type Clock, type TimerHandle } from '../util/clock.ts';
import { CLOSE } from './close-codes.ts';
import { CompatSocket, type CompatRegistry } from './compat-channels.ts';
import type { Connection } from './connection.ts';
import type { DeliveryStats } from './delivery-stats.ts';
import { compatEncode } from './protocol.ts';
import { textFrameOf } from './wire.ts';

export interface HeartbeatOptions {
  clock: Clock;
  connections: () => Iterable<Connection>;
  compat: CompatRegistry;
  stats: DeliveryStats;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  idleTimeoutMs: number;
  compatHeartbeatMs: number;
}

/** Ticks per ping round (one every 250 ms at the default 25 s interval). */
export const ROUND_TICKS = 100;

const SLICE = 500;

/** Runs `fn` over a snapshot of `items`, SLICE at a time, yielding between slices. */
async function sliced<T>(items: Iterable<T>, fn: (item: T) => void): Promise<void> {
  const list = [...items];
  for (let i = 0; i < list.length; i += SLICE) {
    if (i > 0) await new Promise<void>((r) => setImmediate(r));
    for (const item of list.slice(i, i + SLICE)) fn(item);
  }
}

interface PongCheck {
  dueAt: number;
  pinged: Connection[];
}

export class Heartbeat {
  readonly #o: HeartbeatOptions;
  #timer: TimerHandle | undefined;
  #compat: TimerHandle | undefined;
  /** The slot this tick serves, and the batches awaiting their pong check. */
  #slot = 0;
  #checks: PongCheck[] = [];

  constructor(opts: HeartbeatOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#slot = 0;
    const { clock, pingIntervalMs, compatHeartbeatMs } = this.#o;
    if (pingIntervalMs > 0) this.#timer = every(clock, pingIntervalMs / ROUND_TICKS, () => this.#tick());
    if (compatHeartbeatMs > 0) this.#compat = every(clock, compatHeartbeatMs, () => this.#compatBeat());
  }

  stop(): void {
    this.#timer?.cancel();
    this.#compat?.cancel();
    this.#checks = [];
  }

  #compatBeat(): void {
    // One frame for every compat socket, not one encoding per socket.
    const beat = textFrameOf(compatEncode.heartbeat());
    void sliced(this.#o.connections(), (c) => {
      if (c instanceof CompatSocket) c.pushControl(beat);
    });
  }

  /**
   * One tick: drop the clients of a batch whose pong is overdue, then close idle sessions and ping
   * those in this tick's slot. A round starts with compat-channel expiry.
   */
  #tick(): void {
    const now = this.#o.clock.now();
    while (this.#checks.length > 0 && this.#checks[0]!.dueAt <= now) {
      for (const c of this.#checks.shift()!.pinged) {
        if (c.open && c.awaitingPong) {
          this.#o.stats.closes.noPong++;
          c.terminate();
        }
      }
    }
    const slot = this.#slot;
    this.#slot = (slot + 1) % ROUND_TICKS;
    if (slot === 0) this.#o.compat.sweep();
    const pinged: Connection[] = [];
    for (const c of this.#o.connections()) {
      if (c.serial % ROUND_TICKS !== slot || !c.open) continue;
      if (c instanceof CompatSocket) c.refreshIdle(now);
      if (c.emptySince !== undefined && now - c.emptySince >= this.#o.idleTimeoutMs) {
        this.#o.stats.closes.idle++;
        c.close(CLOSE.idle);
        continue;
      }
      c.sendPing();
      pinged.push(c);
    }
    if (pinged.length > 0) this.#checks.push({ dueAt: now + this.#o.pongTimeoutMs, pinged });
  }
}
