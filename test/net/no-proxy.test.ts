import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipBytes, isLoopbackHost, matchNoProxy, parseNoProxy } from '../../main/net/no-proxy.ts';

const hit = (url: string, list: string, loopback = true) => matchNoProxy(url, parseNoProxy(list), loopback);

test('exact host, and subdomains of a plain domain entry (curl semantics)', () => {
  assert.deepEqual(hit('https://api.mypurecloud.com/x', 'mypurecloud.com'), { bypass: true, rule: 'mypurecloud.com' });
  assert.deepEqual(hit('https://mypurecloud.com/', 'mypurecloud.com'), { bypass: true, rule: 'mypurecloud.com' });
  assert.deepEqual(hit('https://notmypurecloud.com/', 'mypurecloud.com'), { bypass: false });
});

test('.suffix matches the apex and subdomains; *.suffix only subdomains', () => {
  assert.equal(hit('https://corp.example/', '.corp.example').bypass, true);
  assert.equal(hit('https://a.b.corp.example/', '.corp.example').bypass, true);
  assert.equal(hit('https://corp.example/', '*.corp.example').bypass, false);
  assert.deepEqual(hit('https://x.corp.example/', '*.corp.example'), { bypass: true, rule: '*.corp.example' });
});

test('host:port only matches that port, using the scheme default when the URL has none', () => {
  assert.equal(hit('https://metrics.corp:8086/write', 'metrics.corp:8086').bypass, true);
  assert.equal(hit('https://metrics.corp:8087/write', 'metrics.corp:8086').bypass, false);
  assert.equal(hit('https://metrics.corp/write', 'metrics.corp:443').bypass, true);
  assert.equal(hit('http://metrics.corp/write', 'metrics.corp:443').bypass, false);
});

test('* bypasses everything; lists split on commas and whitespace, case-insensitively', () => {
  assert.deepEqual(hit('https://anything.example/', 'foo, *'), { bypass: true, rule: '*' });
  assert.equal(hit('https://API.Corp.Example/', 'a.test  corp.example,b.test').bypass, true);
  assert.equal(hit('https://api.corp.example./', 'corp.example').bypass, true, 'trailing dot on the host');
  assert.equal(hit('https://api.corp.example/', 'corp.example.').bypass, true, 'trailing dot on the entry');
});

test('IPv4 literals and CIDR ranges', () => {
  assert.equal(hit('https://10.20.30.40/', '10.0.0.0/8').bypass, true);
  assert.equal(hit('https://11.20.30.40/', '10.0.0.0/8').bypass, false);
  assert.equal(hit('https://192.168.1.77:8443/', '192.168.1.64/26').bypass, true);
  assert.equal(hit('https://192.168.1.128/', '192.168.1.64/26').bypass, false);
  assert.equal(hit('https://172.16.0.1/', '172.16.0.1').bypass, true);
  assert.equal(hit('https://172.16.0.1:9000/', '172.16.0.1:9000').bypass, true);
  assert.equal(hit('https://172.16.0.1:9001/', '172.16.0.1:9000').bypass, false);
  assert.equal(hit('https://1.2.3.4/', '0.0.0.0/0').bypass, true);
  // CIDR applies to IP literals only: no DNS lookup behind a proxy.
  assert.equal(hit('https://ten.example/', '10.0.0.0/8').bypass, false);
});

test('IPv6: bare, bracketed, with port, and CIDR; IPv4-mapped addresses match IPv4 rules', () => {
  assert.equal(hit('https://[fd00::1]/', 'fd00::/8').bypass, true);
  assert.equal(hit('https://[fe80::1]/', 'fd00::/8').bypass, false);
  assert.equal(hit('https://[2001:db8::5]/', '2001:db8::5').bypass, true);
  assert.equal(hit('https://[2001:db8::5]:8443/', '[2001:db8::5]:8443').bypass, true);
  assert.equal(hit('https://[2001:db8::5]:8444/', '[2001:db8::5]:8443').bypass, false);
  assert.equal(hit('https://[2001:db8:0:0:0:0:0:5]/', '[2001:db8::5]').bypass, true);
  assert.equal(hit('https://[::ffff:10.1.2.3]/', '10.0.0.0/8').bypass, true);
  assert.deepEqual([...(ipBytes('::ffff:10.1.2.3') ?? [])], [10, 1, 2, 3]);
});

test('loopback is always bypassed, whatever the list says', () => {
  for (const u of ['https://localhost:8443/', 'https://127.0.0.1/', 'https://127.9.9.9/', 'https://[::1]:9/', 'https://app.localhost/']) {
    assert.deepEqual(hit(u, ''), { bypass: true, rule: 'loopback' }, u);
  }
  assert.equal(isLoopbackHost('[::1]'), true);
  assert.equal(isLoopbackHost('128.0.0.1'), false);
  assert.equal(isLoopbackHost('localhost.example.com'), false);
  // Only a test rig turns the loopback rule off.
  assert.deepEqual(hit('https://localhost:8443/', '', false), { bypass: false });
});

test('unparseable entries are reported, not silently dropped', () => {
  const l = parseNoProxy('good.example, 10.0.0.0/33, host:99999, *bad*, a*b.example');
  assert.deepEqual(l.rules.map((r) => r.text), ['good.example']);
  assert.deepEqual(l.invalid, ['10.0.0.0/33', 'host:99999', '*bad*', 'a*b.example']);
});

test('internationalised domain names match in punycode form', () => {
  assert.equal(hit('https://api.bücher.example/', 'bücher.example').bypass, true);
  assert.equal(hit('https://api.xn--bcher-kva.example/', 'bücher.example').bypass, true);
});
