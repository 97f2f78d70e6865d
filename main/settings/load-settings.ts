// What a settings file's text means: parsed, migrated and validated, as a pure function. The I/O
// around it (reading, backing up, writing) is in settings-store.ts.
import { isDeepStrictEqual } from 'node:util';
import { migrateSettings, type MovedSecrets } from './migrations.ts';
import { settingsErrorMap, toFieldIssues, type FieldIssue } from './issues.ts';
import { canonical, SettingsSchema, type Settings } from './schema.ts';

export type SettingsProblemCode =
  | 'SETTINGS_FILE_CORRUPT'
  | 'SETTINGS_FILE_INVALID'
  | 'SETTINGS_FILE_UNREADABLE'
  | 'SETTINGS_FROM_NEWER_VERSION';

export type LoadOutcome =
  | {
    ok: true;
    settings: Settings;
    /** The file differs from `settings` (migrated, defaults filled in, values normalized). */
    rewrite: boolean;
    migratedFrom?: number;
    movedSecrets: MovedSecrets;
  }
  | { ok: false; code: SettingsProblemCode; message: string; issues: FieldIssue[] };

export function validateSettings(doc: unknown): { ok: true; settings: Settings } | { ok: false; issues: FieldIssue[] } {
  const parsed = SettingsSchema.safeParse(doc, { error: settingsErrorMap });
  return parsed.success ? { ok: true, settings: canonical(parsed.data) } : { ok: false, issues: toFieldIssues(parsed.error) };
}

export function interpretSettingsText(text: string): LoadOutcome {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, code: 'SETTINGS_FILE_CORRUPT', message: 'The settings file is not valid JSON.', issues: [] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, code: 'SETTINGS_FILE_CORRUPT', message: 'The settings file does not hold a JSON object.', issues: [] };
  }
  const migrated = migrateSettings(raw as Record<string, unknown>);
  if (!migrated.ok) {
    const code = migrated.error.code === 'SETTINGS_FROM_NEWER_VERSION' ? 'SETTINGS_FROM_NEWER_VERSION' : 'SETTINGS_FILE_INVALID';
    return { ok: false, code, message: migrated.error.message, issues: [] };
  }
  const valid = validateSettings(migrated.value.doc);
  if (!valid.ok) {
    return {
      ok: false,
      code: 'SETTINGS_FILE_INVALID',
      message: `The settings file has ${valid.issues.length} invalid setting${valid.issues.length === 1 ? '' : 's'}.`,
      issues: valid.issues,
    };
  }
  const { from, to, movedSecrets } = migrated.value;
  return {
    ok: true,
    settings: valid.settings,
    rewrite: !isDeepStrictEqual(valid.settings, raw),
    ...(from !== to ? { migratedFrom: from } : {}),
    movedSecrets,
  };
}
