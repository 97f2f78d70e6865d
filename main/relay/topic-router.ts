// Topic → local subscribers. Each unique topic is asked of the upstream pool exactly once; when
// its last subscriber leaves, the upstream subscription is dropped after a linger (dashboards that
// reload come straight back). Upstream events fan out from here; gaps and refusals are routed to
// the subscribers they concern.
import type { Clock, TimerHandle } from '../util/clock.ts';
import { encode, type RejectReason, type RejectedTopic } from './protocol.ts';
import type { EventFrames, FanoutScheduler, FanoutTarget, FanoutTopic, Job } from './fanout.ts';
import { textFrameOf } from './wire.ts';

export interface Subscriber extends FanoutTarget {
  notifyGap(topics: string[], reason: string, since: number): void;
  /** The relay dropped these subscriptions (refused upstream after the ack went out). */
  notifyRevoked(topics: string[], reason: RejectReason): void;
}

/** The upstream side as the router sees it (the pool). */
export interface TopicSource {
  add(topic: string): void;
  remove(topic: string): void;
}

export interface SubscribeResult {
  live: string[];
  /** Accepted but not yet live upstream; a `gap` marker follows when each goes live. */
  pending: string[];
  rejected: RejectedTopic[];
}

type Settle = (topic: string, outcome: 'live' | RejectReason) => void;

class TopicEntry implements FanoutTopic {
  readonly topic: string;
  readonly latestWins: boolean;
  readonly subs = new Set<Subscriber>();
  #list: readonly Subscriber[] | undefined;
  state: 'pending' | 'live' = 'pending';
  seq = 0;
  /** Subscribers whose subscribe call is still waiting for this topic to settle. */
  waiters: Map<Subscriber, Settle> | undefined;
  toldPending: Set<Subscriber> | undefined;
  linger: TimerHandle | undefined;
  active: Job | undefined;
  backlog: Job[] | undefined;

  constructor(topic: string, latestWins: boolean) {
    this.topic = topic;
    this.latestWins = latestWins;
  }

  subscribers(): readonly Subscriber[] {
    return (this.#list ??= [...this.subs]);
  }

  add(s: Subscriber): void {
    if (!this.subs.has(s)) {
      this.subs.add(s);
      this.#list = undefined;
    }
  }

  delete(s: Subscriber): void {
    if (this.subs.delete(s)) this.#list = undefined;
    this.toldPending?.delete(s);
    this.waiters?.delete(s);
  }
}

class Frames implements EventFrames {
  readonly #topic: string;
  readonly #seq: number;
  readonly #body: unknown;
  readonly #cid: string | undefined;
  readonly #text: string;
  #relay: Buffer | undefined;
  #compat: Buffer | undefined;

  constructor(topic: string, seq: number, body: unknown, cid: string | undefined, text: string) {
    this.#topic = topic;
    this.#seq = seq;
    this.#body = body;
    this.#cid = cid;
    this.#text = text;
  }

