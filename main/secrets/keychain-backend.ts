// OS keychain storage through @napi-rs/keyring: one item per secret, service "pacekeeper",
// account = the secret name. macOS Keychain and Windows Credential Manager are used as-is.
//
// Linux: by default the library tries the Secret Service and silently falls back to the kernel
// keyutils keyring, which lives in kernel memory and is lost at reboot. Every entry here is pinned
// with `{ linux: { store: 'secret-service' } }`, so a missing Secret Service is an error
// (KEYCHAIN_UNAVAILABLE) that the app can show, never a quiet non-persistent store.
// On the Secret Service the item attributes are `service=pacekeeper` and `username=<name>`
// (the library's attribute names), e.g. `secret-tool lookup service pacekeeper username relay.token`.
import { randomBytes } from 'node:crypto';
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { redactor } from '../util/redact.ts';
import { keychainUnavailable, SecretStoreError } from './errors.ts';
import type { SecretName } from './secret-names.ts';
import type { SecretBackend, SecretBackendInfo } from './secret-store.ts';

export const KEYCHAIN_SERVICE = 'pacekeeper';

/** Pins Linux to the Secret Service; ignored by the library on other platforms. */
export const KEYCHAIN_ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/** Account used by `probe()`; not a secret name, so it never collides with a real item. */
const PROBE_ACCOUNT = 'pacekeeper.probe';

// keyring-core formats NoStorageAccess as "Couldn't access platform storage: …" and PlatformFailure
// as "Platform failure: …"; both mean there is no keychain we can use right now (no session bus,
// no Secret Service, locked or missing collection, dismissed unlock prompt, access denied).
const UNAVAILABLE = /^(Couldn't access platform storage|Platform failure|No default (credential )?store)/i;
// An Ambiguous error lists the matching credentials; never repeat that text.
const AMBIGUOUS = /ambiguous|matched by \d+ credentials/i;

export function keychainDescription(service: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return `macOS Keychain (service "${service}")`;
  if (platform === 'win32') return `Windows Credential Manager (service "${service}")`;
  return `Secret Service (service "${service}")`;
}

/** Maps a library error to SecretStoreError without letting its text carry a value. */
export function classifyKeychainError(error: unknown, action: string): SecretStoreError {
  const message = error instanceof Error ? error.message : String(error);
  if (UNAVAILABLE.test(message)) return keychainUnavailable(message, error);
  if (AMBIGUOUS.test(message)) {
    return new SecretStoreError('KEYCHAIN_ERROR', `The keychain holds more than one matching item while trying to ${action}.`, {
      fix: 'Remove the duplicate "pacekeeper" items in your keychain manager, then enter the secret again.',
    });
  }
  return new SecretStoreError('KEYCHAIN_ERROR', `The keychain refused to ${action}: ${redactor.text(message)}`, {
    fix: 'Check the keychain manager for a damaged "pacekeeper" item, delete it and enter the secret again.',
    cause: error,
  });
}

export class KeychainBackend implements SecretBackend {
  readonly info: SecretBackendInfo;
  readonly #service: string;
  readonly #entries = new Map<string, AsyncEntry>();

  constructor(options: { service?: string } = {}) {
    this.#service = options.service ?? KEYCHAIN_SERVICE;
    this.info = { kind: 'keychain', description: keychainDescription(this.#service), persistent: true };
  }

  async read(name: SecretName): Promise<string | undefined> {
    const value = await this.#run(name, `read ${name}`, (entry) => entry.getPassword());
    return value ?? undefined;
  }

  async write(name: SecretName, value: string): Promise<void> {
    await this.#run(name, `save ${name}`, (entry) => entry.setPassword(value));
  }

  async remove(name: SecretName): Promise<boolean> {
    return this.#run(name, `delete ${name}`, (entry) => entry.deletePassword());
  }

  /**
   * Writes, reads back and deletes a throwaway item. Reads alone cannot tell an empty keychain from
   * an unusable one: with no collection or a locked one, a read of a missing item succeeds and only
   * the first write fails. Rejects with KEYCHAIN_UNAVAILABLE when the keychain cannot store.
   */
  async probe(): Promise<void> {
    const value = randomBytes(12).toString('base64url');
    await this.#run(PROBE_ACCOUNT, 'store a test item', (entry) => entry.setPassword(value));
    const back = await this.#run(PROBE_ACCOUNT, 'read a test item', (entry) => entry.getPassword());
    await this.#run(PROBE_ACCOUNT, 'delete a test item', (entry) => entry.deletePassword());
    if (back !== value) throw keychainUnavailable('a test item read back differently from what was stored');
  }

  async #run<T>(account: string, action: string, op: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    try {
      return await op(this.#entry(account));
    } catch (error) {
      throw classifyKeychainError(error, action);
    }
  }

  #entry(account: string): AsyncEntry {
    let entry = this.#entries.get(account);
    if (!entry) {
      // The constructor connects to the store and throws when the pinned store is unavailable.
      entry = new AsyncEntry(this.#service, account, KEYCHAIN_ENTRY_OPTIONS);
      this.#entries.set(account, entry);
    }
    return entry;
  }
}
