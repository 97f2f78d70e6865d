// POST /oauth/token, client-credentials grant (notes B.1): Basic auth with the client id and
// secret, a form body `grant_type=client_credentials`, and OAuth-shaped errors.
import { timingSafeEqual } from 'node:crypto';
import type { OAuthTokenResponse } from '../../genesys/models.ts';
import type { RequestContext, RouteSpec } from '../core.ts';
import { oauthError } from '../errors.ts';
import type { HandlerResult } from '../http-io.ts';
import type { Router } from '../router.ts';

/** Constant-time string comparison for credentials. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Decodes `Authorization: Basic base64(id:secret)`; undefined when absent or malformed. */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { id: decoded.slice(0, i), secret: decoded.slice(i + 1) };
}

async function token(ctx: RequestContext): Promise<HandlerResult> {
  const { core, req } = ctx;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type && !type.startsWith('application/x-www-form-urlencoded')) {
    throw oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(await ctx.text());
  const creds = basicCredentials(req.headers.authorization);
  if (!creds) throw oauthError(401, 'invalid_client', 'client authentication is required (HTTP Basic)');
  if (creds.id !== core.clientId) throw oauthError(401, 'invalid_client', 'client not found');
  if (!sameSecret(creds.secret, core.clientSecret)) throw oauthError(401, 'invalid_client', 'authentication failed');
  const grant = form.get('grant_type');
  if (!grant) throw oauthError(400, 'invalid_request', 'Missing grant type');
  if (grant !== 'client_credentials') throw oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant.slice(0, 50)}`);
  const record = core.tokens.issue(core.clientId);
  core.counters.tokensIssued++;
  const body: OAuthTokenResponse = {
    access_token: record.token,
    token_type: 'bearer',
    expires_in: Math.max(1, Math.round((record.expiresAt - record.issuedAt) / 1000)),
  };
  return { status: 200, body, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
}

export function registerOAuthRoutes(router: Router<RouteSpec>): void {
  router.add('POST', '/oauth/token', { auth: 'public', handle: token });
}
