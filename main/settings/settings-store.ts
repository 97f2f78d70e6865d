// The settings file behind a typed API. conf (or electron-store, its Electron subclass) owns the
// file's location and atomic writes; zod owns its meaning. Every write is validated first; a bad
// file is moved aside, defaults are used, and a warning says where the old file went.
import { dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Conf from 'conf';
import { systemClock, type Clock } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { redactor as processRedactor, type Redactor } from '../util/redact.ts';
import { err, ok, type Result } from '../util/result.ts';
import type { FieldIssue } from './issues.ts';
import { findSecretFields } from './issues.ts';
import { interpretSettingsText, validateSettings, type SettingsProblemCode } from './load-settings.ts';
import { applyMergePatch, type MergePatch } from './merge-patch.ts';
import type { MovedSecrets } from './migrations.ts';
import { canonical, defaultSettings, SETTINGS_SECTIONS, type Settings, type SettingsInput, type SettingsSection } from './schema.ts';
import { backupSettingsFile, readSettingsText } from './settings-file.ts';

export const SETTINGS_CONFIG_NAME = 'settings';

/** The part of conf / electron-store this store uses. */
export interface SettingsFileBackend {
  readonly path: string;
  get store(): Record<string, unknown>;
  set store(value: Record<string, unknown>);
}

/** Options given to the conf-compatible class. `name` is electron-store's spelling of `configName`. */
export interface ConfLikeOptions {
  cwd: string;
  configName: string;
  name: string;
  fileExtension: 'json';
  clearInvalidConfig: false;
  accessPropertiesByDotNotation: false;
  configFileMode: number;
}

/** `conf` (default) or `electron-store`: both accept ConfLikeOptions. */
export type ConfLikeClass = new (options: ConfLikeOptions) => SettingsFileBackend;

export interface SettingsStoreOptions {
  /** Directory of settings.json: a temp dir in tests, `app.getPath('userData')` in Electron. */
  cwd: string;
  Store?: ConfLikeClass;
  clock?: Clock;
  logger?: Logger;
  /** Registers secrets found by migrations (e.g. a password in an old proxy URL). */
  redactor?: Redactor;
}

export type SettingsWarningCode = SettingsProblemCode | 'SETTINGS_NOT_SAVED';

export interface SettingsWarning {
  code: SettingsWarningCode;
  message: string;
  fix: string;
  /** Where the previous file was moved. */
  backupPath?: string;
  /** What was wrong with it, per field. */
  issues?: FieldIssue[];
}

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
export type ReadonlySettings = DeepReadonly<Settings>;
/** A JSON Merge Patch of the settings: `null` resets a field to its default. */
export type SettingsPatch = MergePatch<Omit<SettingsInput, 'schemaVersion'>>;

export interface SettingsChange {
  /** Top-level sections whose value changed, so core rebuilds only the affected services. */
  sections: SettingsSection[];
  previous: ReadonlySettings;
  current: ReadonlySettings;
}

export interface SettingsUpdateError {
  code: 'SETTINGS_INVALID' | 'SETTINGS_SECRET_FIELD' | 'SETTINGS_NOT_SAVED';
  message: string;
  /** Per-field messages for inline display (path like `proxy.url`). */
  issues: FieldIssue[];
}

export interface SettingsStore {
  readonly path: string;
  /** Problems found when the file was last loaded (open or reload). Empty when all was well. */
  readonly warnings: readonly SettingsWarning[];
  /** The schemaVersion the file was migrated from at the last load, if it was. */
  readonly migratedFrom: number | undefined;
  get(): ReadonlySettings;
  update(patch: SettingsPatch): Result<ReadonlySettings, SettingsUpdateError>;
  /** Re-reads the file (e.g. after an external edit); returns the load's warnings. */
  reload(): readonly SettingsWarning[];
  onChange(listener: (change: SettingsChange) => void): () => void;
  /** Secrets a migration took out of the file, handed over once for the SecretStore. */
  takeMovedSecrets(): MovedSecrets;
}

const FIX: Record<SettingsWarningCode, string> = {
  SETTINGS_FILE_CORRUPT: 'Defaults are in use. Your previous file was kept next to it; re-enter the settings you need.',
  SETTINGS_FILE_INVALID: 'Defaults are in use. Your previous file was kept next to it; fix the listed fields there or re-enter them.',
  SETTINGS_FILE_UNREADABLE: 'Defaults are in use. Check the file\'s type and permissions; the unreadable entry was moved aside.',
  SETTINGS_FROM_NEWER_VERSION: 'Use the newer Pacekeeper, or re-enter the settings here; the newer file was kept next to it.',
  SETTINGS_NOT_SAVED: 'Make the settings folder writable (and check free disk space), then restart Pacekeeper.',
};

export function openSettingsStore(options: SettingsStoreOptions): SettingsStore {
  return new FileSettingsStore(options);
}

class FileSettingsStore implements SettingsStore {
  readonly path: string;
  readonly #options: SettingsStoreOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #redactor: Redactor;
  readonly #listeners = new Set<(change: SettingsChange) => void>();
  #backend: SettingsFileBackend | undefined;
  /** Set when writing could destroy a file we failed to back up, or the file cannot be opened. */
  #readOnly: string | undefined;
  #current: ReadonlySettings;
  #warnings: SettingsWarning[] = [];
  #migratedFrom: number | undefined;
  #moved: MovedSecrets = {};

  constructor(options: SettingsStoreOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? silentLogger).child({ component: 'settings' });
    this.#redactor = options.redactor ?? processRedactor;
    // Same rule conf applies: <cwd>/<configName>.<fileExtension>.
    this.path = join(resolve(options.cwd), `${SETTINGS_CONFIG_NAME}.json`);
    this.#current = freeze(defaultSettings());
    this.#load();
  }

  get warnings(): readonly SettingsWarning[] {
    return this.#warnings;
  }

  get migratedFrom(): number | undefined {
    return this.#migratedFrom;
  }

  get(): ReadonlySettings {
    return this.#current;
  }

  update(patch: SettingsPatch): Result<ReadonlySettings, SettingsUpdateError> {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      return err({ code: 'SETTINGS_INVALID', message: 'Settings changes must be an object.', issues: [{ path: '', message: 'Expected an object.' }] });
    }
    const secretFields = findSecretFields(patch);
    if (secretFields.length) {
      return err({ code: 'SETTINGS_SECRET_FIELD', message: 'Secrets cannot be saved in settings.', issues: secretFields });
    }
    if (Object.hasOwn(patch, 'schemaVersion')) {
      return err({ code: 'SETTINGS_INVALID', message: 'schemaVersion cannot be changed.', issues: [{ path: 'schemaVersion', message: 'Managed by Pacekeeper.' }] });
    }
    const valid = validateSettings(applyMergePatch(this.#current, patch));
    if (!valid.ok) {
      const n = valid.issues.length;
      return err({ code: 'SETTINGS_INVALID', message: `${n} setting${n === 1 ? ' is' : 's are'} not valid.`, issues: valid.issues });
    }
    if (isDeepStrictEqual(valid.settings, this.#current)) return ok(this.#current);
    const saved = this.#write(valid.settings);
    if (!saved.ok) {
      return err({ code: 'SETTINGS_NOT_SAVED', message: saved.error.message, issues: [] });
    }
    this.#replace(valid.settings);
    return ok(this.#current);
  }

  reload(): readonly SettingsWarning[] {
    this.#load();
    return this.#warnings;
  }

  onChange(listener: (change: SettingsChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  takeMovedSecrets(): MovedSecrets {
    const moved = this.#moved;
    this.#moved = {};
    return moved;
  }

  #load(): void {
    const warnings: SettingsWarning[] = [];
    let settings = defaultSettings();
    let rewrite = true;
    let migratedFrom: number | undefined;
    const read = readSettingsText(this.path);
    const outcome = read.kind === 'text'
      ? interpretSettingsText(read.text)
      : read.kind === 'unreadable'
        ? { ok: false as const, code: 'SETTINGS_FILE_UNREADABLE' as const, message: `The settings file cannot be read (${read.code}).`, issues: [] }
        : undefined;

    let readOnly: string | undefined;
    if (outcome?.ok) {
      ({ settings, rewrite, migratedFrom } = outcome);
      for (const value of Object.values(outcome.movedSecrets)) this.#redactor.addSecret(value);
      Object.assign(this.#moved, outcome.movedSecrets);
    } else if (outcome) {
      const warning: SettingsWarning = { code: outcome.code, message: outcome.message, fix: FIX[outcome.code] };
      if (outcome.issues.length) warning.issues = outcome.issues;
      try {
        warning.backupPath = backupSettingsFile(this.path, this.#clock.now());
        warning.message += ` It was moved to ${warning.backupPath}.`;
      } catch (error) {
        // Never write over a file we could not keep a copy of.
        readOnly = `The settings file could not be moved aside (${codeOf(error)}), so changes will not be saved.`;
      }
      warnings.push(warning);
    }

    if (!readOnly && !this.#backend) {
      try {
        this.#backend = this.#openBackend();
      } catch (error) {
        readOnly = `The settings file could not be opened for writing (${codeOf(error)}), so changes will not be saved.`;
      }
    }
    this.#readOnly = readOnly;
    if (readOnly) {
      this.#backend = undefined;
      warnings.push(this.#notSaved(readOnly));
    } else if (rewrite) {
      const saved = this.#write(settings);
      if (!saved.ok) warnings.push(this.#notSaved(saved.error.message));
    }

    this.#warnings = warnings;
    this.#migratedFrom = migratedFrom;
    if (migratedFrom !== undefined) this.#log.info('settings migrated', { from: migratedFrom, path: this.path });
    for (const w of warnings) this.#log.warn(w.message, { code: w.code, fix: w.fix, backupPath: w.backupPath, issues: w.issues });
    this.#replace(settings);
  }

  #openBackend(): SettingsFileBackend {
    const Store: ConfLikeClass = this.#options.Store ?? Conf;
    return new Store({
      cwd: this.#options.cwd,
      configName: SETTINGS_CONFIG_NAME,
      name: SETTINGS_CONFIG_NAME,
      fileExtension: 'json',
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      configFileMode: 0o600,
    });
  }

  #write(settings: Settings): Result<void, { message: string }> {
    if (this.#readOnly || !this.#backend) return err({ message: this.#readOnly ?? 'Settings could not be saved.' });
    try {
      this.#backend.store = canonical(settings) as Record<string, unknown>;
      return ok(undefined);
    } catch (error) {
      return err({ message: `Settings could not be saved to ${dirname(this.path)} (${codeOf(error)}).` });
    }
  }

  #notSaved(message: string): SettingsWarning {
    return { code: 'SETTINGS_NOT_SAVED', message, fix: FIX.SETTINGS_NOT_SAVED };
  }

  #replace(next: Settings): void {
    const previous = this.#current;
    const sections = SETTINGS_SECTIONS.filter((s) => !isDeepStrictEqual(previous[s], next[s]));
    this.#current = freeze(next);
    if (sections.length === 0) return;
    const change: SettingsChange = { sections, previous, current: this.#current };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.#log.error('settings change listener failed', { error });
      }
    }
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.name ?? 'error';
}

function freeze<T>(value: T): DeepReadonly<T> {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}
