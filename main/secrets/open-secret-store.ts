// Chooses and opens the secret store at startup. The keychain is the default; the encrypted file
// is an explicit opt-in (settings `secrets.store`). Whatever goes wrong, the app gets a working
// store: the in-memory one, with a warning saying why secrets will not survive a restart.
import type { Redactor } from '../util/redact.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { isSecretStoreError, type SecretStoreError } from './errors.ts';
import { EncryptedFileBackend } from './encrypted-file-backend.ts';
import { checkEncryptor, type Encryptor } from './encryptor.ts';
import { KeychainBackend } from './keychain-backend.ts';
import { ManagedSecretStore, toWarning } from './managed-secret-store.ts';
import { MemoryBackend } from './memory-backend.ts';
import type { SecretBackend, SecretStore } from './secret-store.ts';

export type SecretStoreChoice = 'keychain' | 'encrypted-file';

export interface OpenSecretStoreOptions {
  /** Defaults to 'keychain'. */
  store?: SecretStoreChoice;
  /** Keychain service name; defaults to "pacekeeper". */
  service?: string;
  /** Required for 'encrypted-file': where the ciphertexts go and what encrypts them. */
  encryptedFile?: { path: string; encryptor: Encryptor | undefined };
  /**
   * Write-probe the keychain when it holds none of our items (default true). Without it, a
   * headless box with a locked or missing collection looks healthy until the first save fails.
   */
  probe?: boolean;
  redactor?: Redactor;
  logger?: Logger;
}

export async function openSecretStore(options: OpenSecretStoreOptions = {}): Promise<SecretStore> {
  const managed = (backend: SecretBackend, warning?: SecretStoreError) =>
    new ManagedSecretStore({
      backend,
      ...(warning ? { warning: toWarning(warning) } : {}),
      ...(options.redactor ? { redactor: options.redactor } : {}),
      logger: options.logger ?? silentLogger,
    });

  if ((options.store ?? 'keychain') === 'encrypted-file') {
    const refusal = await checkEncryptor(options.encryptedFile?.encryptor);
    if (refusal || !options.encryptedFile?.encryptor) return managed(new MemoryBackend(), refusal);
    try {
      return managed(EncryptedFileBackend.open(options.encryptedFile.path, options.encryptedFile.encryptor));
    } catch (error) {
      if (!isSecretStoreError(error)) throw error;
      return managed(new MemoryBackend(), error);
    }
  }

  const keychain = new KeychainBackend(options.service ? { service: options.service } : {});
  const store = managed(keychain);
  // Reading every item registers the stored values with the redactor and surfaces a keychain that
  // is missing or locked while holding items (the store then switches itself to memory).
  const status = await store.status();
  const empty = !Object.values(status.secrets).some(Boolean);
  if (status.backend.kind === 'keychain' && empty && (options.probe ?? true)) {
    try {
      await keychain.probe();
    } catch (error) {
      if (!isSecretStoreError(error, 'KEYCHAIN_UNAVAILABLE')) throw error;
      return managed(new MemoryBackend(), error);
    }
  }
  return store;
}
