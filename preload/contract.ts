// The bridge between main and the renderer: one invoke map (request → Result), one event map
// (main → renderer) and the channel names. Every payload has a runtime schema; both transports
// (Electron IPC and the headless host's loopback WebSocket) are generated from these maps, and
// main validates every request and every sender before serving it.
//
// This module is pure zod so it runs in main, in the sandboxed preload and in the browser.
// A namespace import (not `import { z }`) lets the renderer's bundler drop the parts of zod that
// are not used, e.g. its ~260 KB of locales.
import * as z from 'zod';

// ---- results and errors -------------------------------------------------------------------------

export const BRIDGE_ERROR_CODES = [
  'invalid-request', // payload failed its schema
  'invalid-sender', // not our origin / not the main frame / bad token
  'unknown-method',
  'validation', // a well-formed request the domain rejects (settings), with per-field messages
  'not-found',
  'unavailable', // the service is not running (e.g. tuning paused by breaker, sandbox stopping)
  'failed',
] as const;

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const BridgeErrorSchema = z.object({
  code: z.enum(BRIDGE_ERROR_CODES),
  message: z.string(),
  fix: z.string().optional(),
  fields: z.array(FieldErrorSchema).optional(),
});
export type BridgeError = z.infer<typeof BridgeErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: BridgeErrorSchema }),
  ]);
}

// ---- shared views -------------------------------------------------------------------------------

const isoTime = z.string();
const pct = z.number().nullable();

