// A real Encryptor for tests: AES-256-GCM with a random key held in memory. It stands in for
// Electron safeStorage (which needs the Electron binary), and it really encrypts and authenticates,
// so tests can check that the secrets file holds no plaintext and that tampering is detected.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Encryptor } from '../../main/secrets/encryptor.ts';

export interface AesGcmTestEncryptor extends Encryptor {
  readonly key: Buffer;
}

export function createAesGcmEncryptor(
  options: { key?: Buffer; backendName?: string; available?: boolean } = {},
): AesGcmTestEncryptor {
  const key = options.key ?? randomBytes(32);
  const name = options.backendName ?? 'test_aes_gcm';
  return {
    key,
    isAvailable: () => options.available ?? true,
    backendName: () => name,
    async encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(ciphertext) {
      const data = Buffer.from(ciphertext);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const plaintext = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
      return { plaintext };
    },
  };
}
