import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedHostHeaders, checkRequest, classifyTarget, digestToken, normaliseOrigin, presentedToken, RELAY_PROTOCOL,
  selectProtocol, TOKEN_PROTOCOL_PREFIX, type HandshakePolicy,
} from '../../main/relay/handshake.ts';

const TOKEN = 'kqv3Jx9Qm0b-7Yt2_sVfL8wPz4';
const policy: HandshakePolicy = {
  hosts: allowedHostHeaders(['127.0.0.1', 'localhost'], 4567),
  origins: new Set([normaliseOrigin('http://127.0.0.1:5173')]),
  tokenDigest: digestToken(TOKEN),
};
const good = { host: '127.0.0.1:4567', authorization: `Bearer ${TOKEN}` };

test('Host must be an allowed loopback name with the bound port', () => {
  assert.deepEqual(checkRequest('/', good, policy, true), { ok: true });
  assert.deepEqual(checkRequest('/', { ...good, host: 'LOCALHOST:4567' }, policy, true), { ok: true });
  for (const host of ['evil.example', 'evil.example:4567', '127.0.0.1', '127.0.0.1:80', 'localhost.evil.example:4567', '0.0.0.0:4567', '[::1]:4567', undefined]) {
    const v = checkRequest('/', { ...good, host }, policy, true);
    assert.equal(v.ok, false, String(host));
    if (!v.ok) assert.equal(v.status, 403);
  }
});

test('a missing Origin passes; a present one must be listed exactly', () => {
  assert.deepEqual(checkRequest('/', { ...good, origin: 'http://127.0.0.1:5173' }, policy, true), { ok: true });
  assert.deepEqual(checkRequest('/', { ...good, origin: 'http://127.0.0.1:5173/' }, policy, true), { ok: true });
  for (const origin of ['https://evil.example', 'http://localhost:5173', 'http://127.0.0.1:5174', 'null', 'file://', 'http://127.0.0.1:5173.evil.example']) {
    const v = checkRequest('/', { ...good, origin }, policy, true);
    assert.equal(v.ok, false, origin);
    if (!v.ok) assert.deepEqual([v.status, v.code], [403, 'bad_origin']);
  }
});

test('the token comes from Authorization or the subprotocol list, never the query string', () => {
  const viaProtocol = { host: good.host, 'sec-websocket-protocol': `${RELAY_PROTOCOL}, ${TOKEN_PROTOCOL_PREFIX}${TOKEN}` };
  assert.equal(presentedToken(viaProtocol), TOKEN);
  assert.deepEqual(checkRequest('/', viaProtocol, policy, true), { ok: true });
  const missing = checkRequest('/', { host: good.host }, policy, true);
  assert.equal(missing.ok === false && missing.status, 401);
  const wrong = checkRequest('/', { host: good.host, authorization: 'Bearer nope' }, policy, true);
  assert.equal(wrong.ok === false && wrong.status, 401);
  const inQuery = checkRequest(`/?token=${TOKEN}`, { host: good.host }, policy, true);
  assert.equal(inQuery.ok === false && inQuery.code, 'token_in_query');
  // A query token is refused even alongside a valid header: it would still leak into logs.
  const both = checkRequest(`/relay?access_token=${TOKEN}`, good, policy, true);
  assert.equal(both.ok, false);
});

test('targets that carry their own capability skip the token but not Host or Origin', () => {
  assert.deepEqual(checkRequest('/channels/abc', { host: good.host }, policy, false), { ok: true });
  assert.equal(checkRequest('/channels/abc', { host: 'evil.example' }, policy, false).ok, false);
  assert.equal(checkRequest('/channels/abc', { host: good.host, origin: 'https://evil.example' }, policy, false).ok, false);
});

test('the relay subprotocol is selected and the token entry is never echoed', () => {
  assert.equal(selectProtocol(new Set([`${TOKEN_PROTOCOL_PREFIX}${TOKEN}`, RELAY_PROTOCOL])), RELAY_PROTOCOL);
  assert.equal(selectProtocol(new Set([`${TOKEN_PROTOCOL_PREFIX}${TOKEN}`])), false);
});

test('requests are classified by path', () => {
  assert.equal(classifyTarget('/', true).kind, 'relay-socket');
  assert.equal(classifyTarget('/relay?x=1', true).kind, 'relay-socket');
  assert.deepEqual(classifyTarget('/channels/relay-abc_1', true), { kind: 'compat-socket', path: '/channels/relay-abc_1', channelId: 'relay-abc_1' });
  assert.equal(classifyTarget('/channels/../etc', true).kind, 'not-found');
  assert.equal(classifyTarget('/api/v2/notifications/channels', false).kind, 'compat-rest');
  assert.equal(classifyTarget('/', false).kind, 'not-found');
});

test('origins are normalised to scheme, host and port', () => {
  assert.equal(normaliseOrigin('HTTP://127.0.0.1:80'), 'http://127.0.0.1');
  assert.equal(normaliseOrigin('app://pacekeeper'), 'app://pacekeeper');
  assert.equal(normaliseOrigin(' null '), 'null');
});
