// Delivers one upstream event to a topic's subscribers. Narrow topics go out inline; wide ones
// (more than `inlineMax` subscribers) are cut into chunks with setImmediate between time slices,
// so the event loop never stalls for long (notes/wsrelay.md §6: one 3,787-wide loop blocked
// 60 ms). Among concurrent wide events the one with the fewest sends left goes first: a
// 1,000-wide event is not held up behind a 7,000-wide one, and mean completion time is minimal.
// Events of one topic are never reordered: a topic's next event waits for its current one.
import { performance } from 'node:perf_hooks';

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
  /** Subscribers delivered inline (default 512). */
  inlineMax: number;
  /** Longest stretch of sends before yielding, ms (default 4). */
  sliceMs: number;
  /** Sends per job per round-robin turn (default 128). */
  chunk: number;
}

export const DEFAULT_FANOUT: FanoutOptions = { inlineMax: 512, sliceMs: 4, chunk: 128 };

export class FanoutScheduler {
  readonly #o: FanoutOptions;
  #jobs: Job[] = [];
  #scheduled = false;
  #longestSliceMs = 0;

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
      // Shortest remaining first; the job list is short (one entry per busy wide topic).
      let pick = 0;
      for (let j = 1; j < this.#jobs.length; j++) {
        const a = this.#jobs[j]!;
        const b = this.#jobs[pick]!;
        if (a.list.length - a.next < b.list.length - b.next) pick = j;
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
    const owner = this.#jobs[index]!.owner;
    owner.active = undefined;
    const following = owner.backlog?.shift();
    if (owner.backlog?.length === 0) owner.backlog = undefined;
    if (following) {
      owner.active = following;
      this.#jobs[index] = following;
    } else {
      this.#jobs.splice(index, 1);
    }
  }
}
