// Liveness of upstream sockets: the platform sends a heartbeat about every 30 s (notes/genesys.md
// C.2). A channel quiet for `pingAfterMs` is pinged; one quiet for `silenceTimeoutMs` is treated
// as lost and reconnected, because a half-open TCP connection can stay "open" for hours.
import { every, type Clock, type TimerHandle } from '../util/clock.ts';
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

  constructor(opts: WatchdogOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#timer?.cancel();
    const interval = Math.max(1000, Math.min(this.#o.pingAfterMs, this.#o.silenceTimeoutMs) / 3);
    this.#timer = every(this.#o.clock, interval, () => this.check());
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
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