export const SECRET_NAMES = ['genesys.clientSecret', 'proxy.password', 'influx.token', 'relay.token'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export const CAMPAIGN_MODES = ['auto', 'paused', 'dry-run', 'override'] as const;
export type CampaignMode = (typeof CAMPAIGN_MODES)[number];

export const DECISION_OUTCOMES = [
  'applied',
  'unchanged',
  'recommended', // dry-run: computed and recorded, not written
  'conflict',
  'rate-limited',
  'breaker-open',
  'skipped', // not a predictive/power campaign, or not running
  'error',
] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const DecisionSchema = z.object({
  at: isoTime,
  outcome: z.enum(DECISION_OUTCOMES),
  oldValue: z.number().nullable(),
  newValue: z.number().nullable(),
  version: z.number().nullable(),
  message: z.string(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const CampaignViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  dialingMode: z.string(),
  campaignStatus: z.string(),
  mode: z.enum(CAMPAIGN_MODES),
  controller: z.string(),
  /** The field Pacekeeper writes, named in the UI. */
  field: z.literal('maxCallsPerAgentDecimal'),
  current: z.number().nullable(),
  recommended: z.number().nullable(),
  min: z.number(),
  max: z.number(),
  connectRatio: pct,
  abandonWindowPct: pct,
  abandonDayPct: pct,
  setpointPct: z.number(),
  ceilingPct: z.number(),
  /** What the platform's own pacer is doing (`adjustedCallsPerAgent`). */
  platformPacing: z.number().nullable(),
  lastDecision: DecisionSchema.nullable(),
  hold: z.object({ value: z.number(), until: isoTime.nullable() }).nullable(),
  breakerOpenUntil: isoTime.nullable(),
  counters: z.object({ applied: z.number(), conflicts: z.number(), rateLimited: z.number(), errors: z.number() }),
});
export type CampaignView = z.infer<typeof CampaignViewSchema>;

export const HopStatusSchema = z.object({
  hop: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  fix: z.string().optional(),
  ms: z.number().optional(),
});
export type HopStatus = z.infer<typeof HopStatusSchema>;

export const ProxyHealthSchema = z.object({
  route: z.string(), // "direct" or "http://proxy:3128"
  source: z.string(), // setting | env | system | direct | loopback | noProxy …
  tunnelsOpened: z.number(),
  active: z.number(),
  idle: z.number(),
  handshakeMs: z.number().nullable(),
  lastError: z.object({ hop: z.string(), code: z.string(), message: z.string(), fix: z.string(), at: isoTime }).nullable(),
  hops: z.array(HopStatusSchema),
});
export type ProxyHealth = z.infer<typeof ProxyHealthSchema>;

export const RelayHealthSchema = z.object({
  enabled: z.boolean(),
  port: z.number().nullable(),
  sessions: z.number(),
  upstreamChannels: z.number(),
  topics: z.number(),
  queueDepthP99: z.number(),
  drops: z.number(),
  slowConsumerCloses: z.number(),
  latencyP50Ms: z.number().nullable(),
  latencyP99Ms: z.number().nullable(),
});
export type RelayHealth = z.infer<typeof RelayHealthSchema>;

export const TelemetryHealthSchema = z.object({
  enabled: z.boolean(),
  target: z.string().nullable(),
  lastSuccess: isoTime.nullable(),
  backlog: z.number(),
  dropped: z.number(),
  lastError: z.string().nullable(),
});
export type TelemetryHealth = z.infer<typeof TelemetryHealthSchema>;

export const WarningSchema = z.object({ code: z.string(), message: z.string(), fix: z.string().optional() });
export type Warning = z.infer<typeof WarningSchema>;

export const CoreStateSchema = z.object({
  at: isoTime,
  platform: z.object({
    mode: z.enum(['sandbox', 'live']),
    region: z.string(),
    apiBaseUrl: z.string(),
  }),
  campaigns: z.array(CampaignViewSchema),
  proxy: ProxyHealthSchema,
  relay: RelayHealthSchema,
  telemetry: TelemetryHealthSchema,
  warnings: z.array(WarningSchema),
});
export type CoreState = z.infer<typeof CoreStateSchema>;

export const HistoryPointSchema = z.object({
  t: z.number(), // ms since epoch
  applied: z.number().nullable(),
  recommended: z.number().nullable(),
  abandonPct: z.number().nullable(),
});
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;

export const EVENT_KINDS = [
  'applied',
  'conflict',
  'rate-limited',
  'breaker-open',
  'breaker-closed',
  'error',
  'override-started',
  'override-ended',
  'mode-changed',
  'proxy-auth',
  'keychain-unavailable',
  'settings-saved',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EventLogEntrySchema = z.object({
  id: z.number(),
  at: isoTime,
  kind: z.enum(EVENT_KINDS),
  severity: z.enum(['info', 'warning', 'error']),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  message: z.string(),
});
export type EventLogEntry = z.infer<typeof EventLogEntrySchema>;

// ---- requests -----------------------------------------------------------------------------------

const campaignId = z.string().min(1).max(128);

export const CampaignCommandSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pause'), campaignId, reason: z.string().max(500).optional() }),
  z.object({ action: z.literal('resume'), campaignId, reason: z.string().max(500).optional() }),
  z.object({ action: z.literal('dry-run'), campaignId, enabled: z.boolean() }),
  z.object({
    action: z.literal('override'),
    campaignId,
    value: z.number().finite().positive().max(50),
    holdMinutes: z.number().int().min(1).max(24 * 60),
  }),
  z.object({ action: z.literal('release'), campaignId }),
  z.object({ action: z.literal('apply-now'), campaignId }),
]);
export type CampaignCommand = z.infer<typeof CampaignCommandSchema>;

export const CommandOutcomeSchema = z.object({
  campaignId: z.string(),
  mode: z.enum(CAMPAIGN_MODES),
  decision: DecisionSchema.nullable(),
  message: z.string(),
});
export type CommandOutcome = z.infer<typeof CommandOutcomeSchema>;

export const SecretStatusSchema = z.enum(['set', 'not-set']);

/** Settings travel as plain JSON; main validates them against the settings schema. */
const settingsJson = z.record(z.string(), z.unknown());

export const SettingsViewSchema = z.object({
  settings: settingsJson,
  secrets: z.record(z.enum(SECRET_NAMES), SecretStatusSchema),
  secretBackend: z.string(),
  warnings: z.array(WarningSchema),
  /** Choices for the form's region field (GENESYS_REGION_KEYS); without it the field is free text. */
  regions: z.array(z.string()).optional(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const SettingsUpdateSchema = z.object({
  /** A deep partial of the settings file. */
  patch: settingsJson,
  /** Write-only: a string sets the secret, null deletes it. Never read back. */
  secrets: z.partialRecord(z.enum(SECRET_NAMES), z.string().max(4096).nullable()).optional(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

export const DoctorReportSchema = z.object({
  ok: z.boolean(),
  at: isoTime,
  hops: z.array(HopStatusSchema),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

// ---- the maps -----------------------------------------------------------------------------------

const none = z.object({}).strict().optional();

export const invokeMap = {
  'state:get': { request: none, response: CoreStateSchema },
  'history:get': {
    request: z.object({ campaignId, sinceMs: z.number().int().nonnegative().optional() }),
    response: z.object({ campaignId: z.string(), points: z.array(HistoryPointSchema) }),
  },
  'events:get': {
    request: z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional(),
    response: z.array(EventLogEntrySchema),
  },
  'campaign:command': { request: CampaignCommandSchema, response: CommandOutcomeSchema },
  'settings:get': { request: none, response: SettingsViewSchema },
  'settings:update': { request: SettingsUpdateSchema, response: SettingsViewSchema },
  'doctor:run': { request: none, response: DoctorReportSchema },
} as const;

export type InvokeMap = typeof invokeMap;
export type InvokeName = keyof InvokeMap;
export type InvokeRequest<K extends InvokeName> = z.input<InvokeMap[K]['request']>;
export type InvokeResponse<K extends InvokeName> = z.output<InvokeMap[K]['response']>;
export const INVOKE_NAMES = Object.keys(invokeMap) as InvokeName[];

export const eventMap = {
  state: CoreStateSchema,
  history: z.object({ campaignId: z.string(), point: HistoryPointSchema }),
  log: EventLogEntrySchema,
  /** A tray notification was clicked: show this view. */
  navigate: z.object({ view: z.enum(['overview', 'campaign', 'proxy', 'relay', 'settings', 'events']), campaignId: z.string().optional() }),
} as const;

export type EventMap = typeof eventMap;
export type EventName = keyof EventMap;
export type EventPayload<K extends EventName> = z.output<EventMap[K]>;
export const EVENT_NAMES = Object.keys(eventMap) as EventName[];

/** Electron IPC channel names, one per invoke and a single event channel. */
export const IPC_INVOKE_PREFIX = 'pacekeeper:invoke:' as const;
export const IPC_EVENT_CHANNEL = 'pacekeeper:event' as const;
export const ipcInvokeChannel = (name: InvokeName) => `${IPC_INVOKE_PREFIX}${name}` as const;

/** What the renderer receives: named, typed methods only. Same shape over IPC and WebSocket. */
export interface PacekeeperBridge {
  invoke<K extends InvokeName>(name: K, request: InvokeRequest<K>): Promise<Result<InvokeResponse<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}

/** Frames of the headless host's WebSocket transport. */
/** `request` may be absent: JSON has no `undefined`, and methods such as state:get take none. */
export const WsClientFrameSchema = z.object({ id: z.number().int().nonnegative(), method: z.string(), request: z.unknown().optional() });
export type WsClientFrame = z.infer<typeof WsClientFrameSchema>;
export const WsServerFrameSchema = z.union([
  z.object({ type: z.literal('result'), id: z.number(), result: z.unknown() }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type WsServerFrame = z.infer<typeof WsServerFrameSchema>;
/** The headless host's WebSocket subprotocol; the token travels as a second subprotocol, never in the URL query. */
export const WS_BRIDGE_PROTOCOL = 'pacekeeper.bridge.v1' as const;
