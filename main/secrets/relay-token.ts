// The relay's per-install token: local tools present it to connect. It is created on first use and
// kept in the secret store, so it survives restarts (except on the in-memory fallback, where a new
// one is made each session and the store's warning already says why).
import { randomBytes } from 'node:crypto';
import type { SecretStore } from './secret-store.ts';

/** 32 random bytes, base64url: 43 characters, safe in headers, URLs and config files. */
export function generateRelayToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Returns the stored relay token, creating and storing one when there is none. */
export async function ensureRelayToken(store: SecretStore): Promise<string> {
  const existing = await store.get('relay.token');
  if (existing !== undefined) return existing;
  const token = generateRelayToken();
  await store.set('relay.token', token);
  return token;
}

/** Replaces the token (e.g. after it leaked); connected tools must be given the new one. */
export async function rotateRelayToken(store: SecretStore): Promise<string> {
  const token = generateRelayToken();
  await store.set('relay.token', token);
  return token;
}
