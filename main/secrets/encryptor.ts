// The seam for the opt-in encrypted-file secret store. The Electron shell implements it with
// `safeStorage` (async API on Electron >= 42); tests implement it with AES-GCM. Core never imports
// electron, so this interface is all it knows about OS encryption.
import { SecretStoreError } from './errors.ts';

export interface Encryptor {
  /** Whether encryption can be used now (safeStorage: only after app `ready` on Linux). */
  isAvailable(): boolean | Promise<boolean>;
  /**
   * The OS backend in use, e.g. `gnome_libsecret`, `kwallet6`, `keychain`, `dpapi`.
   * Electron reports `basic_text` on Linux when it found no keyring and falls back to a hard-coded key.
   */
  backendName(): string;
  encrypt(plaintext: string): Promise<Uint8Array>;
  /** `shouldReEncrypt` (safeStorage async API) asks the caller to store a fresh ciphertext. */
  decrypt(ciphertext: Uint8Array): Promise<{ plaintext: string; shouldReEncrypt?: boolean }>;
}

/** Backends whose "encryption" uses a key anyone can read, so it protects nothing. */
export const INSECURE_ENCRYPTION_BACKENDS: ReadonlySet<string> = new Set(['basic_text']);

/** Resolves the reason an encryptor must not be used, or undefined when it is acceptable. */
export async function checkEncryptor(encryptor: Encryptor | undefined): Promise<SecretStoreError | undefined> {
  if (!encryptor) {
    return new SecretStoreError('ENCRYPTION_UNAVAILABLE', 'The encrypted-file secret store needs OS encryption, which this host does not provide.', {
      fix: 'Use the keychain secret store, or run the desktop app where OS encryption is available.',
    });
  }
  let name: string;
  let available: boolean;
  try {
    name = encryptor.backendName();
    available = await encryptor.isAvailable();
  } catch (cause) {
    return new SecretStoreError('ENCRYPTION_UNAVAILABLE', 'OS encryption could not be queried.', {
      fix: 'Restart the app; if it persists, use the keychain secret store.',
      cause,
    });
  }
  if (INSECURE_ENCRYPTION_BACKENDS.has(name)) {
    return new SecretStoreError(
      'ENCRYPTION_INSECURE',
      `OS encryption backend "${name}" uses a hard-coded key, so an encrypted file would not protect the secrets.`,
      { fix: 'Install and unlock a keyring (gnome-keyring or KWallet), or start the app with --password-store=gnome-libsecret.' },
    );
  }
  // Electron reports `unknown` when asked before `ready`: the real backend is not known yet.
  if (name === 'unknown') {
    return new SecretStoreError('ENCRYPTION_UNAVAILABLE', 'OS encryption was queried before the app was ready.', {
      fix: 'Open the secret store after the Electron app "ready" event.',
    });
  }
  if (!available) {
    return new SecretStoreError('ENCRYPTION_UNAVAILABLE', `OS encryption (${name}) is not available.`, {
      fix: 'Unlock your keyring or log in to a desktop session, then restart the app.',
    });
  }
  return undefined;
}
