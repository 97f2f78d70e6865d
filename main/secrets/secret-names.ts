// The closed set of secrets Pacekeeper keeps, and the rules a value must meet. Anything else a
// user types (user names, URLs, client ids, org names) is a setting: it may be shown, logged and
// exported, so it lives in the settings file instead (see docs/secrets-and-settings.md).
import { err, ok, type Result } from '../util/result.ts';
import { SecretStoreError } from './errors.ts';

export const SECRET_NAMES = ['genesys.clientSecret', 'proxy.password', 'influx.token', 'relay.token'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * Upper bound in UTF-16 code units. Windows Credential Manager caps a credential blob at 2,560 bytes
 * and the keyring library stores passwords there as UTF-16, so 1,024 units fits every platform.
 * Real values are far shorter (Genesys secrets ~43 chars, InfluxDB tokens ~88).
 */
export const MAX_SECRET_LENGTH = 1024;

export function isSecretName(value: unknown): value is SecretName {
  return typeof value === 'string' && (SECRET_NAMES as readonly string[]).includes(value);
}

export function checkSecretName(name: unknown): Result<SecretName, SecretStoreError> {
  if (isSecretName(name)) return ok(name);
  return err(
    new SecretStoreError('SECRET_INVALID', `Unknown secret name ${JSON.stringify(String(name).slice(0, 64))}.`, {
      fix: `Use one of: ${SECRET_NAMES.join(', ')}.`,
    }),
  );
}

/** Checks a value before it is stored. Messages never echo the value. */
export function checkSecretValue(name: SecretName, value: unknown): Result<string, SecretStoreError> {
  const invalid = (why: string, fix: string) =>
    err(new SecretStoreError('SECRET_INVALID', `The value for ${name} ${why}.`, { fix }));
  if (typeof value !== 'string') return invalid('is not text', 'Enter the secret as text.');
  if (value.length === 0) return invalid('is empty', `To remove ${name}, delete it instead of saving an empty value.`);
  if (value.length > MAX_SECRET_LENGTH) {
    return invalid(`is longer than ${MAX_SECRET_LENGTH} characters`, 'Check that the whole value was pasted once, not twice.');
  }
  // A trailing newline from a paste is the usual cause, and C-string APIs would cut at a NUL.
  if (/[\r\n\0]/.test(value)) {
    return invalid('contains a line break or NUL character', 'Paste the value without a trailing newline.');
  }
  return ok(value);
}
