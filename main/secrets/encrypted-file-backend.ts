// Opt-in storage for hosts where the keychain is unusable but OS encryption works (e.g. Electron
// `safeStorage` on a desktop without a named keychain item API). Ciphertexts (base64) live in their
// own file, never in settings, written atomically with mode 0600. The Encryptor does the crypto.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { SecretStoreError } from './errors.ts';
import type { Encryptor } from './encryptor.ts';
import type { SecretName } from './secret-names.ts';
import type { SecretBackend, SecretBackendInfo } from './secret-store.ts';

export const SECRETS_FILE_NAME = 'secrets.json';

const SecretsFileSchema = z.object({
  format: z.literal('pacekeeper-secrets'),
  version: z.literal(1),
  /** Backend that produced the ciphertexts, to explain a decryption failure after a change. */
  encryption: z.string(),
  entries: z.record(z.string(), z.base64()),
});
type SecretsFile = z.infer<typeof SecretsFileSchema>;

const fileError = (message: string, cause?: unknown) =>
  new SecretStoreError('SECRET_FILE_ERROR', message, {
    fix: 'Move the secrets file aside (or delete it) and enter the secrets again.',
    cause,
  });

export class EncryptedFileBackend implements SecretBackend {
  readonly info: SecretBackendInfo;
  readonly path: string;
  readonly #encryptor: Encryptor;
  #file: SecretsFile;

  private constructor(path: string, encryptor: Encryptor, file: SecretsFile) {
    this.path = path;
    this.#encryptor = encryptor;
    this.#file = file;
    this.info = { kind: 'encrypted-file', description: `Encrypted file ${path} (${encryptor.backendName()})`, persistent: true };
  }

  /**
   * Loads the file (or starts empty when there is none). A file that cannot be read or parsed is
   * left untouched and reported as SECRET_FILE_ERROR, so nothing the user had is overwritten.
   * The caller is expected to have vetted the encryptor with `checkEncryptor`.
   */
  static open(path: string, encryptor: Encryptor): EncryptedFileBackend {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(`The secrets file ${path} cannot be read.`, error);
    }
    const empty: SecretsFile = { format: 'pacekeeper-secrets', version: 1, encryption: encryptor.backendName(), entries: {} };
    if (text === undefined) return new EncryptedFileBackend(path, encryptor, empty);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw fileError(`The secrets file ${path} is not valid JSON.`, error);
    }
    const result = SecretsFileSchema.safeParse(parsed);
    if (!result.success) throw fileError(`The secrets file ${path} has an unexpected shape.`);
    return new EncryptedFileBackend(path, encryptor, result.data);
  }

  async read(name: SecretName): Promise<string | undefined> {
    const stored = this.#file.entries[name];
    if (stored === undefined) return undefined;
    let decrypted: { plaintext: string; shouldReEncrypt?: boolean };
    try {
      decrypted = await this.#encryptor.decrypt(Buffer.from(stored, 'base64'));
    } catch (cause) {
      throw new SecretStoreError(
        'SECRET_UNREADABLE',
        `${name} cannot be decrypted (stored with "${this.#file.encryption}", now using "${this.#encryptor.backendName()}").`,
        { fix: `Enter ${name} again; the OS encryption key has changed.`, cause },
      );
    }
    // Best effort: a failed re-encryption leaves the old, still readable ciphertext in place.
    if (decrypted.shouldReEncrypt) await this.write(name, decrypted.plaintext).catch(() => {});
    return decrypted.plaintext;
  }

  async write(name: SecretName, value: string): Promise<void> {
    const ciphertext = Buffer.from(await this.#encryptor.encrypt(value)).toString('base64');
    this.#save({ ...this.#file, encryption: this.#encryptor.backendName(), entries: { ...this.#file.entries, [name]: ciphertext } });
  }

  async remove(name: SecretName): Promise<boolean> {
    if (this.#file.entries[name] === undefined) return false;
    const entries = { ...this.#file.entries };
    delete entries[name];
    this.#save({ ...this.#file, entries });
    return true;
  }

  /** Atomic replace: a crash mid-write leaves the previous file, never a truncated one. */
  #save(next: SecretsFile): void {
    const tmp = `${this.path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw fileError(`The secrets file ${this.path} cannot be written.`, error);
    }
    this.#file = next;
  }
}
