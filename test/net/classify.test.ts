import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyOriginConnectError, classifyProxyError, classifyRequestError, isProxyRouteFailure, retryCode } from '../../main/net/classify.ts';
import { authSchemes } from '../../main/net/connect-interceptor.ts';
import {
  ConnectionFailed, HttpError, ProxyAuthRequired, ProxyRefusedConnect, ProxyUnreachable, RateLimited, Timeout, TlsFailed, TlsHostnameMismatch, TlsUntrusted,
} from '../../main/net/errors.ts';
import { classifyUpgradeStatus } from '../../main/net/websocket.ts';

const coded = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`boom ${code}`), { code, ...extra });
const origin = { target: 'api.example:443', host: 'api.example', viaProxy: true, tlsHandshakeMs: 10_000 };
const proxy = { proxy: 'proxy.corp:3128', proxyConnectMs: 10_000, connectResponseMs: 10_000 };

test('Proxy-Authenticate schemes are named, one header or several', () => {
  assert.deepEqual(authSchemes('Basic realm="proxytest"'), ['Basic']);
  assert.deepEqual(authSchemes(['Negotiate', 'NTLM', 'Basic realm="a, b", charset="UTF-8"']), ['Negotiate', 'NTLM', 'Basic']);
  assert.deepEqual(authSchemes('Digest realm="x", nonce="y", Basic realm="z"'), ['Digest', 'Basic']);
  assert.deepEqual(authSchemes(undefined), []);
});

