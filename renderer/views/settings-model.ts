// The settings form's fields and the pure translation between them and the bridge: the settings
// JSON → form values, form values → a merge patch of what changed plus write-only secrets, and a
// validation error's path → the field that shows it. No DOM, so it is tested in Node.
import type { SecretName, SettingsUpdate } from '../../preload/contract.ts';

export type FieldKind = 'text' | 'url' | 'select' | 'list' | 'port' | 'number' | 'checkbox' | 'secret';

export interface FieldSpec {
  /** Dotted settings path (or the secret's name for secrets). */
  key: string;
  label: string;
  kind: FieldKind;
  section: string;
  help?: string;
  /** select: value → label. */
  options?: Readonly<Record<string, string>>;
}

export const SETTINGS_FIELDS: readonly FieldSpec[] = [
  { section: 'Genesys Cloud', key: 'genesys.region', label: 'Region', kind: 'select' },
  { section: 'Genesys Cloud', key: 'genesys.clientId', label: 'OAuth client id', kind: 'text', help: 'A client-credentials OAuth client. With no id and secret, Pacekeeper runs the sandbox.' },
  { section: 'Genesys Cloud', key: 'genesys.clientSecret', label: 'OAuth client secret', kind: 'secret' },
  {
    section: 'Proxy',
    key: 'proxy.mode',
    label: 'Proxy mode',
    kind: 'select',
    options: { system: 'System settings (OS, PAC)', env: 'Environment (HTTPS_PROXY, NO_PROXY)', explicit: 'This proxy URL', direct: 'No proxy (direct)' },
  },
  { section: 'Proxy', key: 'proxy.url', label: 'Proxy URL', kind: 'url', help: 'http://host:port — used when the mode is "This proxy URL".' },
  { section: 'Proxy', key: 'proxy.noProxy', label: 'NO_PROXY', kind: 'list', help: 'Hosts that bypass the proxy, one per line or comma-separated: host, .suffix, *.suffix, host:port, IP or CIDR.' },
  { section: 'Proxy', key: 'proxy.username', label: 'Proxy user name', kind: 'text' },
  { section: 'Proxy', key: 'proxy.password', label: 'Proxy password', kind: 'secret' },
  { section: 'TLS', key: 'tls.caBundlePaths', label: 'CA bundle paths', kind: 'list', help: 'Absolute paths of PEM files with your corporate root certificates, one per line.' },
  { section: 'InfluxDB', key: 'influx.enabled', label: 'Send telemetry to InfluxDB', kind: 'checkbox' },
  { section: 'InfluxDB', key: 'influx.version', label: 'InfluxDB API', kind: 'select', options: { v2: 'v2 (org, bucket, token)', v1: 'v1 (database, password)' } },
  { section: 'InfluxDB', key: 'influx.url', label: 'Endpoint URL', kind: 'url' },
  { section: 'InfluxDB', key: 'influx.org', label: 'Organisation (v2)', kind: 'text' },
  { section: 'InfluxDB', key: 'influx.bucket', label: 'Bucket (v2)', kind: 'text' },
  { section: 'InfluxDB', key: 'influx.db', label: 'Database (v1)', kind: 'text' },
  { section: 'InfluxDB', key: 'influx.token', label: 'Token (v2) or password (v1)', kind: 'secret' },
  { section: 'Tuning (every campaign)', key: 'tuning.defaults.min', label: 'Lowest pacing value', kind: 'number', help: 'maxCallsPerAgentDecimal never goes below this (1 or more).' },
  { section: 'Tuning (every campaign)', key: 'tuning.defaults.max', label: 'Highest pacing value', kind: 'number', help: 'The loop never writes more than this. 3 is a cautious start; about 6 suits 20 agents.' },
  { section: 'Tuning (every campaign)', key: 'tuning.defaults.abandonSetpointPct', label: 'Abandon target (%)', kind: 'number' },
  { section: 'Tuning (every campaign)', key: 'tuning.defaults.abandonCeilingPct', label: 'Abandon ceiling (%)', kind: 'number', help: 'The hard limit, over a rolling 30 minutes and the campaign day.' },
  { section: 'Tuning (every campaign)', key: 'tuning.defaults.intervalSec', label: 'Cycle (seconds)', kind: 'number' },
  { section: 'Tuning (every campaign)', key: 'tuning.defaults.mode', label: 'Mode', kind: 'select', options: { auto: 'Auto (write pacing values)', 'dry-run': 'Dry run (recommend only)', paused: 'Paused' } },
  {
    section: 'Tuning (every campaign)',
    key: 'tuning.defaults.emergencyCuts',
    label: 'Allow emergency cuts beyond the 10% step',
    kind: 'checkbox',
    help: 'Down only, at most 50%, audited. Off: every change stays within ±10% per cycle.',
  },
  { section: 'Relay', key: 'relay.port', label: 'Relay port', kind: 'port', help: 'Loopback port for local tools; 0 picks a free port at each start.' },
  { section: 'Desktop', key: 'ui.loginItem', label: 'Start Pacekeeper at login', kind: 'checkbox', help: 'Desktop app only: starts in the tray when you log in. The headless host ignores it.' },
];

