// The points Pacekeeper writes, as pure builders:
//   campaign_drift   one per applied pacing change (old rate, new rate, drift), tagged by campaign
//   campaign_signal  one per tuning cycle, with the inputs the controller saw
//   proxy_health / relay_health  optional, once a minute (health-sampler.ts)
import { float, int, str, type FieldInput, type Point } from './line-protocol.ts';

export interface CampaignTags {
  campaignId: string;
  campaignName: string;
  /** Genesys Cloud region, e.g. `mypurecloud.ie`. */
  region: string;
  /** Controller name, e.g. `compliance-pi`. */
  controller: string;
  /** Tuning mode: auto, dry-run, override… */
  mode: string;
}

export interface AppliedChange extends CampaignTags {
  /** Pacing value (maxCallsPerAgentDecimal) before and after the write. */
  oldRate: number;
  newRate: number;
  /** newRate − oldRate when the caller has it; computed otherwise. */
  drift?: number | undefined;
  /** Abandon rate the controller acted on, in percent. */
  abandonPct?: number | undefined;
  connectRatio?: number | undefined;
  /** Campaign version the write produced. */
  version?: number | undefined;
  /** The controller's reason code (audit trail), e.g. `pi`, `ceiling-cut`. */
  reason?: string | undefined;
}

export interface CycleSignal extends CampaignTags {
  /** Pacing value read this cycle, and the controller's proposal before guards. */
  currentRate: number;
  proposedRate?: number | undefined;
  abandonPct?: number | undefined;
  connectRatio?: number | undefined;
  /** What the loop did: write, record, unchanged, skip… */
  action?: string | undefined;
  reason?: string | undefined;
  /** The controller's inputs (nested objects of numbers are flattened: window.live → window_live). */
  inputs?: object | undefined;
}

/** A finite number as a float field; anything else leaves the field out (no data is not zero). */
const num = (v: number | undefined): FieldInput | undefined => (typeof v === 'number' && Number.isFinite(v) ? float(v) : undefined);
const text = (v: string | undefined): FieldInput | undefined => (v === undefined ? undefined : str(portableText(v)));

const NEEDS_CARE = /[\r\n\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Free text as a field value: line breaks become spaces, broken surrogates U+FFFD. */
export function portableText(s: string): string {
  if (!NEEDS_CARE.test(s)) return s;
  return s.replace(/\r\n|[\r\n]/g, ' ').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Free text (campaign names) as a tag value. Besides portableText, a backslash that InfluxDB 1.x/2.x
 * could not store (at the end, or before \ , = or space) becomes U+29F5 `⧵`, which looks the same;
 * see docs/telemetry.md. The campaign_id tag stays exact, so series are still told apart correctly.
 */
export function portableTagValue(s: string): string {
  const t = portableText(s);
  return t.includes('\\') ? t.replace(/\\(?=[\\,= ]|$)/g, '\u29F5') : t;
}

// Keys are listed in sorted order, the order line protocol is written in, so encoding skips a sort.
function campaignTags(c: CampaignTags): Record<string, string> {
  return {
    campaign_id: portableTagValue(c.campaignId),
    campaign_name: portableTagValue(c.campaignName),
    controller: portableTagValue(c.controller),
    mode: portableTagValue(c.mode),
    region: portableTagValue(c.region),
  };
}

export function campaignDriftPoint(c: AppliedChange, timeNs: bigint): Point {
  return {
    measurement: 'campaign_drift',
    tags: campaignTags(c),
    fields: {
      abandon_pct: num(c.abandonPct),
      connect_ratio: num(c.connectRatio),
      drift: num(c.drift ?? c.newRate - c.oldRate),
      new_rate: num(c.newRate),
      old_rate: num(c.oldRate),
      reason: text(c.reason),
      version: c.version !== undefined && Number.isSafeInteger(c.version) ? int(c.version) : undefined,
    },
    timeNs,
  };
}

export function campaignSignalPoint(s: CycleSignal, timeNs: bigint): Point {
  const fields: Record<string, FieldInput | undefined> = {};
  for (const [k, v] of Object.entries(flattenNumbers(s.inputs ?? {}))) fields[k] = num(v);
  Object.assign(fields, {
    current_rate: num(s.currentRate),
    proposed_rate: num(s.proposedRate),
    abandon_pct: num(s.abandonPct),
    connect_ratio: num(s.connectRatio),
    action: text(s.action),
    reason: text(s.reason),
  });
  return { measurement: 'campaign_signal', tags: campaignTags(s), fields, timeNs };
}

/** Health points: string tags, numeric or boolean fields (non-finite numbers left out). */
export function healthPoint(measurement: 'proxy_health' | 'relay_health', tags: Record<string, string | undefined>, values: Record<string, number | boolean | undefined>, timeNs: bigint): Point {
  const fields: Record<string, FieldInput | undefined> = {};
  for (const [k, v] of Object.entries(values)) fields[k] = typeof v === 'boolean' ? v : num(v);
  const t: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(tags)) t[k] = v === undefined ? undefined : portableTagValue(v);
  return { measurement, tags: t, fields, timeNs };
}

/**
 * Nested numbers as snake_case field names: { window: { live: 3 }, daySec: 10 } → { window_live: 3,
 * day_sec: 10 }. Non-numbers are skipped; depth is bounded because inputs come from other modules.
 */
export function flattenNumbers(input: object, prefix = '', depth = 0, out: Record<string, number> = {}): Record<string, number> {
  if (depth > 4) return out;
  for (const [k, v] of Object.entries(input)) {
    const key = `${prefix}${k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
    if (typeof v === 'number') out[key] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) flattenNumbers(v as object, `${key}_`, depth + 1, out);
  }
  return out;
}
