// Errors the secret store raises. Each has a stable `code` and a one-line `fix`; none ever carries
// a secret value (library messages are passed through the redactor before they are kept).
import { redactor } from '../util/redact.ts';

export const SECRET_ERROR_CODES = [
  /** No usable OS keychain: no D-Bus session, no Secret Service, locked/absent collection, access denied. */
  'KEYCHAIN_UNAVAILABLE',
  /** The keychain answered but refused this operation (ambiguous entry, bad encoding, …). */
  'KEYCHAIN_ERROR',
  /** The encrypted-file store was chosen but the OS encryption service is not available. */
  'ENCRYPTION_UNAVAILABLE',
  /** The encrypted-file store was chosen but the OS "encryption" is a hard-coded key (basic_text). */
  'ENCRYPTION_INSECURE',
  /** The secrets file cannot be read, parsed or written. */
  'SECRET_FILE_ERROR',
  /** A stored value exists but cannot be decrypted (the OS key changed). */
  'SECRET_UNREADABLE',
  /** Unknown secret name or unacceptable value. */
  'SECRET_INVALID',
] as const;
export type SecretErrorCode = (typeof SECRET_ERROR_CODES)[number];

export class SecretStoreError extends Error {
  readonly code: SecretErrorCode;
  readonly fix: string;

  constructor(code: SecretErrorCode, message: string, options: { fix: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SecretStoreError';
    this.code = code;
    this.fix = options.fix;
  }
}

export function isSecretStoreError(error: unknown, code?: SecretErrorCode): error is SecretStoreError {
  return error instanceof SecretStoreError && (code === undefined || error.code === code);
}

/** What to install or unlock, per platform, when the keychain cannot be used. */
export function keychainFix(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'Unlock the login keychain in Keychain Access, or choose the encrypted-file secret store in Settings.';
    case 'win32':
      return 'Sign in with a user profile that has Windows Credential Manager, or choose the encrypted-file secret store in Settings.';
    default:
      return 'Run a Secret Service provider and unlock it: install gnome-keyring (sudo apt-get install gnome-keyring libsecret-1-0), '
        + 'log in to a desktop session or start `gnome-keyring-daemon --unlock` in this D-Bus session; '
        + 'or choose the encrypted-file secret store in Settings.';
  }
}

export function keychainUnavailable(detail: string, cause?: unknown): SecretStoreError {
  return new SecretStoreError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain is not available (${redactor.text(detail)}); secrets are kept in memory for this session only.`,
    { fix: keychainFix(), cause },
  );
}
