// Reconciles a pool channel's subscriptions with the platform: one call at a time per channel, in
// batches, starting with a PUT (replace) when the platform may hold stale topics and adding the
// rest with POSTs. A 400/403 batch is halved until the offending topic is found and refused alone,
// so one bad topic never blocks the others; 429s and 5xx back off; a 404 means the channel died.
import type { Clock } from '../util/clock.ts';
import { sleep } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import type { PoolChannel } from './pool-channel.ts';
import { describeFailure, type UpstreamPlatform } from './upstream-types.ts';

export interface PoolSyncOptions {
  platform: UpstreamPlatform;
  clock: Clock;
  logger: Logger;
  batch: number;
  backoff: BackoffOptions;
  random: () => number;
  signal: AbortSignal;
  isStopped(): boolean;
  confirmed(ch: PoolChannel, topic: string): void;
  refused(topic: string): void;
  channelGone(ch: PoolChannel, why: string): void;
  synced(ch: PoolChannel): void;
  error(ch: PoolChannel, operation: string, e: unknown, retryInMs: number): void;
}

export class PoolSync {
  readonly #o: PoolSyncOptions;
  readonly #waiters = new Map<PoolChannel, Array<() => void>>();
  /** Subscription calls made, for the metrics. */
  calls = 0;

  constructor(opts: PoolSyncOptions) {
    this.#o = opts;
  }

  run(ch: PoolChannel): Promise<void> {
    // A running loop re-reads the diff after every call, so it will pick up this change too.
    ch.syncing ??= this.#loop(ch).finally(() => {
      ch.syncing = undefined;
    });
    return ch.syncing;
  }

  /** Resolves once `ch` is live with every desired topic confirmed, or when it closes. */
  whenSynced(ch: PoolChannel): Promise<void> {
    return new Promise((resolve) => {
      const list = this.#waiters.get(ch) ?? [];
      list.push(resolve);
      this.#waiters.set(ch, list);
    });
  }

  /** Releases waiters of a channel that closed. */
  wake(ch: PoolChannel): void {
    const list = this.#waiters.get(ch);
    this.#waiters.delete(ch);
    for (const w of list ?? []) w();
  }

  async #loop(ch: PoolChannel): Promise<void> {
    let limit = this.#o.batch;
    let attempt = 0;
    while (!this.#o.isStopped() && ch.state === 'live' && ch.info) {
      const { add, remove } = ch.diff();
      let mode: 'add' | 'replace';
      let list: string[];
      if (ch.needsReplace || remove) {
        mode = 'replace';
        list = [...ch.desired].slice(0, limit);
      } else if (add.length > 0) {
        mode = 'add';
        list = add.slice(0, limit);
      } else {
        this.#o.synced(ch);
        this.wake(ch);
        return;
      }
      const id = ch.info.id;
      try {
        this.calls++;
        const out = await this.#o.platform.subscribe(id, list, mode);
        if (ch.info?.id !== id) continue; // recreated meanwhile: the new channel starts over
        if (mode === 'replace') {
          ch.confirmed.clear();
          ch.needsReplace = false;
        }
        const refused = new Set(out.refused.map((r) => r.topic));
        for (const t of list) {
          if (refused.has(t)) {
            this.#o.logger.warn('relay topic refused by the platform', { topic: t, reason: out.refused.find((r) => r.topic === t)?.reason });
            this.#o.refused(t);
            continue;
          }
          // A topic removed while the call ran is confirmed anyway; the next diff removes it.
          ch.confirmed.add(t);
          if (ch.desired.has(t)) this.#o.confirmed(ch, t);
        }
        attempt = 0;
      } catch (e) {
        if (this.#o.isStopped()) return;
        const f = describeFailure(e);
        if (f.status === 404 || f.status === 410) {
          this.#o.channelGone(ch, 'channel not found when subscribing');
          return;
        }
        if (f.status === 400 || f.status === 403 || f.status === 422) {
          if (list.length > 1) limit = Math.ceil(list.length / 2);
          else if (list[0] !== undefined) this.#o.refused(list[0]);
          else ch.needsReplace = false; // an empty replace was refused: nothing to undo
          continue;
        }
        const delay = backoffDelay(attempt++, this.#o.backoff, this.#o.random, f.retryAfterMs);
        this.#o.error(ch, mode === 'add' ? 'subscribe' : 'resubscribe', e, delay);
        try {
          await sleep(this.#o.clock, delay, this.#o.signal);
        } catch {
          return;
        }
      }
    }
  }
}
