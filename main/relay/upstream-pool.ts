// The bounded pool of upstream notification channels (notes/wsrelay.md §5, §7.3). Each unique
// topic lives on exactly one channel, so its order is the platform's order. New topics are packed
// onto channels with room, in batches; channels are rotated make-before-break on expiry and token
// rotation, reconnected with backoff and jitter when they drop, and replaced when the platform
// says `v2.system.socket_closing`. Subscribers never see upstream churn, only `gap` markers.
import type { TimerHandle } from '../util/clock.ts';
import { sleep } from '../util/clock.ts';
import { backoffDelay } from './backoff.ts';
import { RecentIds } from './correlation-dedup.ts';
import { fillTargetFor, packingSlots, planPacking } from './packing.ts';
import { PoolChannel } from './pool-channel.ts';
import type { TopicSource } from './topic-router.ts';
import { channelIsGone, describeFailure } from './upstream-types.ts';
import { handleEnvelope } from './upstream-frames.ts';
import { PoolRotations } from './pool-rotation.ts';
import type { PoolMetrics, PoolOptions } from './pool-types.ts';
import { PoolWatchdog } from './pool-watchdog.ts';
import { PoolSync } from './pool-sync.ts';
import { TopicHomes } from './topic-homes.ts';

export class UpstreamPool implements TopicSource {
  readonly #o: PoolOptions;
  readonly #channels = new Set<PoolChannel>();
  readonly #homes: TopicHomes;
  readonly #pending = new Set<string>();
  readonly #recent = new RecentIds(16_384);
  readonly #abort = new AbortController();
  readonly #sync: PoolSync;
  #flushTimer: TimerHandle | undefined;
  readonly #watchdog: PoolWatchdog;
  readonly #rotations: PoolRotations;
  #stopped = false;
  #untoken: (() => void) | undefined;
  readonly stats = { created: 0, reconnects: 0, recreated: 0, rotations: 0, duplicates: 0, overlapIgnored: 0, badFrames: 0, socketClosing: 0, refusedCapacity: 0 };

