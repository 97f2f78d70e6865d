// SimControl: the levers tests, benchmarks and the admin endpoint pull on a running simulator
// (faults, a concurrent writer, token revocation, rate limits, socket closing, virtual time) and
// what they read back (counters, internal campaign and channel state).
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../util/clock.ts';
import type { Campaign, CampaignStats } from '../genesys/models.ts';
import type { Counts, DialerSnapshot, ScenarioName } from './dialer/index.ts';
import type { SimCore } from './core.ts';
import { copyCounters, emptyCounters, type SimCounters } from './counters.ts';
import type { FaultSnapshot, FaultSpec } from './faults.ts';
import { campaignStats } from './campaign-stats.ts';
import { CLOSE } from './notifications/channel-registry.ts';
import { envelope } from './notifications/topics.ts';
import type { SimQueue, SimUser } from './sandbox-world.ts';
import { genesysError } from './errors.ts';

export interface SimCampaignState {
  campaign: Campaign;
  scenario: ScenarioName;
  /** Whether the dialer places calls (campaign `on` and predictive/power). */
  dialing: boolean;
  snapshot: DialerSnapshot;
  stats: CampaignStats;
  queue: SimQueue | undefined;
  users: SimUser[];
}

export interface ChannelInfo {
  id: string;
  clientId: string;
  connected: boolean;
  topics: string[];
  createdAt: string;
  expires: string;
  lastUsed: string;
}

export interface SimControl {
  /** Bearer token for the /__sim admin endpoint. Never printed or logged. */
  readonly adminToken: string;
  injectFaults(spec: FaultSpec): void;
  clearFaults(): void;
  faults(): FaultSnapshot;
  /** A concurrent writer: bumps the campaign's version (optionally changing fields) like a foreign PUT. */
  bumpVersion(campaignId: string, changes?: Partial<Campaign>): Campaign;
  counters(): SimCounters;
  resetCounters(): void;
  listCampaigns(): SimCampaignState[];
  campaign(id: string): SimCampaignState | undefined;
  /** The dialer's counts for a campaign over [fromMs, toMs) of simulator time (what analytics reports). */
  counts(campaignId: string, fromMs: number, toMs: number): Counts | undefined;
  users(): SimUser[];
  queues(): SimQueue[];
  /** Revokes one token (or all): API calls get 401 and its channels close. Returns how many. */
  revokeTokens(token?: string): number;
  /** Makes one token (or all) expire now. Returns how many. */
  expireTokens(token?: string): number;
  /** Lifetime of tokens issued from now on. */
  setTokenLifetime(seconds: number): void;
  readonly rateLimit: number;
  setRateLimit(perMinute: number): void;
  /** Sends v2.system.socket_closing on connected channels, then closes them after the grace. */
  socketClosing(opts?: { channelId?: string; graceMs?: number }): number;
  /** Removes one channel (or all); connected sockets close with 4004. */
  closeChannels(channelId?: string): number;
  channels(): ChannelInfo[];
  /** Sends an arbitrary event on a topic to subscribed channels; returns how many received it. */
  publish(topic: string, eventBody: unknown): number;
  /** The simulator clock's now (epoch ms). */
  now(): number;
  readonly manualClock: boolean;
  /** Advances a ManualClock (timers fire) and runs the dialer models up to the new now. */
  advance(ms: number): Promise<void>;
}

export function createControl(core: SimCore): SimControl {
  /** Callers bring the models to "now" first (once per read, not once per campaign). */
  const state = (c: Campaign): SimCampaignState => {
    const id = c.id as string;
    const model = core.dialers.model(id);
    const snapshot = model?.snapshot() as DialerSnapshot;
    return {
      campaign: c,
      scenario: core.world.scenarios.get(id) ?? 'steady',
      dialing: snapshot?.dialing ?? false,
      snapshot,
      stats: campaignStats(c, snapshot),
      queue: core.world.queues.find((q) => q.campaignId === id),
      users: core.world.users.filter((u) => u.campaignId === id),
    };
  };
  const requireCampaign = (id: string): Campaign => {
    const c = core.store.get(id);
    if (!c) throw genesysError('notFound', { message: `The campaign ${id.slice(0, 100)} was not found.` });
    return c;
  };

  return {
    adminToken: core.adminToken,
    injectFaults: (spec) => core.faults.inject(spec),
    clearFaults: () => core.faults.clear(),
    faults: () => core.faults.snapshot(),
    bumpVersion(id, changes = {}) {
      requireCampaign(id);
      core.dialers.advanceAll(core.clock.now());
      return core.store.bumpVersion(id, changes);
    },
    counters: () => copyCounters(core.counters),
    resetCounters() {
      core.counters = emptyCounters();
    },
    listCampaigns() {
      core.dialers.advanceAll(core.clock.now());
      return core.store.list().map(state);
    },
    campaign(id) {
      const c = core.store.get(id);
      if (!c) return undefined;
      core.dialers.advanceAll(core.clock.now());
      return state(c);
    },
    counts(id, fromMs, toMs) {
      core.dialers.advanceAll(core.clock.now());
      return core.dialers.counts(id, fromMs, toMs);
    },
    users: () => structuredClone(core.world.users),
    queues: () => structuredClone(core.world.queues),
    revokeTokens: (token) => core.tokens.revoke(token),
    expireTokens: (token) => core.tokens.expire(token),
    setTokenLifetime(seconds) {
      if (!Number.isFinite(seconds) || seconds < 1) throw new RangeError(`token lifetime must be at least 1 s, got ${seconds}`);
      core.tokens.lifetimeSec = seconds;
    },
    get rateLimit() {
      return core.limiter.limit;
    },
    setRateLimit(perMinute) {
      core.limiter.limit = perMinute;
      core.limiter.reset();
    },
    socketClosing: (opts = {}) => core.sockets.socketClosing(opts.channelId, opts.graceMs ?? core.limits.socketClosingGraceMs),
    closeChannels(channelId) {
      if (channelId === undefined) return core.channels.removeAll(CLOSE.channelGone);
      return core.channels.remove(channelId, CLOSE.channelGone) ? 1 : 0;
    },
    channels: () =>
      core.channels.list().map((c) => ({
        id: c.id,
        clientId: c.clientId,
        connected: !!c.sink,
        topics: [...c.topics],
        createdAt: new Date(c.createdAt).toISOString(),
        expires: new Date(c.expiresAt).toISOString(),
        lastUsed: new Date(c.lastUsedAt).toISOString(),
      })),
    publish: (topic, eventBody) => core.channels.publish(envelope(topic, eventBody, randomUUID())),
    now: () => core.clock.now(),
    manualClock: core.clock instanceof ManualClock,
    async advance(ms) {
      if (!(core.clock instanceof ManualClock)) throw new TypeError('advance() needs the simulator to run on a ManualClock');
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs a non-negative number of ms, got ${ms}`);
      await core.clock.advance(ms);
      core.dialers.advanceAll(core.clock.now());
    },
  };
}
