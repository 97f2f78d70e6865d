import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeNetConfig } from '../../main/net/config.ts';
import { ConfigInvalid } from '../../main/net/errors.ts';
import { basicProxyToken, parsePacResult, parseProxyUrl } from '../../main/net/proxy-url.ts';

test('credentials in a proxy URL are decoded and split off; the URL keeps none', () => {
  const p = parseProxyUrl('http://ops%20agent%40corp%25%C3%BC:s3cr%3At%20p%40ss%2520%C3%BC%E2%82%AC@Proxy.Corp:3128');
  assert.equal(p.username, 'ops agent@corp%ü');
  assert.equal(p.password, 's3cr:t p@ss%20ü€');
  assert.equal(p.endpoint.url, 'http://proxy.corp:3128');
  assert.equal(p.endpoint.port, 3128);
});

test('bare host:port means http; https proxies and IPv6 hosts are kept; default ports apply', () => {
  assert.equal(parseProxyUrl('proxy.corp:8080').endpoint.url, 'http://proxy.corp:8080');
  assert.equal(parseProxyUrl('https://proxy.corp').endpoint.url, 'https://proxy.corp:443');
  assert.equal(parseProxyUrl('http://proxy.corp').endpoint.port, 80);
  assert.equal(parseProxyUrl('http://[fd00::1]:3128').endpoint.url, 'http://[fd00::1]:3128');
});

test('bad proxy URLs are ConfigInvalid errors that never echo the input', () => {
  for (const bad of ['', 'socks5://proxy:1080', 'http://user:hunter2@', '::::']) {
    assert.throws(() => parseProxyUrl(bad), (e: unknown) => {
      assert.ok(e instanceof ConfigInvalid);
      assert.equal(e.code, 'ConfigInvalid');
      assert.ok(!e.message.includes('hunter2'));
      return true;
    });
  }
});

test('Basic token is UTF-8 base64 of user:password; a colon in the user name is refused', () => {
  const t = basicProxyToken('ops agent@corp%ü', 's3cr:t p@ss%20ü€');
  assert.match(t, /^Basic [A-Za-z0-9+/]+=*$/);
  assert.equal(Buffer.from(t.slice(6), 'base64').toString('utf8'), 'ops agent@corp%ü:s3cr:t p@ss%20ü€');
  assert.throws(() => basicProxyToken('a:b', 'x'), ConfigInvalid);
});

test('PAC results keep every entry in order, mapping keywords and skipping SOCKS visibly', () => {
  const entries = parsePacResult('PROXY a.corp:3128; HTTPS b.corp:8443;SOCKS5 c.corp:1080 ; DIRECT');
  assert.deepEqual(entries.map((e) => (e.kind === 'proxy' ? e.endpoint.url : e.kind === 'unsupported' ? `skip ${e.text}` : 'DIRECT')), [
    'http://a.corp:3128', 'https://b.corp:8443', 'skip SOCKS5 c.corp:1080', 'DIRECT',
  ]);
  assert.deepEqual(parsePacResult('DIRECT'), [{ kind: 'direct' }]);
  assert.deepEqual(parsePacResult(''), []);
  const noPort = parsePacResult('PROXY p.corp');
  assert.equal(noPort[0]?.kind === 'proxy' && noPort[0].endpoint.port, 80);
});

test('normalizeNetConfig applies documented defaults', () => {
  const { config } = normalizeNetConfig({});
  assert.equal(config.proxy.mode, 'auto');
  assert.equal(config.pool.connectionsPerOrigin, 20);
  assert.equal(config.pool.keepAliveIdleMs, 90_000);
  assert.equal(config.pool.allowH2, false);
  assert.equal(config.timeouts.tlsHandshakeMs, 10_000);
  assert.equal(config.timeouts.operationMs, 120_000);
  assert.equal(config.retry.maxAttempts, 5);
  assert.equal(config.retry.baseDelayMs, 2_000);
  assert.equal(config.retry.maxDelayMs, 30_000);
  assert.equal(config.breaker.failureThreshold, 3);
  assert.equal(config.breaker.openMs, 60_000);
  assert.equal(config.proxy.bypassLoopback, true);
});

test('normalizeNetConfig moves URL credentials out and validates fields by name', () => {
  const n = normalizeNetConfig({ proxy: { mode: 'fixed', url: 'http://alice:p%40ss@proxy.corp:3128' } });
  assert.equal(n.config.proxy.url, 'http://proxy.corp:3128');
  assert.equal(n.config.proxy.username, 'alice');
  assert.equal(n.urlPassword, 'p@ss');
  assert.throws(() => normalizeNetConfig({ proxy: { mode: 'fixed' } }), /proxy\.url/);
  assert.throws(() => normalizeNetConfig({ pool: { connectionsPerOrigin: 0 } }), (e: unknown) => e instanceof ConfigInvalid && e.field === 'pool.connectionsPerOrigin');
  assert.throws(() => normalizeNetConfig({ proxy: { noProxy: ['10.0.0.0/99'] } }), /10\.0\.0\.0\/99/);
  assert.throws(() => normalizeNetConfig({ retry: { baseDelayMs: 5000, maxDelayMs: 100 } }), /retry\.baseDelayMs/);
});
