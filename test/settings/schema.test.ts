import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromSettings } from '../../main/tuning/campaign-config.ts';
import { defaultSettings, effectiveTuning, sandboxActive, SETTINGS_SCHEMA_VERSION, SETTINGS_SECTIONS } from '../../main/settings/schema.ts';
import { validateSettings } from '../../main/settings/load-settings.ts';
import { checkOrigin, extractProxyCredentials, normalizeUrl, PROXY_URL, SERVICE_URL } from '../../main/settings/url-rules.ts';
import { GENESYS_REGION_KEYS } from '../../main/settings/genesys-regions.ts';
import { findSecretFields, type FieldIssue } from '../../main/settings/issues.ts';

function issues(doc: unknown): FieldIssue[] {
  const r = validateSettings(doc);
  assert.equal(r.ok, false, 'expected validation to fail');
  return r.ok ? [] : r.issues;
}
const paths = (doc: unknown) => issues(doc).map((i) => i.path);

test('defaults are complete and safe', () => {
  const d = defaultSettings();
  assert.equal(d.schemaVersion, SETTINGS_SCHEMA_VERSION);
  assert.deepEqual(Object.keys(d).filter((k) => k !== 'schemaVersion').sort(), [...SETTINGS_SECTIONS].sort());
  assert.equal(d.genesys.region, 'us_east_1');
  assert.equal(d.genesys.clientId, undefined);
  assert.equal(d.sandbox.enabled, 'auto');
  assert.equal(d.proxy.mode, 'system');
  assert.deepEqual(d.net, { connectionsPerOrigin: 20, keepAliveMs: 90_000, requestDeadlineMs: 120_000 });
  assert.deepEqual(d.tuning.defaults, {
    min: 1, max: 3, controller: 'compliance', abandonSetpointPct: 2.5, abandonCeilingPct: 3, intervalSec: 30, mode: 'auto', emergencyCuts: true,
  });
  assert.equal(d.relay.port, 0);
  assert.equal(d.relay.maxChannels, 20);
  assert.equal(d.relay.maxTopicsPerChannel, 1000);
  assert.equal(d.secrets.store, 'keychain');
  assert.ok(validateSettings(d).ok, 'the defaults validate');
  assert.deepEqual(findSecretFields(d), [], 'no secret-looking field anywhere in the settings');
});

test('every region key validates and unknown regions are rejected', () => {
  for (const region of GENESYS_REGION_KEYS) assert.ok(validateSettings({ genesys: { region } }).ok, region);
  assert.deepEqual(paths({ genesys: { region: 'mars_north_1' } }), ['genesys.region']);
});

test('tuning: min must be below max, setpoint at or below ceiling, per campaign too', () => {
  assert.deepEqual(paths({ tuning: { defaults: { min: 2, max: 2 } } }), ['tuning.defaults.min']);
  assert.match(issues({ tuning: { defaults: { min: 3.5 } } })[0]!.message, /minimum \(3\.5\) must be below the maximum \(3\)/);
  assert.deepEqual(paths({ tuning: { defaults: { abandonSetpointPct: 3.5 } } }), ['tuning.defaults.abandonSetpointPct']);
  // An override is checked merged with the defaults: min 3.2 crosses the default max 3.
  assert.deepEqual(paths({ tuning: { campaigns: { 'c-1': { min: 3.2 } } } }), ['tuning.campaigns.c-1.min']);
  // max 0.9 is out of range, and (merged with the default min 1) also below the minimum.
  assert.deepEqual(paths({ tuning: { campaigns: { 'c-1': { max: 0.9 } } } }), ['tuning.campaigns.c-1.max', 'tuning.campaigns.c-1.min']);
  assert.deepEqual(paths({ tuning: { campaigns: { 'has.dot': {} } } }), ['tuning.campaigns.has.dot']);
  const ok = validateSettings({ tuning: { campaigns: { 'c-1': { min: 3.2, max: 4, mode: 'dry-run' } } } });
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.deepEqual(effectiveTuning(ok.settings.tuning, 'c-1'), { ...ok.settings.tuning.defaults, min: 3.2, max: 4, mode: 'dry-run' });
    assert.deepEqual(effectiveTuning(ok.settings.tuning, 'other'), ok.settings.tuning.defaults);
  }
  // Emergency cuts are on by default and can be turned off per campaign, reaching the loop config.
  const strict = validateSettings({ tuning: { campaigns: { 'c-2': { emergencyCuts: false } } } });
  assert.ok(strict.ok);
  if (strict.ok) {
    assert.equal(strict.settings.tuning.defaults.emergencyCuts, true);
    assert.equal(configFromSettings('c-2', effectiveTuning(strict.settings.tuning, 'c-2')).emergencyCuts, false);
    assert.equal(configFromSettings('c-3', effectiveTuning(strict.settings.tuning, 'c-3')).emergencyCuts, true);
  }
  assert.deepEqual(paths({ tuning: { defaults: { emergencyCuts: 'no' } } }), ['tuning.defaults.emergencyCuts']);
});

