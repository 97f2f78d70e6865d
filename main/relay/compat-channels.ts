// Genesys-compatible mode (notes/genesys.md C.1–C.2): virtual notification channels so a tool
// written for the Notifications API works unchanged against the relay. A channel owns its topic
// set (like the platform's, it outlives sockets); at most one socket is attached, and a second
// connection replaces the first. Upstream, the channel is just one more router subscriber, so its
// topics share the pool with everyone else's.
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Clock } from '../util/clock.ts';
import { CLOSE, type CloseSpec } from './close-codes.ts';
import { Connection, type ConnectionDeps, type ConnectionIdentity } from './connection.ts';
import type { EventFrames } from './fanout.ts';
import { compatEncode, isCompatPing, type RejectReason } from './protocol.ts';
import type { TopicAllowlist } from './topic-patterns.ts';
import type { Subscriber, TopicRouter } from './topic-router.ts';

export class CompatChannel implements Subscriber {
  readonly id: string;
  expiresAt: number;
  lastUsedAt: number;
  readonly topics = new Set<string>();
  socket: CompatSocket | undefined;

  constructor(id: string, now: number, lifetimeMs: number) {
    this.id = id;
    this.lastUsedAt = now;
    this.expiresAt = now + lifetimeMs;
  }

  deliverEvent(topic: string, frames: EventFrames, latestWins: boolean, arrivedAt: number): void {
    const s = this.socket;
    if (s !== undefined && this.topics.has(topic)) s.push(topic, frames.compatFrame(), latestWins, arrivedAt);
  }

  notifyGap(topics: string[], reason: string, since: number): void {
    const mine = topics.filter((t) => this.topics.has(t));
    if (mine.length && this.socket) this.socket.pushText(compatEncode.gap(mine, reason, since));
  }

  notifyRevoked(topics: string[], _reason: RejectReason): void {
    for (const t of topics) this.topics.delete(t);
  }
}

export class CompatSocket extends Connection {
  readonly channel: CompatChannel;

  constructor(identity: ConnectionIdentity, ws: WebSocket, deps: ConnectionDeps, channel: CompatChannel) {
    super(identity, ws, deps);
    this.channel = channel;
  }

  protected onText(text: string): void {
    if (isCompatPing(text)) {
      this.pushText(compatEncode.pong());
      return;
    }
    // The platform ignores other client frames; only garbage counts against the client.
    try {
      JSON.parse(text);
    } catch {
      this.malformed('bad_json', 'frame is not valid JSON');
    }
  }

  protected onMalformed(): void {
    // Genesys sends nothing back for bad frames; neither do we.
  }

  protected onClosing(): void {
    if (this.channel.socket === this) this.channel.socket = undefined;
  }

  /** Idle means the channel (not this socket) has had no topics for a while. */
  refreshIdle(now: number): void {
    if (this.channel.topics.size > 0) this.emptySince = undefined;
    else this.emptySince ??= now;
  }
}

export type SetTopicsResult =
  | { ok: true; topics: string[] }
  | { ok: false; status: number; code: string; message: string };

export interface CompatRegistryOptions {
  clock: Clock;
  router: TopicRouter;
  allowlist: TopicAllowlist;
  maxChannels: number;
  maxTopicsPerChannel: number;
  lifetimeMs: number;
}

export class CompatRegistry {
  readonly #o: CompatRegistryOptions;
  readonly #channels = new Map<string, CompatChannel>();

  constructor(opts: CompatRegistryOptions) {
    this.#o = opts;
  }

  get size(): number {
    return this.#channels.size;
  }

  create(): CompatChannel {
    if (this.#channels.size >= this.#o.maxChannels) {
      // As on the platform: channels without a socket go first, then the least recently used.
      const victim = [...this.#channels.values()].sort((a, b) => Number(!!a.socket) - Number(!!b.socket) || a.lastUsedAt - b.lastUsedAt)[0];
      if (victim) this.remove(victim, CLOSE.channelGone);
    }
    const ch = new CompatChannel(`relay-${randomBytes(18).toString('base64url')}`, this.#o.clock.now(), this.#o.lifetimeMs);
    this.#channels.set(ch.id, ch);
    return ch;
  }

  get(id: string): CompatChannel | undefined {
    const ch = this.#channels.get(id);
    if (ch && this.#o.clock.now() >= ch.expiresAt) {
      this.remove(ch, CLOSE.channelGone);
      return undefined;
    }
    return ch;
  }

  list(): CompatChannel[] {
    return [...this.#channels.values()];
  }

  attach(ch: CompatChannel, socket: CompatSocket): void {
    const previous = ch.socket;
    ch.socket = socket;
    ch.lastUsedAt = this.#o.clock.now();
    previous?.close(CLOSE.replaced);
  }

  remove(ch: CompatChannel, close: CloseSpec): void {
    if (this.#channels.get(ch.id) !== ch) return;
    this.#channels.delete(ch.id);
    this.#o.router.unsubscribe(ch, ch.topics);
    ch.topics.clear();
    ch.socket?.close(close);
  }

  /** Expires channels past their lifetime (run by the heartbeat sweep). */
  sweep(): void {
    const now = this.#o.clock.now();
    for (const ch of this.#channels.values()) if (now >= ch.expiresAt) this.remove(ch, CLOSE.channelGone);
  }

  /** PUT (replace) or POST (add) subscriptions; waits for upstream like the platform does. */
  async setTopics(ch: CompatChannel, requested: string[], mode: 'replace' | 'add', ignoreErrors: boolean): Promise<SetTopicsResult> {
    const wanted: Array<{ topic: string; latestWins: boolean }> = [];
    for (const topic of new Set(requested)) {
      const v = this.#o.allowlist.check(topic);
      if (v.allowed) wanted.push({ topic, latestWins: v.latestWins });
      else if (v.reason === 'invalid') return { ok: false, status: 400, code: 'bad.request', message: `invalid topic name: ${topic.slice(0, 200)}` };
      else if (!ignoreErrors) return { ok: false, status: 403, code: 'missing.permissions', message: `topic not allowed by the relay: ${topic}` };
    }
    const next = new Set(mode === 'replace' ? [] : ch.topics);
    for (const w of wanted) next.add(w.topic);
    if (next.size > this.#o.maxTopicsPerChannel) {
      return { ok: false, status: 400, code: 'bad.request', message: `a channel can hold at most ${this.#o.maxTopicsPerChannel} topics` };
    }
    if (mode === 'replace') {
      const gone = [...ch.topics].filter((t) => !next.has(t));
      for (const t of gone) ch.topics.delete(t);
      this.#o.router.unsubscribe(ch, gone);
    }
    const adds = wanted.filter((w) => !ch.topics.has(w.topic));
    for (const a of adds) ch.topics.add(a.topic);
    ch.lastUsedAt = this.#o.clock.now();
    // Subscribing renews the channel, as on the platform.
    ch.expiresAt = ch.lastUsedAt + this.#o.lifetimeMs;
    if (adds.length) {
      const res = await this.#o.router.subscribe(ch, adds);
      for (const r of res.rejected) ch.topics.delete(r.topic);
    }
    return { ok: true, topics: [...ch.topics] };
  }

  clearTopics(ch: CompatChannel): void {
    this.#o.router.unsubscribe(ch, ch.topics);
    ch.topics.clear();
  }
}
