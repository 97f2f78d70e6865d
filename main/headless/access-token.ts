// The headless host's access token: a random capability that reaches the dashboard in the URL
// fragment (never sent to the server by a browser) and comes back as the second
// Sec-WebSocket-Protocol entry. Only its SHA-256 digest is kept for comparison, and comparing
// fixed-length digests keeps the check constant-time whatever a caller presents.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * base64url characters only: they are valid in a subprotocol token (RFC 6455 / RFC 7230 tchar) and
 * in a URL fragment without escaping. At least 22 characters (~128 bits) so it cannot be guessed.
 */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,512}$/;

export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isValidAccessToken(token: string): boolean {
  return ACCESS_TOKEN_PATTERN.test(token);
}

export function digestToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function tokenMatches(presented: string | undefined, digest: Buffer): boolean {
  if (presented === undefined || presented.length === 0) return false;
  return timingSafeEqual(digestToken(presented), digest);
}
