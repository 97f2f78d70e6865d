// The headless host's admission rules as pure functions: path, Host, Origin, query, subprotocol,
// token. The same rules are exercised over real sockets in bridge-socket.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WS_BRIDGE_PROTOCOL } from '../../preload/contract.ts';
import { digestToken, isValidAccessToken, newAccessToken, tokenMatches } from '../../main/headless/access-token.ts';
import { allowedHosts, checkUpgrade, offeredProtocols, originMatchesHost, presentedToken, type UpgradePolicy, type UpgradeRequest } from '../../main/headless/upgrade-guard.ts';
import { TokenBucket } from '../../main/util/token-bucket.ts';

const token = newAccessToken();
const policy: UpgradePolicy = { hosts: allowedHosts(4100), tokenDigest: digestToken(token), allowMissingOrigin: false };
const good: UpgradeRequest = { url: '/bridge', host: '127.0.0.1:4100', origin: 'http://127.0.0.1:4100', protocols: `${WS_BRIDGE_PROTOCOL}, ${token}` };
const code = (r: Partial<UpgradeRequest>, p: UpgradePolicy = policy) => {
  const v = checkUpgrade({ ...good, ...r }, p);
  return v.ok ? 'ok' : `${v.status} ${v.code}`;
};

test('the dashboard served by this host, with the token, is let in and gets the bridge protocol', () => {
  const v = checkUpgrade(good, policy);
  assert.deepEqual(v, { ok: true, protocol: WS_BRIDGE_PROTOCOL });
  assert.equal(code({ host: 'localhost:4100', origin: 'http://localhost:4100' }), 'ok');
  assert.equal(code({ host: 'LOCALHOST:4100', origin: 'http://localhost:4100' }), 'ok');
  // The token may come first; only "not the bridge protocol" identifies it.
  assert.equal(code({ protocols: `${token}, ${WS_BRIDGE_PROTOCOL}` }), 'ok');
});

test('only /bridge upgrades', () => {
  for (const url of ['/', '/bridge/', '/relay', '/bridge/x', '/Bridge']) assert.equal(code({ url }), '404 not_found', url);
});

test('a rebinding or foreign Host is refused', () => {
  for (const host of [undefined, '', 'evil.example', 'evil.example:4100', '127.0.0.1', '127.0.0.1:4101', '0.0.0.0:4100', '[::1]:4100', 'localhost.evil.example:4100']) {
    assert.equal(code({ host }), '403 bad_host', String(host));
  }
});

test('Origin must be exactly this dashboard as addressed by Host', () => {
  for (const origin of ['https://evil.example', 'http://127.0.0.1:4101', 'https://127.0.0.1:4100', 'http://localhost:4100', 'null', 'http://127.0.0.1:4100/path', 'http://127.0.0.1:4100, http://127.0.0.1:4100']) {
    assert.equal(code({ origin }), '403 bad_origin', origin);
  }
  assert.equal(originMatchesHost('HTTP://127.0.0.1:4100', '127.0.0.1:4100'), true);
});

test('a missing Origin is refused unless the host allows non-browser tools', () => {
  assert.equal(code({ origin: undefined }), '403 missing_origin');
  assert.equal(code({ origin: undefined }, { ...policy, allowMissingOrigin: true }), 'ok');
  // Allowing tools without Origin does not let a wrong Origin through.
  assert.equal(code({ origin: 'https://evil.example' }, { ...policy, allowMissingOrigin: true }), '403 bad_origin');
  assert.equal(code({ origin: undefined, protocols: WS_BRIDGE_PROTOCOL }, { ...policy, allowMissingOrigin: true }), '401 bad_token');
});

test('a query string is refused, even one carrying the right token', () => {
  assert.equal(code({ url: `/bridge?token=${token}` }), '400 token_in_query');
  assert.equal(code({ url: `/bridge?token=${token}`, protocols: WS_BRIDGE_PROTOCOL }), '400 token_in_query');
  assert.equal(code({ url: '/bridge?' }), '400 token_in_query');
});

test('the bridge subprotocol and the right token are both required', () => {
  assert.equal(code({ protocols: undefined }), '400 bad_protocol');
  assert.equal(code({ protocols: token }), '400 bad_protocol');
  assert.equal(code({ protocols: WS_BRIDGE_PROTOCOL }), '401 bad_token');
  assert.equal(code({ protocols: `${WS_BRIDGE_PROTOCOL}, ${token.slice(0, -1)}` }), '401 bad_token');
  assert.equal(code({ protocols: `${WS_BRIDGE_PROTOCOL}, ${token}x` }), '401 bad_token');
  assert.equal(code({ protocols: `${WS_BRIDGE_PROTOCOL}, ${newAccessToken()}` }), '401 bad_token');
});

test('subprotocol parsing and token comparison', () => {
  assert.deepEqual(offeredProtocols(' a ,b,, c '), ['a', 'b', 'c']);
  assert.equal(presentedToken(`${WS_BRIDGE_PROTOCOL},abc`), 'abc');
  assert.equal(presentedToken(WS_BRIDGE_PROTOCOL), undefined);
  assert.equal(tokenMatches(undefined, digestToken(token)), false);
  assert.equal(tokenMatches('', digestToken(token)), false);
  assert.equal(tokenMatches(token, digestToken(token)), true);
  // Tokens are URL-fragment and subprotocol safe, and long enough not to be guessed.
  const t = newAccessToken();
  assert.ok(isValidAccessToken(t) && t.length >= 43, t);
  assert.notEqual(t, newAccessToken());
  for (const bad of ['short', 'has space in it and is long enough', `${'a'.repeat(30)},b`, 'ä'.repeat(30)]) assert.equal(isValidAccessToken(bad), false, bad);
});

test('the token bucket allows a burst, then the sustained rate', () => {
  const b = new TokenBucket({ perSecond: 10, burst: 3 }, 0);
  assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
  assert.equal(b.take(50), false); // half a token
  assert.equal(b.take(100), true); // one token after 100 ms at 10/s
  assert.equal(b.take(100), false);
  assert.equal(b.take(10_000), true);
  assert.throws(() => new TokenBucket({ perSecond: 0, burst: 1 }, 0), RangeError);
});
