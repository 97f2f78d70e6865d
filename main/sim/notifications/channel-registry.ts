// Notification channels with the platform's limits (notes C.1–C.2): 20 channels per OAuth client
// (a 21st evicts the least recently used, idle ones first), 1,000 topics per channel, a 24-hour
// lifetime renewed by subscribing, and death with the token that created the channel.
// Transport-agnostic: a connected socket is a `ChannelSink`.
import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../../util/clock.ts';
import type { ChannelTopic, NotificationEvent } from '../../genesys/models.ts';
import type { TokenRecord, TokenStore } from '../token-store.ts';
import { genesysError } from '../errors.ts';
import { parseTopic } from './topics.ts';

export interface ChannelSink {
  send(event: NotificationEvent): void;
  close(code: number, reason: string): void;
}

/** Close codes the simulator uses (4xxx are application codes, documented in docs/simulator.md). */
export const CLOSE = {
  planned: { code: 1000, reason: 'socket closing' },
  replaced: { code: 1000, reason: 'another connection to this channel replaced this one' },
  tokenDead: { code: 4001, reason: 'the token that created this channel has expired or was revoked' },
  channelGone: { code: 4004, reason: 'channel expired or removed' },
  evicted: { code: 4004, reason: 'channel removed: more than 20 channels for this client' },
  shutdown: { code: 1001, reason: 'simulator shutting down' },
} as const;

export interface ChannelRecord {
  readonly id: string;
  readonly clientId: string;
  readonly token: string;
  readonly createdAt: number;
  expiresAt: number;
  lastUsedAt: number;
  readonly topics: Set<string>;
  sink?: ChannelSink;
  timer?: TimerHandle;
}

export interface ChannelRegistryOptions {
  clock: Clock;
  tokens: TokenStore;
  /** ws:// or wss:// origin the connectUri points at (known once the server listens). */
  wsOrigin: () => string;
  lifetimeMs: number;
  maxChannelsPerClient: number;
  maxTopicsPerChannel: number;
  onEvent?: (channel: ChannelRecord, event: NotificationEvent) => void;
  /** Called when a socket connects or topics change, so event loops can start. */
  onAudienceChange?: () => void;
}

export class ChannelRegistry {
  readonly #o: ChannelRegistryOptions;
  readonly #channels = new Map<string, ChannelRecord>();
  readonly #byTopic = new Map<string, Set<string>>();

