// One upstream notification channel as the pool tracks it: the platform channel (which can be
// replaced when it dies), its socket, and two topic sets. `desired` is what the pool wants on the
// channel; `confirmed` is what the platform acknowledged. The pool reconciles the two with batched
// REST calls, one call at a time per channel.
import type { TimerHandle } from '../util/clock.ts';
import type { UpstreamChannel, UpstreamSocket } from './upstream-types.ts';

export type ChannelState =
  /** Creating the platform channel or opening its socket for the first time. */
  | 'opening'
  | 'live'
  /** Socket lost; reconnecting or recreating with backoff. */
  | 'recovering'
  /** Replaced by a successor; kept open for the overlap, then closed. */
  | 'retiring'
  | 'closed';

let ordinal = 0;

export class PoolChannel {
  /** Local number for logs and metrics (platform ids change when a channel is recreated). */
  readonly n = ++ordinal;
  state: ChannelState = 'opening';
  info: UpstreamChannel | undefined;
  socket: UpstreamSocket | undefined;
  /** Settles when the current socket has fully closed. */
  socketClosed: Promise<void> | undefined;
  /** Bumped per socket, so callbacks from a replaced socket are recognised as stale. */
  gen = 0;
  readonly desired = new Set<string>();
  readonly confirmed = new Set<string>();
  /** The platform may hold stale subscriptions: the next sync starts with a PUT (replace). */
  needsReplace = false;
  syncing: Promise<void> | undefined;
  lastSeen = 0;
  attempt = 0;
  /** Make-before-break: the channel taking over this one's topics. */
  successor: PoolChannel | undefined;
  /** Set on a successor while it is being built. */
  replacing: PoolChannel | undefined;
  /** When the socket was lost and the topics that may have missed events since then. */
  lost: { since: number; reason: string; topics: Set<string> } | undefined;
  rotateTimer: TimerHandle | undefined;
  /** Resolved by the next `pong` on this channel's socket (the rotation barrier). */
  pongWaiters: Array<() => void> = [];

  constructor(topics: Iterable<string> = []) {
    for (const t of topics) this.desired.add(t);
  }

  /** Counts toward the packing of new topics. */
  get accepting(): boolean {
    return (this.state === 'opening' || this.state === 'live' || this.state === 'recovering') && !this.successor && !this.replacing;
  }

  get label(): string {
    return `ch${this.n}`;
  }

  /** Topics waiting to be added / removed upstream. */
  diff(): { add: string[]; remove: boolean } {
    const add: string[] = [];
    for (const t of this.desired) if (!this.confirmed.has(t)) add.push(t);
    let remove = false;
    for (const t of this.confirmed) {
      if (!this.desired.has(t)) {
        remove = true;
        break;
      }
    }
    return { add, remove };
  }

  /** Marks the socket lost: everything confirmed may have missed events from `since`. */
  markLost(since: number, reason: string): void {
    if (this.lost) {
      for (const t of this.confirmed) this.lost.topics.add(t);
    } else {
      this.lost = { since, reason, topics: new Set(this.confirmed) };
    }
    this.socket = undefined;
    this.gen++;
  }
}
