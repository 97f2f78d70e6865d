// The settings file, as one zod schema: the single source of truth for its shape, defaults and
// cross-field rules (conf's ajv schema is deliberately not used; see docs/secrets-and-settings.md).
// No secret ever has a field here: passwords and tokens live in the SecretStore.
// Objects are strict, so a typo or a stray field is an error with a path, not silently dropped.
// Only zod and the WHATWG URL global are used, so the schema can run in any JS host.
import { z } from 'zod';
import { GENESYS_REGION_KEYS } from './genesys-regions.ts';
import { checkOrigin, normalizeUrl, PROXY_URL, SERVICE_URL, type UrlRule } from './url-rules.ts';

export const SETTINGS_SCHEMA_VERSION = 2;

// ---- field helpers ---------------------------------------------------------------------------

const int = (min: number, max: number, def: number) => z.number().int().min(min).max(max).default(def);

/** Optional text; '' (a cleared form field) means "not set". */
const optionalText = (max: number) =>
  z.string().trim().max(max).optional().transform((v) => (v === '' ? undefined : v));

const optionalUrl = (rule: UrlRule) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const r = normalizeUrl(v, rule);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  });

const requiredUrl = (rule: UrlRule, def: string) =>
  z.string().default(def).transform((v, ctx) => {
    const r = normalizeUrl(v, rule);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  });

const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
const NO_PROXY_ENTRY = /^[^\s,]+$/;
/** Genesys ids are UUIDs; the simulator's may be shorter. No dots, so paths stay unambiguous. */
const CAMPAIGN_ID = /^[A-Za-z0-9_-]{1,64}$/;

// ---- sections --------------------------------------------------------------------------------

export const GenesysSettingsSchema = z.strictObject({
  region: z.enum(GENESYS_REGION_KEYS).default('us_east_1'),
  /** OAuth client id (client-credentials). Its secret is the `genesys.clientSecret` secret. */
  clientId: optionalText(128),
  /** Overrides for gateways and test platforms; derived from `region` when absent. */
  apiBaseUrl: optionalUrl(SERVICE_URL),
  loginBaseUrl: optionalUrl(SERVICE_URL),
}).prefault({});

export const SandboxSettingsSchema = z.strictObject({
  /** auto: use the embedded simulator while no client id or client secret is configured. */
  enabled: z.enum(['auto', 'on', 'off']).default('auto'),
  seed: int(0, 0xffff_ffff, 1),
  /** Simulated time runs this many times faster than the wall clock. */
  speed: z.number().min(0.1).max(1000).default(1),
}).prefault({});

export const ProxySettingsSchema = z.strictObject({
  /** system: OS/PAC settings; env: HTTPS_PROXY/HTTP_PROXY/NO_PROXY; explicit: `url`; direct: none. */
  mode: z.enum(['system', 'env', 'explicit', 'direct']).default('system'),
  url: optionalUrl(PROXY_URL),
  /** Hosts that bypass the proxy: host, .suffix, *.suffix, host:port, IP or CIDR. */
  noProxy: z.array(z.string().trim().regex(NO_PROXY_ENTRY, 'One host or pattern per entry, no spaces or commas.')).max(500).default([]),
  /** Proxy user name; the password is the `proxy.password` secret. */
  username: optionalText(256),
  connectTimeoutMs: int(100, 600_000, 10_000),
}).prefault({}).superRefine((p, ctx) => {
  if (p.mode === 'explicit' && !p.url) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'Enter the proxy URL (http://host:port), or choose another proxy mode.' });
  }
});

export const TlsSettingsSchema = z.strictObject({
  /** Extra PEM bundles (corporate roots), added to the default and system roots. */
  caBundlePaths: z.array(z.string().trim().regex(ABSOLUTE_PATH, 'Use an absolute path to a PEM file.')).max(50).default([]),
}).prefault({});

export const NetSettingsSchema = z.strictObject({
  connectionsPerOrigin: int(1, 256, 20),
  /** Keep below the proxy's idle timeout (squid: 2 min; many appliances: 60 s). */
  keepAliveMs: int(1_000, 600_000, 90_000),
  /** Whole operation, retries included. */
  requestDeadlineMs: int(1_000, 3_600_000, 120_000),
}).prefault({});

