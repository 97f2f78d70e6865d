// The SecretStore the app uses. It owns the policy every backend shares:
// - names and values are checked before any backend sees them;
// - every value read or written is registered with the redactor, and a rotated or deleted value is
//   unregistered only after its replacement is registered (and only if no other secret shares it);
// - when the keychain turns out to be unusable mid-session, it switches to memory for the rest of
//   the session, keeps the values it already knew, and raises a warning for the tray;
// - operations run one at a time, so a rotation's read-old / write-new / unregister-old cannot
//   interleave with another call.
import { redactor as processRedactor, type Redactor } from '../util/redact.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { isSecretStoreError, type SecretStoreError } from './errors.ts';
import { MemoryBackend } from './memory-backend.ts';
import { checkSecretName, checkSecretValue, SECRET_NAMES, type SecretName } from './secret-names.ts';
import type {
  SecretBackend,
  SecretBackendInfo,
  SecretChange,
  SecretStatus,
  SecretStore,
  SecretStoreWarning,
} from './secret-store.ts';

export interface ManagedSecretStoreOptions {
  backend: SecretBackend;
  /** Set when the backend is already a fallback (e.g. the keychain probe failed at startup). */
  warning?: SecretStoreWarning;
  /** Defaults to the process-wide redactor, which the logger uses. */
  redactor?: Redactor;
  logger?: Logger;
}

export function toWarning(error: SecretStoreError): SecretStoreWarning {
  return { code: error.code, message: error.message, fix: error.fix };
}

export class ManagedSecretStore implements SecretStore {
  #backend: SecretBackend;
  #warning: SecretStoreWarning | undefined;
  readonly #redactor: Redactor;
  readonly #log: Logger;
  /** Values this store has seen, i.e. the ones it registered with the redactor. */
  readonly #known = new Map<SecretName, string>();
  readonly #listeners = new Set<(change: SecretChange) => void>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ManagedSecretStoreOptions) {
    this.#backend = options.backend;
    this.#warning = options.warning;
    this.#redactor = options.redactor ?? processRedactor;
    this.#log = (options.logger ?? silentLogger).child({ component: 'secrets' });
    if (this.#warning) this.#logFallback(this.#warning);
  }

  get backend(): SecretBackendInfo {
    return this.#backend.info;
  }

  get warning(): SecretStoreWarning | undefined {
    return this.#warning;
  }

  get(name: SecretName): Promise<string | undefined> {
    return this.#serial(async () => {
      const checked = checkSecretName(name);
      if (!checked.ok) throw checked.error;
      const value = await this.#withFallback((b) => b.read(name));
      this.#remember(name, value);
      return value;
    });
  }

  set(name: SecretName, value: string): Promise<void> {
    return this.#serial(async () => {
      const checkedName = checkSecretName(name);
      if (!checkedName.ok) throw checkedName.error;
      const checked = checkSecretValue(name, value);
      if (!checked.ok) throw checked.error;
      // Register first: even the failing write below must not be able to log the new value.
      this.#redactor.addSecret(value);
      try {
        await this.#withFallback((b) => b.write(name, value));
      } catch (error) {
        if (!this.#holdsValue(value)) this.#redactor.removeSecret(value);
        throw error;
      }
      this.#remember(name, value);
      this.#emit({ kind: 'set', name });
    });
  }

  delete(name: SecretName): Promise<boolean> {
    return this.#serial(async () => {
      const checked = checkSecretName(name);
      if (!checked.ok) throw checked.error;
      const removed = await this.#withFallback((b) => b.remove(name));
      this.#remember(name, undefined);
      if (removed) this.#emit({ kind: 'deleted', name });
      return removed;
    });
  }

  async has(name: SecretName): Promise<boolean> {
    return (await this.get(name)) !== undefined;
  }

  async status(): Promise<SecretStatus> {
    const secrets = {} as Record<SecretName, boolean>;
    const unreadable: Partial<Record<SecretName, SecretStoreWarning>> = {};
    for (const name of SECRET_NAMES) {
      try {
        secrets[name] = await this.has(name);
      } catch (error) {
        // One damaged item must not hide the state of the others; it exists, so it counts as set.
        if (!isSecretStoreError(error)) throw error;
        secrets[name] = true;
        unreadable[name] = toWarning(error);
      }
    }
    // Read the backend after the lookups: one of them may have caused a switch to memory.
    return {
      backend: { ...this.backend },
      secrets,
      ...(Object.keys(unreadable).length ? { unreadable } : {}),
      ...(this.#warning ? { warning: { ...this.#warning } } : {}),
    };
  }

  onChange(listener: (change: SecretChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs `op` on the backend; on KEYCHAIN_UNAVAILABLE switches to memory and runs it there. */
  async #withFallback<T>(op: (backend: SecretBackend) => Promise<T>): Promise<T> {
    try {
      return await op(this.#backend);
    } catch (error) {
      if (!isSecretStoreError(error, 'KEYCHAIN_UNAVAILABLE') || this.#backend.info.kind !== 'keychain') throw error;
      this.#switchToMemory(error);
      return op(this.#backend);
    }
  }

  #switchToMemory(error: SecretStoreError): void {
    this.#backend = new MemoryBackend(this.#known);
    this.#warning = toWarning(error);
    this.#logFallback(this.#warning);
    this.#emit({ kind: 'backend', backend: { ...this.#backend.info }, warning: { ...this.#warning } });
  }

  #logFallback(warning: SecretStoreWarning): void {
    this.#log.warn('secret store unavailable; keeping secrets in memory for this session', {
      code: warning.code,
      detail: warning.message,
      fix: warning.fix,
    });
  }

  /** Tracks `name`'s current value and keeps the redactor in step with it. */
  #remember(name: SecretName, value: string | undefined): void {
    const previous = this.#known.get(name);
    if (value !== undefined) {
      this.#redactor.addSecret(value);
      this.#known.set(name, value);
    } else {
      this.#known.delete(name);
    }
    if (previous !== undefined && previous !== value && !this.#holdsValue(previous)) this.#redactor.removeSecret(previous);
  }

  #holdsValue(value: string): boolean {
    for (const v of this.#known.values()) if (v === value) return true;
    return false;
  }

  #emit(change: SecretChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.#log.error('secret change listener failed', { error });
      }
    }
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op);
    this.#queue = run.catch(() => {});
    return run;
  }
}