export const SECRET_FIELDS = SETTINGS_FIELDS.filter((f) => f.kind === 'secret').map((f) => f.key as SecretName);

export type FormValues = Record<string, string | boolean>;
export interface SecretInput {
  value: string;
  /** Delete the stored secret. */
  clear: boolean;
}

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    cur = (next !== null && typeof next === 'object' ? next : (cur[part] = {})) as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
}

/** The form's values for a settings document (secrets are never part of it). */
export function formValuesFrom(settings: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of SETTINGS_FIELDS) {
    if (f.kind === 'secret') continue;
    const v = getPath(settings, f.key);
    if (f.kind === 'checkbox') out[f.key] = v === true;
    else if (f.kind === 'list') out[f.key] = Array.isArray(v) ? v.map(String).join('\n') : '';
    else out[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}

function fieldValue(f: FieldSpec, raw: string | boolean): unknown {
  if (f.kind === 'checkbox') return raw === true;
  const text = String(raw).trim();
  switch (f.kind) {
    case 'list':
      return text.split(/[\n,]+/).map((s) => s.trim()).filter((s) => s.length > 0);
    case 'port':
      // Not a number: sent as typed so main answers with its own message for the field.
      return text === '' ? null : /^\d+$/.test(text) ? Number(text) : text;
    case 'number':
      return text === '' ? null : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'select':
      return text;
    default:
      // A cleared field removes the key, so the default (or "not set") applies again.
      return text === '' ? null : text;
  }
}

/** What to send: only the fields that changed, and only the secrets typed or cleared. */
export function buildSettingsUpdate(values: FormValues, original: FormValues, secrets: Partial<Record<SecretName, SecretInput>>): { update: SettingsUpdate; changed: string[] } {
  const patch: Record<string, unknown> = {};
  const changed: string[] = [];
  for (const f of SETTINGS_FIELDS) {
    if (f.kind === 'secret' || !(f.key in values)) continue;
    const now = fieldValue(f, values[f.key] as string | boolean);
    const before = fieldValue(f, original[f.key] ?? (f.kind === 'checkbox' ? false : ''));
    if (JSON.stringify(now) === JSON.stringify(before)) continue;
    setPath(patch, f.key, now);
    changed.push(f.key);
  }
  const secretPatch: Partial<Record<SecretName, string | null>> = {};
  for (const name of SECRET_FIELDS) {
    const s = secrets[name];
    if (!s) continue;
    if (s.clear) secretPatch[name] = null;
    else if (s.value !== '') secretPatch[name] = s.value;
    else continue;
    changed.push(name);
  }
  const update: SettingsUpdate = Object.keys(secretPatch).length ? { patch, secrets: secretPatch } : { patch };
  return { update, changed };
}

/**
 * The field that shows an error for `path` ("proxy.url", "proxy.noProxy.2",
 * "patch.relay.port", "secrets.proxy.password"), or undefined for the form-level summary.
 */
export function fieldForPath(path: string): string | undefined {
  const p = path.replace(/^(patch|secrets)\./, '');
  let best: string | undefined;
  for (const f of SETTINGS_FIELDS) {
    if ((p === f.key || p.startsWith(`${f.key}.`)) && (!best || f.key.length > best.length)) best = f.key;
  }
  return best;
}
