// Settings-file migrations, keyed by the `schemaVersion` each step produces. Pure functions over
// plain JSON, run before validation. They are keyed by the file's own version rather than the app
// version (conf's `migrations`/`projectVersion`) because the format and the app are released on
// different schedules, a downgrade must be detectable from the file alone, and pure steps can be
// tested without I/O.
import { err, ok, type Result } from '../util/result.ts';
import type { SecretName } from '../secrets/secret-names.ts';
import { canonical, SETTINGS_SCHEMA_VERSION } from './schema.ts';
import { extractProxyCredentials } from './url-rules.ts';

type Doc = Record<string, unknown>;

/** Secrets a migration found in an old file; the caller stores them in the SecretStore. */
export type MovedSecrets = Partial<Record<SecretName, string>>;

export type MigrationStep = (doc: Doc) => { doc: Doc; movedSecrets?: MovedSecrets };

export interface Migrated {
  doc: Doc;
  from: number;
  to: number;
  movedSecrets: MovedSecrets;
}

export interface MigrationFailure {
  code: 'SETTINGS_FROM_NEWER_VERSION' | 'SETTINGS_INVALID';
  message: string;
}

const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * v1 (the 0.1 prototype) kept everything flat:
 *   { schemaVersion: 1, region, clientId, proxyUrl: "http://user:pass@host:port", noProxy: "a,b",
 *     sandbox: true|false, tuning: { min, max, intervalSec, mode }, ui: {…} }
 * v2 groups by service, takes credentials out of the proxy URL (the password becomes a secret,
 * the user name a setting), makes noProxy a list and the sandbox a tri-state.
 */
export function v1ToV2(v1: Doc): { doc: Doc; movedSecrets: MovedSecrets } {
  const { schemaVersion: _version, region, clientId, proxyUrl, noProxy, sandbox, tuning, ...rest } = v1;
  const doc: Doc = { ...rest, schemaVersion: 2 };
  const movedSecrets: MovedSecrets = {};

  if (region !== undefined || clientId !== undefined) doc.genesys = { region, clientId };

  const proxy: Doc = {};
  if (typeof proxyUrl === 'string' && proxyUrl.trim() !== '') {
    proxy.mode = 'explicit';
    try {
      const { cleanUrl, username, password } = extractProxyCredentials(proxyUrl);
      proxy.url = cleanUrl;
      if (username) proxy.username = username;
      if (password) movedSecrets['proxy.password'] = password;
    } catch {
      proxy.url = proxyUrl; // left for validation to report (the file is then backed up, not lost)
    }
  } else if (proxyUrl !== undefined && proxyUrl !== '') {
    proxy.url = proxyUrl;
  }
  if (typeof noProxy === 'string') proxy.noProxy = noProxy.split(/[\s,]+/).filter(Boolean);
  else if (noProxy !== undefined) proxy.noProxy = noProxy;
  if (Object.keys(proxy).length) doc.proxy = proxy;

  if (sandbox === true) doc.sandbox = { enabled: 'on' };
  else if (sandbox === false) doc.sandbox = { enabled: 'off' };
  else if (sandbox !== undefined) doc.sandbox = { enabled: sandbox };

  if (isObject(tuning)) doc.tuning = { defaults: tuning };
  else if (tuning !== undefined) doc.tuning = tuning;

  return { doc: canonical(doc), movedSecrets };
}

export const MIGRATIONS: Readonly<Record<number, MigrationStep>> = { 2: v1ToV2 };

/** Brings a parsed settings file up to `target`. A file without `schemaVersion` is v1. */
export function migrateSettings(
  raw: Doc,
  target: number = SETTINGS_SCHEMA_VERSION,
  steps: Readonly<Record<number, MigrationStep>> = MIGRATIONS,
): Result<Migrated, MigrationFailure> {
  const version = raw.schemaVersion === undefined ? 1 : raw.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return err({ code: 'SETTINGS_INVALID', message: 'schemaVersion must be a positive whole number.' });
  }
  if (version > target) {
    return err({
      code: 'SETTINGS_FROM_NEWER_VERSION',
      message: `The settings file was written by a newer Pacekeeper (schemaVersion ${version}; this version reads up to ${target}).`,
    });
  }
  let doc = raw;
  const movedSecrets: MovedSecrets = {};
  for (let v = version + 1; v <= target; v++) {
    const step = steps[v];
    if (!step) return err({ code: 'SETTINGS_INVALID', message: `No migration to schemaVersion ${v}.` });
    try {
      const out = step(doc);
      doc = out.doc;
      Object.assign(movedSecrets, out.movedSecrets);
    } catch (error) {
      // The step's message may quote the file; keep only the error's type.
      return err({ code: 'SETTINGS_INVALID', message: `Migrating settings to schemaVersion ${v} failed (${(error as Error).name}).` });
    }
  }
  return ok({ doc, from: version, to: target, movedSecrets });
}
