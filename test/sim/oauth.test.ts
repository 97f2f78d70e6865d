// OAuth client credentials against the simulator over real HTTP: the token endpoint's success and
// error shapes, and 401s on API calls with missing, unknown, expired and revoked tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorBodySchema, OAuthErrorSchema, OAuthTokenResponseSchema } from '../../main/genesys/models.ts';
import { call, getToken, startHarness, type Harness } from './sim-helpers.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const CAMPAIGNS = '/api/v2/outbound/campaigns';

describe('simulator OAuth', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ tokenLifetimeSec: 600 });
  });
  after(() => h.close());

  const tokenRequest = (auth: string | undefined, body = 'grant_type=client_credentials', headers: Record<string, string> = FORM) =>
    call(h, 'POST', '/oauth/token', { rawBody: body, headers: { ...headers, ...(auth ? { authorization: auth } : {}) } });

  test('client credentials with Basic auth and a form body returns a bearer token with the configured lifetime', async () => {
    const r = await tokenRequest(h.basic);
    assert.equal(r.status, 200);
    const body = OAuthTokenResponseSchema.parse(r.body);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 600);
    assert.ok(body.access_token.length >= 32);
    assert.equal(r.headers['cache-control'], 'no-store');
    const other = OAuthTokenResponseSchema.parse((await tokenRequest(h.basic)).body);
    assert.notEqual(other.access_token, body.access_token, 'each request gets a new token (no refresh tokens)');
  });

  test('a wrong secret is invalid_client "authentication failed"', async () => {
    const r = await tokenRequest('Basic ' + Buffer.from(`${h.sim.clientId}:nope`).toString('base64'));
    assert.equal(r.status, 401);
    assert.deepEqual(OAuthErrorSchema.strict().parse(r.body), { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' });
  });

  test('an unknown client is invalid_client "client not found"', async () => {
    const r = await tokenRequest('Basic ' + Buffer.from(`someone-else:${h.sim.clientSecret}`).toString('base64'));
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_client');
    assert.equal(r.body.description, 'client not found');
    assert.equal(r.body.error_description, 'client not found');
  });

  test('no Basic credentials is invalid_client', async () => {
    for (const auth of [undefined, 'Bearer abc', 'Basic !!!', 'Basic ' + Buffer.from('no-colon').toString('base64')]) {
      const r = await tokenRequest(auth);
      assert.equal(r.status, 401, `auth ${auth}`);
      assert.equal(r.body.error, 'invalid_client');
    }
  });

  test('bad grants: unsupported_grant_type and a missing grant_type are 400', async () => {
    const unsupported = await tokenRequest(h.basic, 'grant_type=password&username=a&password=b');
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.error, 'unsupported_grant_type');
    assert.match(unsupported.body.error_description, /password/);
    const missing = await tokenRequest(h.basic, 'scope=x');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
    const json = await tokenRequest(h.basic, '{"grant_type":"client_credentials"}', { 'content-type': 'application/json' });
    assert.equal(json.status, 400);
    assert.equal(json.body.error, 'invalid_request');
  });

  test('GET /oauth/token is 405 with Allow', async () => {
    const r = await call(h, 'GET', '/oauth/token');
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'POST');
    assert.equal(ErrorBodySchema.parse(r.body).code, 'method.not.allowed');
  });

  test('an API call without a token is 401 authentication.required, with the correlation id as contextId', async () => {
    const r = await call(h, 'GET', CAMPAIGNS);
    assert.equal(r.status, 401);
    const body = ErrorBodySchema.parse(r.body);
    assert.equal(body.code, 'authentication.required');
    assert.equal(body.status, 401);
    assert.equal(body.message, 'No authentication bearer token specified in authorization header.');
    assert.deepEqual(body.details, []);
    assert.deepEqual(body.errors, []);
    assert.equal(body.contextId, r.headers['inin-correlation-id']);
  });

  test('an unknown token is 401 bad.credentials', async () => {
    const r = await call(h, 'GET', CAMPAIGNS, { token: 'not-a-token' });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'bad.credentials');
  });

  test('a token stops working when it expires on the virtual clock', async () => {
    const token = await getToken(h);
    assert.equal((await call(h, 'GET', CAMPAIGNS, { token })).status, 200);
    await h.clock.advance(599_000);
    assert.equal((await call(h, 'GET', CAMPAIGNS, { token })).status, 200, 'still valid 1 s before expiry');
    await h.clock.advance(1_000);
    const r = await call(h, 'GET', CAMPAIGNS, { token });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'credentials.expired');
    assert.equal((await call(h, 'GET', CAMPAIGNS, { token: await getToken(h) })).status, 200, 'a new token works');
  });

  test('revoked and force-expired tokens get 401; other tokens are unaffected', async () => {
    const a = await getToken(h);
    const b = await getToken(h);
    assert.equal(h.sim.control.revokeTokens(a), 1);
    assert.equal((await call(h, 'GET', CAMPAIGNS, { token: a })).body.code, 'bad.credentials');
    assert.equal((await call(h, 'GET', CAMPAIGNS, { token: b })).status, 200);
    assert.equal(h.sim.control.expireTokens(b), 1);
    assert.equal((await call(h, 'GET', CAMPAIGNS, { token: b })).body.code, 'credentials.expired');
  });

  test('the token lifetime can be changed at run time', async () => {
    h.sim.control.setTokenLifetime(300);
    const r = await tokenRequest(h.basic);
    assert.equal(OAuthTokenResponseSchema.parse(r.body).expires_in, 300);
    h.sim.control.setTokenLifetime(600);
  });

  test('counters record issued tokens, not failed attempts', async () => {
    const before = h.sim.control.counters().tokensIssued;
    await getToken(h);
    await tokenRequest('Basic ' + Buffer.from(`${h.sim.clientId}:nope`).toString('base64'));
    assert.equal(h.sim.control.counters().tokensIssued, before + 1);
  });
});