export const InfluxSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  version: z.enum(['v1', 'v2']).default('v2'),
  url: requiredUrl(SERVICE_URL, 'http://127.0.0.1:8086'),
  /** v2 organisation and bucket. The v2 token is the `influx.token` secret. */
  org: optionalText(256),
  bucket: optionalText(256),
  /** v1 database and retention policy; the v1 password is the `influx.token` secret. */
  db: optionalText(256),
  rp: optionalText(256),
  username: optionalText(256),
  batchSize: int(1, 100_000, 5_000),
  flushIntervalMs: int(100, 600_000, 10_000),
  gzip: z.boolean().default(true),
  /** Disk spool for points written while InfluxDB is unreachable. */
  spoolMaxBytes: int(1024 * 1024, 10 * 1024 ** 3, 64 * 1024 * 1024),
}).prefault({}).superRefine((s, ctx) => {
  if (!s.enabled) return;
  const need = (field: 'org' | 'bucket' | 'db', what: string) => {
    if (!s[field]) ctx.addIssue({ code: 'custom', path: [field], message: `Enter the ${what} (needed for InfluxDB ${s.version}).` });
  };
  if (s.version === 'v2') {
    need('org', 'organisation');
    need('bucket', 'bucket');
  } else {
    need('db', 'database');
  }
});

export const RelaySettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Loopback port for local tools; 0 picks a free port at each start. */
  port: int(0, 65_535, 0),
  /** Genesys allows 20 notification channels per user and OAuth client. */
  maxChannels: int(1, 20, 20),
  /** Genesys allows 1,000 topics per channel. */
  maxTopicsPerChannel: int(1, 1_000, 1_000),
  /** Browser origins allowed to connect (tools without an Origin header need only the token). */
  allowedOrigins: z.array(z.string().transform((v, ctx) => {
    const r = checkOrigin(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  })).max(100).default([]),
}).prefault({});

export const TUNING_CONTROLLERS = ['compliance', 'seed'] as const;
export const TUNING_MODES = ['auto', 'paused', 'dry-run'] as const;

const tuningFields = {
  /** Bounds for the pacing value (maxCallsPerAgentDecimal). 50 is a sanity cap, not a platform limit. */
  min: z.number().min(1).max(50),
  max: z.number().min(1).max(50),
  controller: z.enum(TUNING_CONTROLLERS),
  abandonSetpointPct: z.number().gt(0).max(100),
  abandonCeilingPct: z.number().gt(0).max(100),
  intervalSec: z.number().int().min(5).max(3_600),
  mode: z.enum(TUNING_MODES),
  /** Documented cuts beyond the ±10% step (down only, ≤ 50%, audited); false keeps every step within ±10%. */
  emergencyCuts: z.boolean(),
};

export const TuningDefaultsSchema = z.strictObject({
  min: tuningFields.min.default(1.0),
  max: tuningFields.max.default(3.0),
  controller: tuningFields.controller.default('compliance'),
  abandonSetpointPct: tuningFields.abandonSetpointPct.default(2.5),
  abandonCeilingPct: tuningFields.abandonCeilingPct.default(3),
  intervalSec: tuningFields.intervalSec.default(30),
  mode: tuningFields.mode.default('auto'),
  emergencyCuts: tuningFields.emergencyCuts.default(true),
}).prefault({});

/** Per-campaign overrides: any subset of the defaults. */
export const TuningOverrideSchema = z.strictObject({
  min: tuningFields.min.optional(),
  max: tuningFields.max.optional(),
  controller: tuningFields.controller.optional(),
  abandonSetpointPct: tuningFields.abandonSetpointPct.optional(),
  abandonCeilingPct: tuningFields.abandonCeilingPct.optional(),
  intervalSec: tuningFields.intervalSec.optional(),
  mode: tuningFields.mode.optional(),
  emergencyCuts: tuningFields.emergencyCuts.optional(),
});

