// Where each upstream topic lives (its home channel) and whether the router has been told it is
// live. Events are accepted only from a topic's home, which is what keeps a topic in order and an
// overlap free of duplicates. Also turns channel recoveries and rotation switches into the `gap`
// markers and `topicLive` calls the router needs.
import type { PoolChannel } from './pool-channel.ts';
import type { PoolSink } from './pool-types.ts';
import type { RejectReason } from './protocol.ts';

export class TopicHomes {
  readonly #home = new Map<string, PoolChannel>();
  readonly #live = new Set<string>();
  readonly #sink: PoolSink;
  readonly #channels: Set<PoolChannel>;

  constructor(sink: PoolSink, channels: Set<PoolChannel>) {
    this.#sink = sink;
    this.#channels = channels;
  }

  get size(): number {
    return this.#home.size;
  }

  has(topic: string): boolean {
    return this.#home.has(topic);
  }

  isLive(topic: string): boolean {
    return this.#live.has(topic);
  }

  isHome(topic: string, ch: PoolChannel): boolean {
    return this.#home.get(topic) === ch;
  }

  place(topic: string, ch: PoolChannel): void {
    this.#home.set(topic, ch);
  }

  /** Forgets a topic; returns the channel it lived on. */
  remove(topic: string): PoolChannel | undefined {
    const ch = this.#home.get(topic);
    this.#home.delete(topic);
    this.#live.delete(topic);
    return ch;
  }

  /** The platform confirmed `topic` on `ch`: tell the router once, if `ch` is its home. */
  confirmed(ch: PoolChannel, topic: string): void {
    if (this.#home.get(topic) !== ch || this.#live.has(topic)) return;
    this.#live.add(topic);
    this.#sink.topicLive(topic);
  }

  /** The platform will not carry `topic`: drop it everywhere and tell the router. */
  refuse(topic: string, reason: RejectReason): void {
    for (const ch of this.#channels) {
      ch.desired.delete(topic);
      ch.confirmed.delete(topic);
    }
    const had = this.#home.delete(topic);
    this.#live.delete(topic);
    if (had) this.#sink.topicRefused(topic, reason);
  }

  /** `ch` is back and fully subscribed: one gap marker for what it may have missed. Returns the count. */
  recovered(ch: PoolChannel): number {
    const lost = ch.lost;
    if (!lost) return 0;
    ch.lost = undefined;
    const topics = [...lost.topics].filter((t) => this.#home.get(t) === ch && ch.confirmed.has(t));
    if (topics.length) this.#sink.gap(topics, lost.reason.startsWith('rotation') ? 'upstream-rotated' : 'upstream-reconnected', lost.since);
    return topics.length;
  }

  /** Make-before-break step 3: the successor becomes home of the old channel's topics. */
  switchTo(old: PoolChannel, succ: PoolChannel): void {
    for (const t of succ.desired) this.#home.set(t, succ);
    succ.replacing = undefined;
    old.successor = undefined;
    for (const t of succ.confirmed) this.confirmed(succ, t);
    if (old.lost) {
      // The old socket died during the rotation: events between its loss and the switch are gone.
      const topics = [...old.lost.topics].filter((t) => succ.confirmed.has(t));
      if (topics.length) this.#sink.gap(topics, 'upstream-rotated', old.lost.since);
    }
  }
}
