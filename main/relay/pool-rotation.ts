// Make-before-break rotation of pool channels (notes/wsrelay.md §5), one channel at a time so the
// pool never holds more than its cap: 1. create a successor channel; 2. subscribe it to the same
// topics; 3. wait until the old socket answers a ping, so everything published before the new
// subscription has been read from it; switch delivery; 4. keep the old socket for the overlap,
// then close it. Triggered by channel expiry, token rotation, or a request.
import type { Clock } from '../util/clock.ts';
import { sleep } from '../util/clock.ts';
import { PoolChannel } from './pool-channel.ts';

export interface RotationHost {
  clock: Clock;
  random: () => number;
  signal: AbortSignal;
  maxChannels: number;
  overlapMs: number;
  rotateBeforeExpiryMs: number;
  channels: Set<PoolChannel>;
  isStopped(): boolean;
  /** Starts creating, connecting and subscribing `ch`. */
  open(ch: PoolChannel): void;
  whenSynced(ch: PoolChannel): Promise<void>;
  close(ch: PoolChannel, why: string): Promise<void>;
  recover(ch: PoolChannel, why: string, recreate: boolean): void;
  /** Moves the old channel's topics to `succ` (step 3). */
  switchTo(old: PoolChannel, succ: PoolChannel, why: string): void;
}

export class PoolRotations {
  readonly #h: RotationHost;
  #queue: Array<{ ch: PoolChannel; why: string }> = [];
  #running = false;

  constructor(host: RotationHost) {
    this.#h = host;
  }

  /** Rotates `ch` a little before the platform expires it (jittered, so channels spread out). */
  scheduleExpiry(ch: PoolChannel): void {
    ch.rotateTimer?.cancel();
    if (!ch.info) return;
    const h = this.#h;
    const jitter = h.random() * Math.min(60_000, h.rotateBeforeExpiryMs / 4);
    const wait = Math.max(0, ch.info.expiresAt - h.clock.now() - h.rotateBeforeExpiryMs + jitter);
    ch.rotateTimer = h.clock.setTimeout(() => this.request(ch, 'expiry'), wait);
  }

  requestAll(why: string): void {
    for (const ch of this.#h.channels) if (ch.state === 'live' && !ch.replacing && !ch.successor) this.request(ch, why);
  }

  request(ch: PoolChannel, why: string): void {
    if (this.#h.isStopped() || this.#queue.some((r) => r.ch === ch)) return;
    this.#queue.push({ ch, why });
    void this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let next = this.#queue.shift(); next && !this.#h.isStopped(); next = this.#queue.shift()) await this.#rotate(next.ch, next.why);
    } finally {
      this.#running = false;
    }
  }

  async #rotate(old: PoolChannel, why: string): Promise<void> {
    const h = this.#h;
    if (old.state !== 'live' || old.successor || old.replacing) return;
    if (h.channels.size >= h.maxChannels) {
      // No room for an overlap (maxChannels 1, or the reserve is in use): break before make.
      h.recover(old, `rotation (${why}) without overlap`, true);
      return;
    }
    const succ = new PoolChannel(old.desired);
    succ.replacing = old;
    old.successor = succ;
    h.channels.add(succ);
    h.open(succ);
    await h.whenSynced(succ);
    if (h.isStopped() || succ.state === 'closed') {
      old.successor = undefined;
      return;
    }
    await pingBarrier(old, h.clock);
    h.switchTo(old, succ, why);
    old.state = 'retiring';
    old.desired.clear();
    try {
      await sleep(h.clock, h.overlapMs, h.signal);
    } catch {
      // stopping: the pool closes everything
    }
    await h.close(old, 'rotated');
  }
}

/** Pings `ch` and resolves on its pong (or after 2 s, or at once if it has no socket). */
export function pingBarrier(ch: PoolChannel, clock: Clock): Promise<void> {
  const socket = ch.socket;
  if (!socket || ch.state !== 'live') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      timer.cancel();
      resolve();
    };
    const timer = clock.setTimeout(() => {
      ch.pongWaiters = ch.pongWaiters.filter((w) => w !== done);
      resolve();
    }, 2000);
    ch.pongWaiters.push(done);
    socket.send('{"message":"ping"}');
  });
}