export type TuningDefaults = z.output<typeof TuningDefaultsSchema>;
export type TuningOverride = z.output<typeof TuningOverrideSchema>;

/** The tuning settings in force for one campaign: its overrides on top of the defaults. */
export function effectiveTuning(tuning: { readonly defaults: Readonly<TuningDefaults>; readonly campaigns: Readonly<Record<string, Readonly<TuningOverride>>> }, campaignId: string): TuningDefaults {
  const own = tuning.campaigns[campaignId] ?? {};
  const out = { ...tuning.defaults };
  for (const [k, v] of Object.entries(own)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Whether the embedded simulator should serve this run. `auto` means: until both a client id and
 * a client secret are configured (the secret's presence comes from SecretStore.status()).
 */
export function sandboxActive(settings: { sandbox: { enabled: 'auto' | 'on' | 'off' }; genesys: { clientId?: string | undefined } }, hasClientSecret: boolean): boolean {
  if (settings.sandbox.enabled !== 'auto') return settings.sandbox.enabled === 'on';
  return !settings.genesys.clientId || !hasClientSecret;
}

function checkTuning(t: TuningDefaults, ctx: z.RefinementCtx, path: (string | number)[]): void {
  if (!(t.min < t.max)) {
    ctx.addIssue({ code: 'custom', path: [...path, 'min'], message: `The minimum (${t.min}) must be below the maximum (${t.max}).` });
  }
  if (t.abandonSetpointPct > t.abandonCeilingPct) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'abandonSetpointPct'],
      message: `The abandon setpoint (${t.abandonSetpointPct}%) must not exceed the ceiling (${t.abandonCeilingPct}%).`,
    });
  }
}

export const TuningSettingsSchema = z.strictObject({
  defaults: TuningDefaultsSchema,
  campaigns: z.record(z.string().regex(CAMPAIGN_ID, 'Not a campaign id.'), TuningOverrideSchema).default({}),
}).prefault({}).superRefine((t, ctx) => {
  checkTuning(t.defaults, ctx, ['defaults']);
  for (const id of Object.keys(t.campaigns)) checkTuning(effectiveTuning(t, id), ctx, ['campaigns', id]);
});

export const UiSettingsSchema = z.strictObject({
  /** Start Pacekeeper at login. */
  loginItem: z.boolean().default(false),
  notifications: z.strictObject({
    /** Similar notifications within this window are merged into one. 0 = never merge. */
    coalesceMinutes: int(0, 1_440, 5),
  }).prefault({}),
}).prefault({});

export const SecretsSettingsSchema = z.strictObject({
  /** keychain: the OS keychain. encrypted-file: an opt-in file encrypted with OS encryption (Electron safeStorage). */
  store: z.enum(['keychain', 'encrypted-file']).default('keychain'),
}).prefault({});

// ---- the file ----------------------------------------------------------------------------------

export const SettingsSchema = z.strictObject({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION, {
    error: `This settings file is for a different version of Pacekeeper (schemaVersion must be ${SETTINGS_SCHEMA_VERSION}).`,
  }).default(SETTINGS_SCHEMA_VERSION),
  genesys: GenesysSettingsSchema,
  sandbox: SandboxSettingsSchema,
  proxy: ProxySettingsSchema,
  tls: TlsSettingsSchema,
  net: NetSettingsSchema,
  influx: InfluxSettingsSchema,
  relay: RelaySettingsSchema,
  tuning: TuningSettingsSchema,
  ui: UiSettingsSchema,
  secrets: SecretsSettingsSchema,
});

export type Settings = z.output<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;
export type SettingsSection = Exclude<keyof Settings, 'schemaVersion'>;
export const SETTINGS_SECTIONS = Object.keys(SettingsSchema.shape).filter((k) => k !== 'schemaVersion') as SettingsSection[];

/** A fresh copy of the defaults. */
export function defaultSettings(): Settings {
  return canonical(SettingsSchema.parse({}));
}

/** JSON round-trip: drops keys whose value is undefined, so equal settings compare equal. */
export function canonical<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