  constructor(opts: ChannelRegistryOptions) {
    this.#o = opts;
    opts.tokens.onInvalidated((rec) => {
      for (const ch of [...this.#channels.values()]) if (ch.token === rec.token) this.remove(ch.id, CLOSE.tokenDead);
    });
  }

  connectUri(id: string): string {
    return `${this.#o.wsOrigin()}/channels/${id}`;
  }

  create(token: TokenRecord): ChannelRecord {
    const now = this.#o.clock.now();
    const mine = [...this.#channels.values()].filter((c) => c.clientId === token.clientId);
    if (mine.length >= this.#o.maxChannelsPerClient) {
      // "Channels without an active connection will be removed first", then the oldest last use.
      const victim = mine.sort((a, b) => Number(!!a.sink) - Number(!!b.sink) || a.lastUsedAt - b.lastUsedAt)[0];
      if (victim) this.remove(victim.id, CLOSE.evicted);
    }
    const ch: ChannelRecord = {
      id: `streaming-0-${randomBytes(15).toString('base64url')}`,
      clientId: token.clientId,
      token: token.token,
      createdAt: now,
      expiresAt: now + this.#o.lifetimeMs,
      lastUsedAt: now,
      topics: new Set(),
    };
    this.#channels.set(ch.id, ch);
    this.#schedule(ch);
    return ch;
  }

  get(id: string): ChannelRecord | undefined {
    const ch = this.#channels.get(id);
    if (ch && !this.#alive(ch)) return undefined;
    return ch;
  }

  list(): ChannelRecord[] {
    return [...this.#channels.values()].filter((c) => this.#alive(c));
  }

  touch(ch: ChannelRecord): void {
    ch.lastUsedAt = this.#o.clock.now();
  }

  /** Validates topics; with ignoreErrors bad ones come back Rejected instead of failing the request. */
  #validate(topics: string[], ignoreErrors: boolean): { accepted: string[]; rejected: ChannelTopic[] } {
    const accepted: string[] = [];
    const rejected: ChannelTopic[] = [];
    for (const t of topics) {
      if (parseTopic(t)) accepted.push(t);
      else if (ignoreErrors) rejected.push({ id: t.slice(0, 200), state: 'Rejected', rejectionReason: 'Invalid topic' });
      else throw genesysError('invalidValue', { message: `Invalid topic: ${t.slice(0, 200)}`, details: [{ fieldName: 'id', errorCode: 'invalid.topic' }] });
    }
    return { accepted, rejected };
  }

  #setTopics(ch: ChannelRecord, next: Set<string>): void {
    if (next.size > this.#o.maxTopicsPerChannel) {
      throw genesysError('badRequest', {
        message: `A channel can have at most ${this.#o.maxTopicsPerChannel} topics; this request would leave ${next.size}.`,
        details: [{ fieldName: 'topics', errorCode: 'topic.limit.exceeded' }],
      });
    }
    for (const t of ch.topics) if (!next.has(t)) this.#index(t, ch.id, false);
    for (const t of next) if (!ch.topics.has(t)) this.#index(t, ch.id, true);
    ch.topics.clear();
    for (const t of next) ch.topics.add(t);
    // Subscribing renews the 24-hour lifetime (notes C.2).
    const now = this.#o.clock.now();
    ch.lastUsedAt = now;
    ch.expiresAt = now + this.#o.lifetimeMs;
    this.#schedule(ch);
    this.#o.onAudienceChange?.();
  }

  replaceTopics(ch: ChannelRecord, topics: string[], ignoreErrors: boolean): ChannelTopic[] {
    const { accepted, rejected } = this.#validate(topics, ignoreErrors);
    this.#setTopics(ch, new Set(accepted));
    return [...this.topicsOf(ch), ...rejected];
  }

  addTopics(ch: ChannelRecord, topics: string[], ignoreErrors: boolean): ChannelTopic[] {
    const { accepted, rejected } = this.#validate(topics, ignoreErrors);
    this.#setTopics(ch, new Set([...ch.topics, ...accepted]));
    return [...this.topicsOf(ch), ...rejected];
  }

  clearTopics(ch: ChannelRecord): void {
    this.#setTopics(ch, new Set());
  }

  topicsOf(ch: ChannelRecord): ChannelTopic[] {
    return [...ch.topics].map((id) => ({ id }));
  }

  /** Replaces any previous socket on the channel ("one connection per channel"). */
  attach(ch: ChannelRecord, sink: ChannelSink): void {
    const old = ch.sink;
    ch.sink = sink;
    this.touch(ch);
    if (old && old !== sink) old.close(CLOSE.replaced.code, CLOSE.replaced.reason);
    this.#o.onAudienceChange?.();
  }

  detach(ch: ChannelRecord, sink: ChannelSink): void {
    if (ch.sink === sink) ch.sink = undefined;
  }

  remove(id: string, how: { code: number; reason: string } = CLOSE.channelGone): boolean {
    const ch = this.#channels.get(id);
    if (!ch) return false;
    this.#channels.delete(id);
    ch.timer?.cancel();
    for (const t of ch.topics) this.#index(t, id, false);
    const sink = ch.sink;
    ch.sink = undefined;
    sink?.close(how.code, how.reason);
    return true;
  }

  removeAll(how: { code: number; reason: string } = CLOSE.channelGone): number {
    const ids = [...this.#channels.keys()];
    for (const id of ids) this.remove(id, how);
    return ids.length;
  }

  /** Topics with at least one subscribed channel that has a socket connected (someone listens). */
  subscribedTopics(): string[] {
    const out: string[] = [];
    for (const [topic, ids] of this.#byTopic) {
      for (const id of ids) {
        if (this.#channels.get(id)?.sink) {
          out.push(topic);
          break;
        }
      }
    }
    return out;
  }

  /** Sends an event to every connected channel subscribed to its topic; returns how many got it. */
  publish(event: NotificationEvent): number {
    const ids = this.#byTopic.get(event.topicName);
    if (!ids) return 0;
    let n = 0;
    for (const id of ids) {
      const ch = this.#channels.get(id);
      if (!ch?.sink || !this.#alive(ch)) continue;
      ch.sink.send(event);
      this.#o.onEvent?.(ch, event);
      n++;
    }
    return n;
  }

  #index(topic: string, id: string, add: boolean): void {
    let set = this.#byTopic.get(topic);
    if (add) {
      if (!set) this.#byTopic.set(topic, (set = new Set()));
      set.add(id);
    } else if (set) {
      set.delete(id);
      if (set.size === 0) this.#byTopic.delete(topic);
    }
  }

  /** Channel and token both alive; a dead channel is removed (and its socket closed) on sight. */
  #alive(ch: ChannelRecord): boolean {
    const now = this.#o.clock.now();
    const tok = this.#o.tokens.check(ch.token);
    if (!tok.ok) {
      this.remove(ch.id, CLOSE.tokenDead);
      return false;
    }
    if (now >= ch.expiresAt) {
      this.remove(ch.id, CLOSE.channelGone);
      return false;
    }
    return true;
  }

  /** One timer per channel at its death time: min(channel expiry, token expiry). */
  #schedule(ch: ChannelRecord): void {
    ch.timer?.cancel();
    const tokenExpiry = this.#o.tokens.get(ch.token)?.expiresAt ?? ch.expiresAt;
    const due = Math.min(ch.expiresAt, tokenExpiry) - this.#o.clock.now();
    // Capped (then re-armed) so a long wait never overflows a real timer under a slow ScaledClock.
    ch.timer = this.#o.clock.setTimeout(() => {
      if (this.#channels.get(ch.id) === ch && this.#alive(ch)) this.#schedule(ch);
    }, Math.min(Math.max(0, due), 3_600_000));
  }
}