test('TLS failures map to TlsUntrusted / TlsHostnameMismatch / TlsFailed with inspection-aware fixes', () => {
  const self = classifyOriginConnectError(coded('SELF_SIGNED_CERT_IN_CHAIN'), origin);
  assert.ok(self instanceof TlsUntrusted);
  assert.equal(self.fix, 'TLS inspection detected; import your corporate root CA (PEM) as a CA bundle');
  const direct = classifyOriginConnectError(coded('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), { ...origin, viaProxy: false });
  assert.ok(direct instanceof TlsUntrusted);
  assert.match(direct.fix, /untrusted root/);
  const mismatch = classifyOriginConnectError(coded('ERR_TLS_CERT_ALTNAME_INVALID', { reason: "IP: 10.0.0.1 is not in the cert's list" }), origin);
  assert.ok(mismatch instanceof TlsHostnameMismatch);
  const wrapped = classifyOriginConnectError(Object.assign(new Error('x'), { code: 'UND_ERR_PRX_TLS', cause: coded('ERR_TLS_CERT_ALTNAME_INVALID') }), origin);
  assert.ok(wrapped instanceof TlsHostnameMismatch);
  assert.ok(classifyOriginConnectError(coded('ERR_SSL_WRONG_VERSION_NUMBER'), origin) instanceof TlsFailed);
  const slow = classifyOriginConnectError(coded('UND_ERR_CONNECT_TIMEOUT'), origin);
  assert.ok(slow instanceof Timeout && slow.phase === 'tls-handshake');
  const slowDirect = classifyOriginConnectError(coded('UND_ERR_CONNECT_TIMEOUT'), { ...origin, viaProxy: false });
  assert.ok(slowDirect instanceof Timeout && slowDirect.phase === 'origin-connect');
  const refused = classifyOriginConnectError(coded('ECONNREFUSED'), { ...origin, viaProxy: false });
  assert.ok(refused instanceof ConnectionFailed && refused.hop === 'origin-tcp');
  const dns = classifyOriginConnectError(coded('ENOTFOUND'), { ...origin, viaProxy: false });
  assert.ok(dns instanceof ConnectionFailed && dns.hop === 'dns');
});

test('proxy-side failures name the proxy hop and are failover candidates', () => {
  const refused = classifyProxyError(coded('ECONNREFUSED'), proxy);
  assert.ok(refused instanceof ProxyUnreachable && refused.hop === 'proxy-tcp');
  const stalled = classifyProxyError(coded('UND_ERR_HEADERS_TIMEOUT'), proxy);
  assert.ok(stalled instanceof Timeout && stalled.phase === 'proxy-connect');
  assert.match(stalled.fix, /never answered CONNECT/);
  const slow = classifyProxyError(coded('UND_ERR_CONNECT_TIMEOUT'), proxy);
  assert.ok(slow instanceof Timeout && slow.phase === 'proxy-tcp');
  const dns = classifyProxyError(coded('ENOTFOUND'), proxy);
  assert.ok(dns instanceof ProxyUnreachable && dns.hop === 'dns');
  for (const e of [refused, stalled, slow, dns]) assert.equal(isProxyRouteFailure(e), true);
  assert.equal(isProxyRouteFailure(new ProxyAuthRequired('p:1', ['Basic'], true)), false);
  assert.equal(isProxyRouteFailure(new ProxyRefusedConnect('p:1', 'api.example:443', 403)), false);
});

test('request-phase failures: header/body timeouts and resets (whose errno drives retries)', () => {
  const ctx = { target: 'https://api.example/x', headersMs: 60_000, bodyMs: 60_000 };
  const h = classifyRequestError(coded('UND_ERR_HEADERS_TIMEOUT'), ctx);
  assert.ok(h instanceof Timeout && h.phase === 'headers');
  const b = classifyRequestError(coded('UND_ERR_BODY_TIMEOUT'), ctx);
  assert.ok(b instanceof Timeout && b.phase === 'body');
  const reset = classifyRequestError(coded('UND_ERR_SOCKET'), ctx);
  assert.ok(reset instanceof ConnectionFailed);
  assert.equal(retryCode(reset), 'UND_ERR_SOCKET');
  assert.equal(retryCode(new Timeout('headers', 1, 'x')), 'Timeout');
});

test('the typed errors carry code, hop and a one-line fix naming the hop', () => {
  const refused = new ProxyRefusedConnect('proxy.corp:3128', 'api.mypurecloud.ie:443', 403);
  assert.equal(refused.fix, 'ask your proxy team for api.mypurecloud.ie:443 to be allowlisted');
  const auth = new ProxyAuthRequired('proxy.corp:3128', ['Negotiate', 'NTLM'], false);
  assert.match(auth.message, /offered: Negotiate, NTLM/);
  assert.match(auth.fix, /supports Basic/);
  const rl = new RateLimited({ method: 'GET', target: 'https://api/x', apiCode: 'too.many.requests.retry.after', contextId: 'c-1' }, 42_000);
  assert.equal(rl.status, 429);
  assert.equal(rl.retryAfterMs, 42_000);
  assert.match(rl.fix, /wait 42 s/);
  const http = new HttpError({ status: 503, method: 'GET', target: 'https://api/x', apiCode: 'service.unavailable', contextId: 'ctx' });
  assert.equal(http.message, 'GET https://api/x answered 503 service.unavailable (contextId ctx)');
  assert.deepEqual(Object.keys(http.toJSON()).slice(0, 4), ['code', 'hop', 'message', 'fix']);
  for (const e of [refused, auth, rl, http, new Timeout('deadline', 120_000, 'api')]) assert.ok(!e.fix.includes('\n') && e.fix.length > 0);
});

test('a non-101 answer to an upgrade is classified: stripped Upgrade, 403 from proxy or platform, 401, 404', () => {
  assert.equal(classifyUpgradeStatus('h', 404, { via: '1.1 proxytest (squid/5.7)' }, true).reason, 'upgrade-stripped');
  assert.equal(classifyUpgradeStatus('h', 400, { via: '1.1 proxy' }, false).reason, 'upgrade-stripped');
  assert.equal(classifyUpgradeStatus('h', 404, { via: '1.1 proxy' }, false).reason, 'not-found');
  assert.equal(classifyUpgradeStatus('h', 404, {}, true).reason, 'not-found', 'no inspecting proxy: the platform said 404');
  assert.equal(classifyUpgradeStatus('h', 403, { 'x-squid-error': 'ERR_ACCESS_DENIED 0' }, false).reason, 'proxy-forbidden');
  assert.equal(classifyUpgradeStatus('h', 403, {}, false).reason, 'forbidden');
  assert.equal(classifyUpgradeStatus('h', 401, {}, false).reason, 'unauthorized');
  assert.equal(classifyUpgradeStatus('h', 500, {}, false).reason, 'status');
});
