// Liveness and idleness for every downstream socket, with a few relay-wide timers rather than one
// per client (notes/wsrelay.md §7.3: timer cost is O(N) per interval either way, but per-client
// timers cost memory and wake-ups). Every `pingIntervalMs` all clients are pinged; `pongTimeoutMs`
// later those that did not answer are dropped. Idle and expired sessions go in the same sweep.
// A ping is a syscall: 10k of them in one go would stall the loop for ~100 ms, so sweeps run in
// slices of SLICE connections with setImmediate between them.
import type { Clock, TimerHandle } from '../util/clock.ts';
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

const SLICE = 500;

/** Runs `fn` over a snapshot of `items`, SLICE at a time, yielding between slices. */
async function sliced<T>(items: Iterable<T>, fn: (item: T) => void): Promise<void> {
  const list = [...items];
  for (let i = 0; i < list.length; i += SLICE) {
    if (i > 0) await new Promise<void>((r) => setImmediate(r));
    for (const item of list.slice(i, i + SLICE)) fn(item);
  }
}

export class Heartbeat {
  readonly #o: HeartbeatOptions;
  #ping: TimerHandle | undefined;
  #check: TimerHandle | undefined;
  #compat: TimerHandle | undefined;
  #running = false;

  constructor(opts: HeartbeatOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#running = true;
    this.#armPing();
    this.#armCompat();
  }

  stop(): void {
    this.#running = false;
    this.#ping?.cancel();
    this.#check?.cancel();
    this.#compat?.cancel();
  }

  #armPing(): void {
    if (this.#o.pingIntervalMs <= 0) return;
    this.#ping = this.#o.clock.setTimeout(() => {
      if (!this.#running) return;
      this.sweep();
      this.#armPing();
    }, this.#o.pingIntervalMs);
  }

  #armCompat(): void {
    if (this.#o.compatHeartbeatMs <= 0) return;
    this.#compat = this.#o.clock.setTimeout(() => {
      if (!this.#running) return;
      // One frame for every compat socket, not one encoding per socket.
      const beat = textFrameOf(compatEncode.heartbeat());
      void sliced(this.#o.connections(), (c) => {
        if (c instanceof CompatSocket) c.pushControl(beat);
      });
      this.#armCompat();
    }, this.#o.compatHeartbeatMs);
  }

  /** One round: close idle sessions, expire compat channels, ping the rest, check pongs later. */
  sweep(): void {
    const now = this.#o.clock.now();
    this.#o.compat.sweep();
    void sliced(this.#o.connections(), (c) => {
      if (!c.open || !this.#running) return;
      if (c instanceof CompatSocket) c.refreshIdle(now);
      if (c.emptySince !== undefined && now - c.emptySince >= this.#o.idleTimeoutMs) {
        this.#o.stats.closes.idle++;
        c.close(CLOSE.idle);
        return;
      }
      c.sendPing();
    });
    this.#check?.cancel();
    this.#check = this.#o.clock.setTimeout(() => {
      for (const c of this.#o.connections()) {
        if (c.open && c.awaitingPong) {
          this.#o.stats.closes.noPong++;
          c.terminate();
        }
      }
    }, this.#o.pongTimeoutMs);
  }
}
