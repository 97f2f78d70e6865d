// Delivers one upstream event to a topic's subscribers. Narrow topics go out inline; wide ones
// (more than `inlineMax` subscribers) are cut into chunks with setImmediate between time slices,
// so the event loop never stalls for long (notes/wsrelay.md §6: one 3,787-wide loop blocked
// 60 ms). Among concurrent wide events the one with the fewest sends left goes first: a
// 1,000-wide event is not held up behind a 7,000-wide one, and mean completion time is minimal.
// Every eighth chunk goes to the oldest event instead, so under overload the widest topics slow
// down but never starve. Events of one topic are never reordered: a topic's next event waits.
import { performance } from 'node:perf_hooks';
import { LogHistogram } from './histogram.ts';

/**
 * One event's WebSocket frames (header included, see wire.ts), each encoded once on first use and
 * then written as-is to every recipient.
 */
export interface EventFrames {
  /** Relay-protocol `event` frame. */
  relayFrame(): Buffer;
  /** The upstream envelope as received, for Genesys-compatible clients. */
  compatFrame(): Buffer;
}

export interface FanoutTarget {
  deliverEvent(topic: string, frames: EventFrames, latestWins: boolean, arrivedAt: number): void;
}

/** What the scheduler needs from a topic: its subscribers and where its queued work waits. */
export interface FanoutTopic {
  readonly topic: string;
  readonly latestWins: boolean;
  /** Immutable snapshot of the subscribers (replaced, never mutated, when they change). */
  subscribers(): readonly FanoutTarget[];
  active: Job | undefined;
  backlog: Job[] | undefined;
}

export interface Job {
  owner: FanoutTopic;
  list: readonly FanoutTarget[];
  frames: EventFrames;
  arrivedAt: number;
  next: number;
}

export interface FanoutOptions {
  /** Subscribers delivered inline (default 256). */
  inlineMax: number;
  /** Longest stretch of sends before yielding, ms (default 4). */
  sliceMs: number;
  /** Sends per job per round-robin turn (default 128). */
  chunk: number;
}

/**
 * Per event, upstream arrival → write to its last subscriber: the relay-added time to the last
 * subscriber, by fan-out width (the goals: ≤ 100 wide, and 1,000 wide). The wide band is
 * ±10% around 1,000: fan-out time grows with width, so a broader band would measure other goals.
 */
export class CompletionStats {
  readonly narrow = new LogHistogram(); // ≤ 100 subscribers
  readonly wide = new LogHistogram(); // 900–1,100 subscribers

  record(width: number, arrivedAt: number): void {
    if (width <= 100) this.narrow.record(performance.now() - arrivedAt);
    else if (width >= 900 && width <= 1100) this.wide.record(performance.now() - arrivedAt);
  }

  reset(): void {
    this.narrow.reset();
    this.wide.reset();
  }
}

export class FanoutScheduler {
  readonly #o: FanoutOptions;
  #jobs: Job[] = [];
  #scheduled = false;
  #turn = 0;
  #longestSliceMs = 0;
  readonly completion = new CompletionStats();

  constructor(opts: FanoutOptions) {
    this.#o = opts;
  }

  /** Longest time the scheduler held the event loop in one go since the last read. */
  takeLongestSliceMs(): number {
    const v = this.#longestSliceMs;
    this.#longestSliceMs = 0;
    return v;
  }

  get pendingJobs(): number {
    return this.#jobs.length;
  }

  publish(owner: FanoutTopic, frames: EventFrames, arrivedAt: number): void {
    const list = owner.subscribers();
    if (list.length === 0) return;
    if (owner.active === undefined && list.length <= this.#o.inlineMax) {
      for (let i = 0; i < list.length; i++) list[i]!.deliverEvent(owner.topic, frames, owner.latestWins, arrivedAt);
      this.completion.record(list.length, arrivedAt);
      return;
    }
    const job: Job = { owner, list, frames, arrivedAt, next: 0 };
    if (owner.active) (owner.backlog ??= []).push(job);
    else this.#activate(job);
  }

  /**
   * Drain: delivers what is in flight for at most `budgetMs`, then abandons the rest (sessions are
   * about to close; a bounded drain matters more than the tail of a backlog). Returns the sends
   * abandoned.
   */
  flushAll(budgetMs = Number.POSITIVE_INFINITY): number {
    this.#run(budgetMs);
    let abandoned = 0;
    for (const job of this.#jobs) {
      abandoned += job.list.length - job.next;
      job.owner.active = undefined;
      for (const b of job.owner.backlog ?? []) abandoned += b.list.length;
      job.owner.backlog = undefined;
    }
    this.#jobs = [];
    return abandoned;
  }

  #activate(job: Job): void {
    job.owner.active = job;
    this.#jobs.push(job);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#slice());
    }
  }

  #slice(): void {
    this.#scheduled = false;
    this.#run(this.#o.sliceMs);
    if (this.#jobs.length > 0 && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#slice());
    }
  }

  #run(budgetMs: number): void {
    const start = performance.now();
    const { chunk } = this.#o;
    while (this.#jobs.length > 0) {
      // Shortest remaining first (the list is short: one entry per busy wide topic); the oldest
      // job, first in the list, gets every eighth chunk.
      let pick = 0;
      if (++this.#turn % 8 !== 0) {
        for (let j = 1; j < this.#jobs.length; j++) {
          const a = this.#jobs[j]!;
          const b = this.#jobs[pick]!;
          if (a.list.length - a.next < b.list.length - b.next) pick = j;
        }
      }
      const job = this.#jobs[pick]!;
      const { list, frames, arrivedAt, owner } = job;
      const end = Math.min(list.length, job.next + chunk);
      for (let i = job.next; i < end; i++) list[i]!.deliverEvent(owner.topic, frames, owner.latestWins, arrivedAt);
      job.next = end;
      if (end >= list.length) this.#retire(pick);
      const elapsed = performance.now() - start;
      if (elapsed > this.#longestSliceMs) this.#longestSliceMs = elapsed;
      if (elapsed >= budgetMs) return;
    }
  }

  #retire(index: number): void {
    const done = this.#jobs[index]!;
    this.completion.record(done.list.length, done.arrivedAt);
    const owner = done.owner;
    owner.active = undefined;
    const following = owner.backlog?.shift();
    if (owner.backlog?.length === 0) owner.backlog = undefined;
    // The follower joins at the back: list order is age order, which the anti-starvation turn uses.
    this.#jobs.splice(index, 1);
    if (following) {
      owner.active = following;
      this.#jobs.push(following);
    }
  }
}
