// A client speaking the relay protocol (docs/relay.md): subscribe/unsubscribe with topic lists
// checked against the allowlist, events with a per-topic seq, gap markers, ping/pong, and error
// frames for bad input. Each session is one subscriber of the topic router.
import type { WebSocket } from 'ws';
import { Connection, type ConnectionDeps, type ConnectionIdentity } from './connection.ts';
import type { EventFrames } from './fanout.ts';
import { encode, parseClientMessage, type RejectReason, type RejectedTopic } from './protocol.ts';
import type { TopicAllowlist } from './topic-patterns.ts';
import type { Subscriber, TopicRouter } from './topic-router.ts';

export interface RelaySessionDeps extends ConnectionDeps {
  router: TopicRouter;
  allowlist: TopicAllowlist;
  maxTopicsPerSession: number;
}

type Id = string | number | undefined;

export class RelaySession extends Connection implements Subscriber {
  readonly topics = new Set<string>();
  readonly #d: RelaySessionDeps;

  constructor(identity: ConnectionIdentity, ws: WebSocket, deps: RelaySessionDeps) {
    super(identity, ws, deps);
    this.#d = deps;
  }

  protected onText(text: string): void {
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.malformed(parsed.code, parsed.message);
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'subscribe':
        this.#subscribe(m.id, m.topics);
        break;
      case 'unsubscribe':
        this.#unsubscribe(m.id, m.topics);
        break;
      case 'ping':
        this.pushText(encode.pong(m.id));
        break;
      case 'pong':
        this.awaitingPong = false;
        break;
    }
  }

  protected onMalformed(code: string, message: string): void {
    this.pushText(encode.error(code, message));
  }

  protected onClosing(): void {
    this.#d.router.unsubscribe(this, this.topics);
    this.topics.clear();
  }

  #subscribe(id: Id, requested: string[]): void {
    const rejected: RejectedTopic[] = [];
    const accepted: Array<{ topic: string; latestWins: boolean }> = [];
    let size = this.topics.size;
    for (const topic of new Set(requested)) {
      const verdict = this.#d.allowlist.check(topic);
      if (!verdict.allowed) {
        rejected.push({ topic, reason: verdict.reason });
        continue;
      }
      if (!this.topics.has(topic)) {
        if (size >= this.#d.maxTopicsPerSession) {
          rejected.push({ topic, reason: 'session-limit' });
          continue;
        }
        size++;
      }
      accepted.push({ topic, latestWins: verdict.latestWins });
    }
    // The router creates its entries synchronously; keeping its strings saves a copy per session.
    const settled = this.#d.router.subscribe(this, accepted);
    for (const a of accepted) this.topics.add(this.#d.router.canonical(a.topic));
    if (this.topics.size > 0) this.emptySince = undefined;
    void settled.then((res) => {
      if (!this.open) return;
      for (const r of res.rejected) this.topics.delete(r.topic);
      this.#noteEmpty();
      this.pushText(encode.subscribed(id, res.live, res.pending, [...rejected, ...res.rejected]));
    });
  }

  #unsubscribe(id: Id, requested: string[]): void {
    const removed = requested.filter((t) => this.topics.delete(t));
    this.#d.router.unsubscribe(this, removed);
    this.#noteEmpty();
    this.pushText(encode.unsubscribed(id, removed));
  }

  #noteEmpty(): void {
    if (this.topics.size === 0) this.emptySince ??= this.deps.clock.now();
  }

  // ---- Subscriber ----------------------------------------------------------------------------

  deliverEvent(topic: string, frames: EventFrames, latestWins: boolean, arrivedAt: number): void {
    // A wide fan-out works from a snapshot: skip clients that left the topic meanwhile.
    if (this.topics.has(topic)) this.push(topic, frames.relayFrame(), latestWins, arrivedAt);
  }

  notifyGap(topics: string[], reason: string, since: number): void {
    const mine = topics.filter((t) => this.topics.has(t));
    if (mine.length) this.pushText(encode.gap(mine, reason, since));
  }

  notifyRevoked(topics: string[], reason: RejectReason): void {
    const mine = topics.filter((t) => this.topics.delete(t));
    if (mine.length === 0) return;
    this.#noteEmpty();
    this.pushText(encode.revoked(mine, reason));
  }
}
