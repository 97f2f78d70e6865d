// Liveness of upstream sockets: the platform sends a heartbeat about every 30 s (notes/genesys.md
// C.2). A channel quiet for `pingAfterMs` is pinged; one quiet for `silenceTimeoutMs` is treated
// as lost and reconnected, because a half-open TCP connection can stay "open" for hours.
import type { Clock, TimerHandle } from '../util/clock.ts';
import type { PoolChannel } from './pool-channel.ts';

export interface WatchdogOptions {
  clock: Clock;
  channels: Set<PoolChannel>;
  pingAfterMs: number;
  silenceTimeoutMs: number;
  lost(ch: PoolChannel, why: string): void;
}

export class PoolWatchdog {
  readonly #o: WatchdogOptions;
  #timer: TimerHandle | undefined;
  #running = false;

  constructor(opts: WatchdogOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
  }

  #arm(): void {
    const every = Math.max(1000, Math.min(this.#o.pingAfterMs, this.#o.silenceTimeoutMs) / 3);
    this.#timer = this.#o.clock.setTimeout(() => {
      this.check();
      if (this.#running) this.#arm();
    }, every);
  }

  check(): void {
    const now = this.#o.clock.now();
    for (const ch of this.#o.channels) {
      if (ch.state !== 'live' || !ch.socket) continue;
      const silent = now - ch.lastSeen;
      if (silent > this.#o.silenceTimeoutMs) this.#o.lost(ch, `no traffic for ${Math.round(silent / 1000)} s`);
      else if (silent > this.#o.pingAfterMs) ch.socket.send('{"message":"ping"}');
    }
  }
}