test('ports, limits and enums are range-checked with plain messages', () => {
  assert.deepEqual(issues({ relay: { port: 65_536 } }), [{ path: 'relay.port', message: 'Must be at most 65535.' }]);
  assert.deepEqual(issues({ relay: { port: -1 } }), [{ path: 'relay.port', message: 'Must be at least 0.' }]);
  assert.ok(validateSettings({ relay: { port: 65_535 } }).ok);
  assert.deepEqual(issues({ relay: { maxChannels: 21 } }), [{ path: 'relay.maxChannels', message: 'Must be at most 20.' }]);
  assert.deepEqual(issues({ relay: { maxTopicsPerChannel: 1.5 } }), [{ path: 'relay.maxTopicsPerChannel', message: 'Expected a whole number.' }]);
  assert.deepEqual(issues({ sandbox: { enabled: true } }), [{ path: 'sandbox.enabled', message: 'Must be one of: "auto", "on", "off".' }]);
  assert.deepEqual(issues({ ui: 'dark' }), [{ path: 'ui', message: 'Expected a group of settings (an object).' }]);
  assert.deepEqual(issues({ net: { connectionsPerOrgin: 4 } }), [{ path: 'net.connectionsPerOrgin', message: 'Unknown setting (check the spelling).' }]);
});

test('explicit proxy mode needs a URL; proxy URLs with credentials are refused', () => {
  assert.deepEqual(paths({ proxy: { mode: 'explicit' } }), ['proxy.url']);
  const withCreds = issues({ proxy: { mode: 'explicit', url: 'http://alice:s3cr%40t@proxy.corp:3128' } });
  assert.equal(withCreds.length, 1);
  assert.equal(withCreds[0]!.path, 'proxy.url');
  assert.match(withCreds[0]!.message, /keychain/);
  assert.match(withCreds[0]!.message, /proxy\.username/);
  assert.ok(!withCreds[0]!.message.includes('s3cr'), 'the message never echoes the URL');
  assert.deepEqual(paths({ proxy: { url: 'socks5://proxy:1080' } }), ['proxy.url']);
  assert.deepEqual(paths({ proxy: { url: 'http://proxy:3128/path' } }), ['proxy.url']);
  const ok = validateSettings({ proxy: { mode: 'explicit', url: 'Proxy.Corp:3128', username: 'alice' } });
  assert.ok(ok.ok);
  if (ok.ok) assert.equal(ok.settings.proxy.url, 'http://proxy.corp:3128');
});

test('secret-looking fields are rejected with a pointer to the keychain', () => {
  const found = issues({ proxy: { password: 'hunter2' }, influx: { token: 't' } });
  assert.deepEqual(found.map((i) => i.path).sort(), ['influx.token', 'proxy.password']);
  for (const i of found) {
    assert.match(i.message, /OS keychain/);
    assert.ok(!i.message.includes('hunter2'));
  }
});