  constructor(opts: PoolOptions) {
    this.#o = opts;
    this.#homes = new TopicHomes(opts.sink, this.#channels);
    this.#sync = new PoolSync({
      platform: opts.platform,
      clock: opts.clock,
      logger: opts.logger,
      batch: opts.subscribeBatch,
      backoff: opts.backoff,
      random: opts.random,
      signal: this.#abort.signal,
      isStopped: () => this.#stopped,
      confirmed: (ch, topic) => this.#homes.confirmed(ch, topic),
      refused: (topic) => this.#homes.refuse(topic, 'upstream-refused'),
      channelGone: (ch, why) => this.#recover(ch, why, true),
      synced: (ch) => this.#synced(ch),
      error: (ch, operation, e, retryInMs) => this.#emitError(ch, operation, e, retryInMs),
    });
    this.#watchdog = new PoolWatchdog({
      clock: opts.clock,
      channels: this.#channels,
      pingAfterMs: opts.pingAfterMs,
      silenceTimeoutMs: opts.silenceTimeoutMs,
      lost: (ch, why) => this.#recover(ch, why, false),
    });
    this.#rotations = new PoolRotations({
      clock: opts.clock,
      random: opts.random,
      signal: this.#abort.signal,
      maxChannels: opts.maxChannels,
      overlapMs: opts.overlapMs,
      rotateBeforeExpiryMs: opts.rotateBeforeExpiryMs,
      channels: this.#channels,
      isStopped: () => this.#stopped,
      open: (ch) => void this.#open(ch),
      whenSynced: (ch) => this.#sync.whenSynced(ch),
      close: (ch, why) => this.#close(ch, why),
      recover: (ch, why, recreate) => this.#recover(ch, why, recreate),
      switchTo: (old, succ, why) => this.#switch(old, succ, why),
    });
  }

  start(): void {
    this.#untoken = this.#o.platform.onTokenRotated(() => this.#rotations.requestAll('token-rotated'));
    this.#watchdog.start();
  }

  // ---- TopicSource (called by the router) ----------------------------------------------------

  add(topic: string): void {
    if (this.#stopped) return;
    if (this.#homes.has(topic)) {
      if (this.#homes.isLive(topic)) this.#o.sink.topicLive(topic);
      return;
    }
    this.#pending.add(topic);
    this.#flushTimer ??= this.#o.clock.setTimeout(() => this.#flush(), this.#o.batchDelayMs);
  }

  remove(topic: string): void {
    if (this.#pending.delete(topic)) return;
    const ch = this.#homes.remove(topic);
    if (!ch) return;
    ch.desired.delete(topic);
    ch.successor?.desired.delete(topic);
    if (ch.desired.size === 0 && !ch.successor && !ch.replacing) void this.#close(ch, 'no topics left');
    else {
      void this.#sync.run(ch);
      if (ch.successor) void this.#sync.run(ch.successor);
    }
  }

  // ---- packing ---------------------------------------------------------------------------------

  #flush(): void {
    this.#flushTimer = undefined;
    const topics = [...this.#pending];
    this.#pending.clear();
    if (topics.length === 0 || this.#stopped) return;
    const all = [...this.#channels];
    const accepting = all.filter((c) => c.accepting);
    const slots = packingSlots({
      held: all.length,
      accepting: accepting.length,
      rotating: all.filter((c) => c.successor && c.state !== 'closed').length,
      maxChannels: this.#o.maxChannels,
    });
    const plan = planPacking(
      accepting.map((c) => ({ id: String(c.n), topics: c.desired.size })),
      topics,
      { perChannel: this.#o.maxTopicsPerChannel, fillTarget: fillTargetFor(this.#o.maxTopicsPerChannel, this.#o.fillRatio), maxChannels: slots },
    );
    for (const ch of accepting) {
      const adds = plan.existing.get(String(ch.n));
      if (!adds) continue;
      for (const t of adds) {
        ch.desired.add(t);
        this.#homes.place(t, ch);
      }
      if (ch.state === 'live') void this.#sync.run(ch);
    }
    for (const list of plan.fresh) {
      const ch = new PoolChannel(list);
      this.#channels.add(ch);
      for (const t of list) this.#homes.place(t, ch);
      void this.#open(ch);
    }
    for (const t of plan.refused) {
      this.stats.refusedCapacity++;
      this.#o.sink.topicRefused(t, 'capacity');
    }
  }

  // ---- channel lifecycle -----------------------------------------------------------------------

  /** Creates (or reuses) the platform channel, opens its socket, then reconciles subscriptions. */
  async #open(ch: PoolChannel): Promise<void> {
    while (!this.#stopped && ch.state !== 'closed') {
      try {
        let fresh = false;
        if (!ch.info) {
          ch.info = await this.#o.platform.createChannel();
          fresh = true;
          this.stats.created++;
          if (ch.lost) this.stats.recreated++;
          ch.confirmed.clear();
          ch.needsReplace = false;
          this.#rotations.scheduleExpiry(ch);
          if (this.#isGone(ch)) return;
        }
        await this.#connect(ch, fresh);
        if (this.#isGone(ch)) return;
        ch.state = 'live';
        ch.attempt = 0;
        this.#o.onEvent?.({ kind: 'channel-open', channel: ch.label, platformId: ch.info.id });
        void this.#sync.run(ch);
        return;
      } catch (e) {
        if (this.#isGone(ch)) return;
        const f = describeFailure(e);
        // A refused socket usually means the platform channel is gone (expired, evicted, token dead).
        if (ch.info && channelIsGone(f)) ch.info = undefined;
        const delay = backoffDelay(ch.attempt++, this.#o.backoff, this.#o.random, f.retryAfterMs);
        this.#emitError(ch, ch.info ? 'connect' : 'create-channel', e, delay);
        try {
          await sleep(this.#o.clock, delay, this.#abort.signal);
        } catch {
          return;
        }
      }
    }
  }

  #isGone(ch: PoolChannel): boolean {
    if (this.#stopped || ch.state === 'closed') {
      ch.socket?.close(1000, 'relay stopping');
      return true;
    }
    return false;
  }

  async #connect(ch: PoolChannel, fresh = false): Promise<void> {
    const info = ch.info;
    if (!info) throw new Error('no channel');
    const gen = ++ch.gen;
    let closedEarly = false;
    let settle: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (settle = resolve));
    const socket = await this.#o.platform.connect(info.connectUri, {
      onMessage: (text) => this.#onMessage(ch, text),
      onClose: (code, reason) => {
        closedEarly = true;
        settle();
        if (gen === ch.gen) this.#onSocketClose(ch, code, reason);
      },
    }, { fresh });
    if (closedEarly || gen !== ch.gen) {
      socket.close(1000, 'superseded');
      throw Object.assign(new Error('upstream socket closed while opening'), { status: undefined });
    }
    ch.socket = socket;
    ch.socketClosed = closed;
    ch.lastSeen = this.#o.clock.now();
  }

  #onSocketClose(ch: PoolChannel, code: number, reason: string): void {
    if (this.#stopped || ch.state === 'retiring' || ch.state === 'closed') return;
    const why = `upstream closed ${code}${reason ? ` ${reason}` : ''}`;
    // A rotation is already replacing this channel: record the loss; the switch emits the gap.
    if (ch.successor) {
      ch.markLost(this.#o.clock.now(), why);
      return;
    }
    // Token dead (4001) or channel removed (4004, 4xxx): do not try the same connectUri.
    this.#recover(ch, why, code >= 4000 && code < 5000);
  }

  #recover(ch: PoolChannel, why: string, recreate: boolean): void {
    if (this.#stopped || ch.state === 'closed' || ch.state === 'recovering') {
      if (recreate && ch.state === 'recovering') ch.info = undefined;
      return;
    }
    const old = ch.socket;
    ch.markLost(this.#o.clock.now(), why);
    old?.close(1000, 'reconnecting');
    ch.state = 'recovering';
    ch.needsReplace = true;
    if (recreate) ch.info = undefined;
    this.stats.reconnects++;
    this.#o.logger.warn('relay upstream channel lost', { channel: ch.label, reason: why });
    this.#o.onEvent?.({ kind: 'channel-lost', channel: ch.label, reason: why });
    // First retry after a jittered pause, so channels that dropped together do not return together.
    const delay = backoffDelay(ch.attempt++, this.#o.backoff, this.#o.random);
    void sleep(this.#o.clock, delay, this.#abort.signal).then(() => this.#open(ch), () => undefined);
  }

  /** All of `ch`'s desired topics are confirmed on a live socket. */
  #synced(ch: PoolChannel): void {
    if (!ch.lost) return;
    const gapTopics = this.#homes.recovered(ch);
    this.#o.onEvent?.({ kind: 'channel-recovered', channel: ch.label, platformId: ch.info?.id ?? '', gapTopics });
  }

  /** Make-before-break step 3: the successor's topics become home there. */
  #switch(old: PoolChannel, succ: PoolChannel, why: string): void {
    this.#homes.switchTo(old, succ);
    this.stats.rotations++;
    this.#o.onEvent?.({ kind: 'rotated', from: old.label, to: succ.label, why });
    this.#o.logger.info('relay upstream channel rotated', { from: old.label, to: succ.label, why, topics: succ.desired.size });
    // Every topic left while the rotation ran: nothing to keep the new channel for.
    if (succ.desired.size === 0) void this.#close(succ, 'no topics left');
  }

  /** Queues a make-before-break rotation of every channel (ops and tests). */
  rotate(why = 'requested'): void {
    this.#rotations.requestAll(why);
  }

  /**
   * Closes a channel's socket. It stays counted until the socket has really closed: until then the
   * platform sees an active connection, and a new channel could evict a live one of ours.
   */
  #close(ch: PoolChannel, why: string, code = 1000): Promise<void> {
    if (ch.state === 'closed') return Promise.resolve();
    ch.state = 'closed';
    ch.rotateTimer?.cancel();
    ch.gen++;
    const closed = ch.socket ? (ch.socketClosed ?? Promise.resolve()) : Promise.resolve();
    ch.socket?.close(code, why.slice(0, 100));
    ch.socket = undefined;
    this.#sync.wake(ch);
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((resolve) => (timer = this.#o.clock.setTimeout(resolve, 5000)));
    return Promise.race([closed, timeout]).then(() => {
      timer?.cancel();
      this.#channels.delete(ch);
    });
  }

  // ---- frames ----------------------------------------------------------------------------------

  #onMessage(ch: PoolChannel, text: string): void {
    if (ch.state === 'closed') return;
    ch.lastSeen = this.#o.clock.now();
    const kind = handleEnvelope(text, {
      arrivedAt: performance.now(),
      isHome: (topic) => this.#homes.isHome(topic, ch),
      firstSight: (key) => this.#recent.add(key),
      pong: () => {
        for (const w of ch.pongWaiters.splice(0)) w();
      },
      event: (topic, body, cid, raw, arrivedAt) => this.#o.sink.event(topic, body, cid, raw, arrivedAt),
      duplicate: () => this.stats.duplicates++,
      bad: () => this.stats.badFrames++,
      socketClosing: () => void this.#plannedReconnect(ch),
      resubscribe: () => {
        ch.needsReplace = true;
        void this.#sync.run(ch);
      },
    });
    // A copy from the other channel of an overlap: its home channel delivers (or delivered) it.
    if (kind === 'foreign') this.stats.overlapIgnored++;
  }

  /** `v2.system.socket_closing`: reconnect to the same connectUri, as the platform expects. */
  async #plannedReconnect(ch: PoolChannel): Promise<void> {
    if (ch.state !== 'live' || !ch.info) return;
    this.stats.socketClosing++;
    this.#o.onEvent?.({ kind: 'socket-closing', channel: ch.label });
    const old = ch.socket;
    try {
      await this.#connect(ch);
      old?.close(1000, 'reconnected after socket_closing');
    } catch (e) {
      this.#emitError(ch, 'reconnect', e, 0);
      ch.socket = old;
      this.#recover(ch, 'socket_closing reconnect failed', false);
    }
  }

  #emitError(ch: PoolChannel, operation: string, e: unknown, retryInMs: number): void {
    const f = describeFailure(e);
    this.#o.logger.warn('relay upstream call failed', { channel: ch.label, operation, status: f.status, code: f.code, error: f.message, retryInMs });
    this.#o.onEvent?.({ kind: 'upstream-error', channel: ch.label, operation, status: f.status, message: f.message, retryInMs });
  }

  // ---- stop and metrics ------------------------------------------------------------------------

  stop(code = 1001, reason = 'relay stopping'): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort();
    this.#flushTimer?.cancel();
    this.#watchdog.stop();
    this.#untoken?.();
    for (const ch of [...this.#channels]) void this.#close(ch, reason, code);
  }

  metrics(): PoolMetrics {
    let live = 0;
    let held = 0;
    for (const ch of this.#channels) {
      if (ch.state === 'live') live++;
      if (ch.state !== 'closed') held++;
    }
    return {
      channels: held,
      closingChannels: this.#channels.size - held,
      liveChannels: live,
      topics: this.#homes.size,
      pendingTopics: this.#pending.size,
      subscribeCalls: this.#sync.calls,
      ...this.stats,
      perChannel: [...this.#channels].map((c) => ({ channel: c.label, state: c.state, topics: c.desired.size, confirmed: c.confirmed.size })),
    };
  }
}

