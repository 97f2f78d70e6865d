// The contract the rest of the app uses for secrets, and the smaller one each storage backend
// implements. Policy (name and value checks, redaction, change events, falling back to memory when
// the keychain disappears) lives once in ManagedSecretStore; backends only move bytes.
import type { SecretErrorCode } from './errors.ts';
import type { SecretName } from './secret-names.ts';

export type SecretBackendKind = 'keychain' | 'encrypted-file' | 'memory';

export interface SecretBackendInfo {
  kind: SecretBackendKind;
  /** Human-readable, e.g. `Secret Service (service "pacekeeper")`. Never contains a value. */
  description: string;
  /** False for the in-memory store: values are gone when the app quits. */
  persistent: boolean;
}

/** Shown by the tray and dashboard while secrets are not being stored safely and persistently. */
export interface SecretStoreWarning {
  code: SecretErrorCode;
  message: string;
  fix: string;
}

export interface SecretStatus {
  backend: SecretBackendInfo;
  /** Which secrets are set. Booleans only: a status is safe to log and to send to the renderer. */
  secrets: Record<SecretName, boolean>;
  /** Items that exist but cannot be read (e.g. re-encrypted under a new OS key); they count as set. */
  unreadable?: Partial<Record<SecretName, SecretStoreWarning>>;
  warning?: SecretStoreWarning;
}

export type SecretChange =
  | { kind: 'set' | 'deleted'; name: SecretName }
  | { kind: 'backend'; backend: SecretBackendInfo; warning?: SecretStoreWarning };

export interface SecretStore {
  readonly backend: SecretBackendInfo;
  readonly warning: SecretStoreWarning | undefined;
  /** The stored value, or undefined when not set. Rejects with SecretStoreError. */
  get(name: SecretName): Promise<string | undefined>;
  /** Stores (or rotates) a value. Rejects with SecretStoreError (`SECRET_INVALID` for bad input). */
  set(name: SecretName, value: string): Promise<void>;
  /** Removes a value; resolves true when one was removed. */
  delete(name: SecretName): Promise<boolean>;
  has(name: SecretName): Promise<boolean>;
  status(): Promise<SecretStatus>;
  /** Change notifications carry names, never values. Returns an unsubscribe function. */
  onChange(listener: (change: SecretChange) => void): () => void;
}

/** Raw storage. Methods reject with SecretStoreError; `read` resolves undefined when absent. */
export interface SecretBackend {
  readonly info: SecretBackendInfo;
  read(name: SecretName): Promise<string | undefined>;
  write(name: SecretName, value: string): Promise<void>;
  remove(name: SecretName): Promise<boolean>;
}