test('URL settings: shapes, normalization and influx requirements', () => {
  assert.deepEqual(normalizeUrl('HTTPS://Api.Gateway.Corp:443/genesys/', SERVICE_URL), { ok: true, value: 'https://api.gateway.corp/genesys' });
  assert.equal(normalizeUrl('ftp://x', SERVICE_URL).ok, false);
  assert.equal(normalizeUrl('https://h/?q=1', SERVICE_URL).ok, false);
  assert.equal(normalizeUrl('not a url', SERVICE_URL).ok, false);
  assert.deepEqual(normalizeUrl('10.0.0.1:8080', PROXY_URL), { ok: true, value: 'http://10.0.0.1:8080' });
  assert.deepEqual(paths({ genesys: { apiBaseUrl: 'https://u:p@gw' } }), ['genesys.apiBaseUrl']);
  assert.deepEqual(paths({ influx: { enabled: true } }).sort(), ['influx.bucket', 'influx.org']);
  assert.deepEqual(paths({ influx: { enabled: true, version: 'v1' } }), ['influx.db']);
  assert.ok(validateSettings({ influx: { enabled: true, version: 'v1', db: 'pacing', url: 'http://influx:8086' } }).ok);
  assert.deepEqual(paths({ tls: { caBundlePaths: ['certs/corp.pem'] } }), ['tls.caBundlePaths.0']);
  assert.ok(validateSettings({ tls: { caBundlePaths: ['/etc/ssl/corp.pem', 'C:\\certs\\corp.pem'] } }).ok);
});

test('relay origins must be exact origins; * and null are refused', () => {
  assert.deepEqual(checkOrigin('http://LOCALHOST:3000/'), { ok: true, value: 'http://localhost:3000' });
  assert.deepEqual(checkOrigin('chrome-extension://abcdef'), { ok: true, value: 'chrome-extension://abcdef' });
  for (const bad of ['*', 'null', 'http://localhost:3000/app', 'localhost:3000']) assert.equal(checkOrigin(bad).ok, false, bad);
  assert.deepEqual(paths({ relay: { allowedOrigins: ['http://ok.local', '*'] } }), ['relay.allowedOrigins.1']);
});

test('cleared text fields mean "not set"', () => {
  const r = validateSettings({ genesys: { clientId: '  ' }, proxy: { username: '' } });
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal('clientId' in r.settings.genesys, false);
    assert.equal('username' in r.settings.proxy, false);
  }
});

test('extractProxyCredentials splits a pasted URL into url, user name and password', () => {
  assert.deepEqual(extractProxyCredentials('http://alice:p%40ss%3Aw%25rd%20x@proxy.corp:3128/'), {
    cleanUrl: 'http://proxy.corp:3128',
    username: 'alice',
    password: 'p@ss:w%rd x',
  });
  assert.deepEqual(extractProxyCredentials('https://DOMAIN%5Cbob@Proxy:8443'), { cleanUrl: 'https://proxy:8443', username: 'DOMAIN\\bob' });
  assert.deepEqual(extractProxyCredentials('proxy.corp:3128'), { cleanUrl: 'http://proxy.corp:3128' });
  assert.deepEqual(extractProxyCredentials('http://u:%zz@p:1'), { cleanUrl: 'http://p:1', username: 'u', password: '%zz' });
  assert.throws(() => extractProxyCredentials('http://u:topsecret@'), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.ok(!e.message.includes('topsecret'));
    return true;
  });
  assert.throws(() => extractProxyCredentials('socks5://u:topsecret@p:1'), RangeError);
});

test('secret-field detection catches secret names and spares look-alikes', () => {
  const doc = {
    genesys: { clientSecret: 1, clientId: 1 },
    proxy: { password: 1, bypass: 1, passwd: 1 },
    influx: { token: 1, apiKey: 1, username: 1 },
    relay: { maxTopicsPerChannel: 1, accessToken: 1 },
    secrets: { store: 1 },
    x: { credentials: { user: 1 }, pass: 1, privateKey: 1 },
  };
  assert.deepEqual(findSecretFields(doc).map((i) => i.path).sort(), [
    'genesys.clientSecret', 'influx.apiKey', 'influx.token', 'proxy.passwd', 'proxy.password', 'relay.accessToken',
    'x.credentials', 'x.pass', 'x.privateKey',
  ]);
});

test('sandbox auto is on until both a client id and a client secret are configured', () => {
  const d = defaultSettings();
  const withId = { ...d, genesys: { ...d.genesys, clientId: 'id' } };
  assert.equal(sandboxActive(d, false), true);
  assert.equal(sandboxActive(d, true), true);
  assert.equal(sandboxActive(withId, false), true);
  assert.equal(sandboxActive(withId, true), false);
  assert.equal(sandboxActive({ ...withId, sandbox: { ...d.sandbox, enabled: 'on' } }, true), true);
  assert.equal(sandboxActive({ ...d, sandbox: { ...d.sandbox, enabled: 'off' } }, false), false);
});
