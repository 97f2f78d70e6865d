// main/secrets' Encryptor implemented with Electron's safeStorage, async API (Electron >= 42; the
// sync calls are deprecated in 45). Used only when the user opts into the encrypted-file store.
import { safeStorage } from 'electron';
import type { Encryptor } from '../secrets/encryptor.ts';
import { encryptionBackendName } from './policy/encryption-backend.ts';

export function createSafeStorageEncryptor(platform: NodeJS.Platform = process.platform): Encryptor {
  return {
    isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    backendName: () => encryptionBackendName(platform, () => safeStorage.getSelectedStorageBackend()),
    async encrypt(plaintext) {
      return new Uint8Array(await safeStorage.encryptStringAsync(plaintext));
    },
    async decrypt(ciphertext) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(ciphertext));
      return { plaintext: result, shouldReEncrypt };
    },
  };
}