  relayFrame(): Buffer {
    return (this.#relay ??= textFrameOf(encode.event(this.#topic, this.#seq, this.#body, this.#cid)));
  }

  compatFrame(): Buffer {
    return (this.#compat ??= textFrameOf(this.#text));
  }
}

export interface RouterOptions {
  clock: Clock;
  fanout: FanoutScheduler;
  /** Wait before unsubscribing upstream after the last local subscriber left (default 30 s). */
  lingerMs: number;
  /** Longest wait for upstream before a subscribe is acknowledged with `pending` topics (default 5 s). */
  ackTimeoutMs: number;
}

export class TopicRouter {
  readonly #o: RouterOptions;
  readonly #entries = new Map<string, TopicEntry>();
  #source: TopicSource | undefined;

  constructor(opts: RouterOptions) {
    this.#o = opts;
  }

  attach(source: TopicSource): void {
    this.#source = source;
  }

  /** Unique topics with at least one subscriber or lingering. */
  get topicCount(): number {
    return this.#entries.size;
  }

  /** Subscribes `sub` to already-allowed topics; resolves when all are live/refused or on ack timeout. */
  subscribe(sub: Subscriber, topics: ReadonlyArray<{ topic: string; latestWins: boolean }>): Promise<SubscribeResult> {
    const live: string[] = [];
    const waiting: TopicEntry[] = [];
    for (const { topic, latestWins } of topics) {
      let entry = this.#entries.get(topic);
      if (!entry) {
        entry = new TopicEntry(topic, latestWins);
        this.#entries.set(topic, entry);
        this.#source?.add(topic);
      }
      entry.linger?.cancel();
      entry.linger = undefined;
      entry.add(sub);
      if (entry.state === 'live') live.push(topic);
      else waiting.push(entry);
    }
    if (waiting.length === 0) return Promise.resolve({ live, pending: [], rejected: [] });
    return new Promise((resolve) => {
      const rejected: RejectedTopic[] = [];
      const open = new Set(waiting);
      const timer = this.#o.clock.setTimeout(() => finish(), this.#o.ackTimeoutMs);
      const finish = (): void => {
        timer.cancel();
        const pending = [...open].map((e) => e.topic);
        for (const e of open) if (e.subs.has(sub)) (e.toldPending ??= new Set()).add(sub);
        open.clear();
        resolve({ live, pending, rejected });
      };
      for (const entry of waiting) {
        (entry.waiters ??= new Map()).set(sub, (topic: string, outcome: 'live' | RejectReason) => {
          if (!open.delete(entry)) return;
          if (outcome === 'live') live.push(topic);
          else rejected.push({ topic, reason: outcome });
          if (open.size === 0) finish();
        });
      }
    });
  }

  unsubscribe(sub: Subscriber, topics: Iterable<string>): void {
    for (const topic of topics) {
      const entry = this.#entries.get(topic);
      if (!entry) continue;
      entry.delete(sub);
      if (entry.subs.size === 0 && !entry.linger) this.#startLinger(entry);
    }
  }

  #startLinger(entry: TopicEntry): void {
    const release = () => {
      entry.linger = undefined;
      if (entry.subs.size > 0 || this.#entries.get(entry.topic) !== entry) return;
      this.#entries.delete(entry.topic);
      this.#source?.remove(entry.topic);
    };
    if (this.#o.lingerMs <= 0) release();
    else entry.linger = this.#o.clock.setTimeout(release, this.#o.lingerMs);
  }

  // ---- called by the upstream pool ---------------------------------------------------------

  topicLive(topic: string): void {
    const entry = this.#entries.get(topic);
    if (!entry || entry.state === 'live') return;
    entry.state = 'live';
    const waiters = entry.waiters;
    entry.waiters = undefined;
    for (const w of waiters?.values() ?? []) w(topic, 'live');
    // Clients already told "pending" learn that events flow from now on, and none before.
    const told = entry.toldPending;
    entry.toldPending = undefined;
    for (const s of told ?? []) if (entry.subs.has(s)) s.notifyGap([topic], 'subscribed-late', this.#o.clock.now());
  }

  topicRefused(topic: string, reason: RejectReason): void {
    const entry = this.#entries.get(topic);
    if (!entry) return;
    this.#entries.delete(topic);
    entry.linger?.cancel();
    const waiters = entry.waiters;
    entry.waiters = undefined;
    // Callers still waiting hear it in their ack; everyone else (told pending, or already live
    // and now refused on a resubscribe) gets a revocation.
    for (const s of entry.subs) {
      const w = waiters?.get(s);
      if (w) w(topic, reason);
      else s.notifyRevoked([topic], reason);
    }
  }

  /** Upstream events for these topics may have been lost; tell each subscriber once. */
  gap(topics: Iterable<string>, reason: string, since: number): void {
    const per = new Map<Subscriber, string[]>();
    for (const topic of topics) {
      const entry = this.#entries.get(topic);
      if (!entry || entry.state !== 'live') continue;
      for (const s of entry.subs) {
        const list = per.get(s);
        if (list) list.push(topic);
        else per.set(s, [topic]);
      }
    }
    for (const [s, list] of per) s.notifyGap(list, reason, since);
  }

  /** The router's own copy of a topic string, so 10k sessions share one string per topic. */
  canonical(topic: string): string {
    return this.#entries.get(topic)?.topic ?? topic;
  }

  /** True when a topic still has local subscribers (or lingers): the pool should keep it. */
  wants(topic: string): boolean {
    return this.#entries.has(topic);
  }

  event(topic: string, body: unknown, correlationId: string | undefined, text: string, arrivedAt: number): void {
    const entry = this.#entries.get(topic);
    // Nobody local wants the topic any more (lingering, or already gone).
    if (!entry || entry.subs.size === 0) return;
    entry.seq++;
    this.#o.fanout.publish(entry, new Frames(topic, entry.seq, body, correlationId, text), arrivedAt);
  }
}
