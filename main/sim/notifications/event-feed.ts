// What flows into subscribed topics:
// - v2.outbound.campaigns.{id}: the campaign's config on every write (PUT, PATCH, concurrent writer);
// - v2.outbound.campaigns.{id}.stats: a stat event every `statsIntervalMs`, from the dialer model;
// - v2.users.{id}.presence / .routingStatus and v2.routing.queues.{id}.conversations: a seeded
//   synthetic generator, Poisson at `eventRatePerSec`, whose bodies reflect the dialer model (the
//   agent's current state, the queue's recent calls).
// Loops run only while someone is subscribed, so an idle sandbox schedules no timers.
import { every, type Clock, type TimerHandle } from '../../util/clock.ts';
import type { Campaign } from '../../genesys/models.ts';
import type { AgentStateChange, CallRecord } from '../dialer/index.ts';
import type { CampaignDialers } from '../campaign-dialers.ts';
import type { CampaignStore } from '../campaign-store.ts';
import type { Rng } from '../random.ts';
import type { SandboxWorld, SimUser } from '../sandbox-world.ts';
import type { ChannelRegistry } from './channel-registry.ts';
import { campaignTopic, envelope, parseTopic } from './topics.ts';
import { conversationBody, presenceBody, routingStatusBody, statsBody } from './event-bodies.ts';

export interface EventFeedOptions {
  clock: Clock;
  registry: ChannelRegistry;
  store: CampaignStore;
  dialers: CampaignDialers;
  world: SandboxWorld;
  rng: Rng;
  eventRatePerSec: number;
  statsIntervalMs: number;
}

const RECENT_CALLS = 16;

export class EventFeed {
  readonly #o: EventFeedOptions;
  readonly #usersById = new Map<string, SimUser>();
  readonly #queueCampaign = new Map<string, string>();
  /** Latest state per agent, per campaign (from the model's agent events). */
  readonly #agentStates = new Map<string, Map<number, AgentStateChange>>();
  readonly #recentCalls = new Map<string, CallRecord[]>();
  readonly #unsubscribe: Array<() => void> = [];
  #genTimer?: TimerHandle;
  #statsTimer?: TimerHandle;
  #lastStatsMs: number;
  #stopped = false;

  constructor(opts: EventFeedOptions) {
    this.#o = opts;
    this.#lastStatsMs = opts.clock.now();
    for (const u of opts.world.users) this.#usersById.set(u.id, u);
    for (const q of opts.world.queues) this.#queueCampaign.set(q.id, q.campaignId);
    this.#unsubscribe.push(opts.store.onChange((c) => this.#campaignChanged(c)));
    for (const [id, model] of opts.dialers.entries()) {
      const states = new Map<number, AgentStateChange>();
      const calls: CallRecord[] = [];
      this.#agentStates.set(id, states);
      this.#recentCalls.set(id, calls);
      this.#unsubscribe.push(model.onAgentState((s) => states.set(s.agentId, s)));
      this.#unsubscribe.push(
        model.onCall((c) => {
          calls.push(c);
          if (calls.length > RECENT_CALLS) calls.shift();
        }),
      );
    }
  }

  #campaignChanged(c: Campaign): void {
    if (this.#stopped) return;
    const { selfUri: _selfUri, ...body } = c;
    this.#o.registry.publish(envelope(campaignTopic(c.id as string), body, this.#o.rng.uuid()));
  }

  /** Called after subscriptions change: starts the loops that now have an audience. */
  wake(): void {
    if (this.#stopped) return;
    if (!this.#genTimer && this.#o.eventRatePerSec > 0 && this.#syntheticTopics().length > 0) this.#armGenerator();
    if (!this.#statsTimer && this.#statsTopics().length > 0) {
      this.#lastStatsMs = this.#o.clock.now();
      this.#statsTimer = every(this.#o.clock, this.#o.statsIntervalMs, () => this.#publishStats());
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#genTimer?.cancel();
    this.#statsTimer?.cancel();
    for (const u of this.#unsubscribe) u();
  }

  #syntheticTopics(): string[] {
    return this.#o.registry
      .subscribedTopics()
      .filter((t) => {
        const p = parseTopic(t);
        if (!p) return false;
        if (p.kind === 'user.presence' || p.kind === 'user.routingStatus') return this.#usersById.has(p.entityId);
        return p.kind === 'queue.conversations' && this.#queueCampaign.has(p.entityId);
      })
      .sort();
  }

  #statsTopics(): string[] {
    return this.#o.registry.subscribedTopics().filter((t) => parseTopic(t)?.kind === 'campaign.stats').sort();
  }

  #armGenerator(): void {
    const gap = this.#o.rng.exp(1000 / this.#o.eventRatePerSec);
    this.#genTimer = this.#o.clock.setTimeout(() => {
      this.#genTimer = undefined;
      const topics = this.#syntheticTopics();
      if (this.#stopped || topics.length === 0) return;
      this.#o.dialers.advanceAll(this.#o.clock.now());
      this.#emitSynthetic(this.#o.rng.pick(topics));
      this.#armGenerator();
    }, gap);
  }

  #emitSynthetic(topic: string): void {
    const p = parseTopic(topic);
    if (!p) return;
    const now = this.#o.clock.now();
    const toMs = (tSec: number) => this.#o.dialers.toEpochMs(tSec);
    let body: unknown;
    if (p.kind === 'queue.conversations') {
      const campaignId = this.#queueCampaign.get(p.entityId) as string;
      const calls = this.#recentCalls.get(campaignId) ?? [];
      const users = this.#o.world.users.filter((u) => u.campaignId === campaignId);
      body = conversationBody(this.#o.rng, p.entityId, campaignId, calls.length ? this.#o.rng.pick(calls) : undefined, users, toMs, now);
    } else {
      const user = this.#usersById.get(p.entityId) as SimUser;
      const state = this.#agentStates.get(user.campaignId)?.get(user.agentIndex);
      body = p.kind === 'user.presence' ? presenceBody(state, toMs, now) : routingStatusBody(state, toMs, now);
    }
    this.#o.registry.publish(envelope(topic, body, this.#o.rng.uuid()));
  }

  /** One stats event per subscribed campaign; with no audience left the loop ends until wake(). */
  #publishStats(): void {
    const topics = this.#statsTopics();
    if (this.#stopped || topics.length === 0) {
      this.#statsTimer?.cancel();
      this.#statsTimer = undefined;
      return;
    }
    const now = this.#o.clock.now();
    this.#o.dialers.advanceAll(now);
    for (const t of topics) {
      const id = (parseTopic(t) as { entityId: string }).entityId;
      const model = this.#o.dialers.model(id);
      const counts = this.#o.dialers.counts(id, this.#lastStatsMs, now);
      if (!model || !counts) continue;
      this.#o.registry.publish(envelope(t, statsBody(id, this.#lastStatsMs, now, counts, model.snapshot()), this.#o.rng.uuid()));
    }
    this.#lastStatsMs = now;
  }
}
