// The write under optimistic concurrency. PUT is a full replacement, so the body is the campaign
// exactly as read, with only the pacing fields changed: `campaignStatus` and everything else are
// echoed back, `version` is the one read, and If-Match carries the read ETag when there was one.
// On 409/412 the campaign is read again and the value is recomputed from the latest version (the
// other writer's changes are kept, never overwritten with our stale copy), up to `maxRetries`.
import type { Campaign } from '../genesys/models.ts';
import type { CampaignApi, CampaignRead, CallOpts } from './campaign-api.ts';
import { classifyApiError } from './campaign-api.ts';
import { PACED_DIALING_MODES, type GuardDecision } from './guards.ts';

/** What to do with one version of the campaign. */
export type WriteDecision = { write: true; value: number } | { write: false; value: number; why: string };

export type WriteResult =
  | { outcome: 'applied'; oldValue: number; value: number; version: number | undefined; attempts: number; read: CampaignRead }
  | { outcome: 'unchanged'; oldValue: number; value: number; why: string; attempts: number; read: CampaignRead }
  | { outcome: 'conflict'; attempts: number; status: number; read: CampaignRead };

export interface WritePathDeps {
  api: CampaignApi;
  campaignId: string;
  /** `when-given`: send If-Match whenever the read had an ETag. `never`: rely on `version` only. */
  ifMatch: 'when-given' | 'never';
  maxRetries: number;
  /** The loop's request wrapper (budget, 429 waits, breaker); it rethrows conflicts. */
  call: <T>(stage: 'read' | 'write', fn: (o: CallOpts) => Promise<T>) => Promise<T>;
}

/** What the guards decided, as the write path needs it: write the value, or leave it and say why. */
export function writeDecisionOf(g: GuardDecision): WriteDecision {
  return g.action === 'write' ? { write: true, value: g.value } : { write: false, value: g.value, why: g.why };
}

/** The value the platform is using: the decimal field, else the integer one. */
export function pacingValueOf(c: Campaign): number | undefined {
  return c.maxCallsPerAgentDecimal ?? c.maxCallsPerAgent;
}

/** The PUT body: the read campaign with the pacing value set; the integer field follows the decimal. */
export function pacedBody(c: Campaign, value: number): Campaign {
  return { ...structuredClone(c), maxCallsPerAgentDecimal: value, maxCallsPerAgent: Math.max(1, Math.round(value)) };
}

export async function writeWithRetry(first: CampaignRead, decide: (c: Campaign) => WriteDecision, d: WritePathDeps): Promise<WriteResult> {
  let read = first;
  for (let attempt = 1; ; attempt++) {
    const old = pacingValueOf(read.campaign) ?? Number.NaN;
    // A re-read may show the campaign moved out of a paced dialing mode: then nothing is written.
    const target: WriteDecision = PACED_DIALING_MODES.has(read.campaign.dialingMode)
      ? decide(read.campaign)
      : { write: false, value: old, why: 'not-paced-dialing-mode' };
    if (!target.write) return { outcome: 'unchanged', oldValue: old, value: target.value, why: target.why, attempts: attempt, read };
    const body = pacedBody(read.campaign, target.value);
    const etag = d.ifMatch === 'when-given' ? read.etag : undefined;
    try {
      const written = await d.call('write', (o) => d.api.putCampaign(d.campaignId, body, { ...o, ...(etag ? { ifMatch: etag } : {}) }));
      return { outcome: 'applied', oldValue: old, value: target.value, version: written.campaign.version, attempts: attempt, read: written };
    } catch (e) {
      const f = classifyApiError(e);
      if (f.kind !== 'conflict') throw e;
      if (attempt > d.maxRetries) return { outcome: 'conflict', attempts: attempt, status: f.status, read };
      read = await d.call('read', (o) => d.api.getCampaign(d.campaignId, o));
    }
  }
}
