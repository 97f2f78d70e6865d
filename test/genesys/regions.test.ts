import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customEndpoints, findRegion, regionEndpoints, REGIONS } from '../../main/genesys/regions.ts';

test('every region has api.<domain> and login.<domain> hosts and an allowlist for the proxy team', () => {
  assert.equal(Object.keys(REGIONS).length, 18);
  for (const key of Object.keys(REGIONS)) {
    const e = regionEndpoints(key);
    const domain = REGIONS[key as keyof typeof REGIONS].domain;
    assert.equal(e.apiBaseUrl, `https://api.${domain}`);
    assert.equal(e.loginBaseUrl, `https://login.${domain}`);
    assert.deepEqual(e.allowlist, [`api.${domain}:443`, `login.${domain}:443`, `streaming.${domain}:443`]);
  }
  assert.equal(regionEndpoints('eu_west_1').apiBaseUrl, 'https://api.mypurecloud.ie');
  assert.equal(regionEndpoints('ap_southeast_2').loginBaseUrl, 'https://login.mypurecloud.com.au');
  assert.equal(regionEndpoints('us_east_2').apiBaseUrl, 'https://api.use2.us-gov-pure.cloud');
});

test('regions are found by key, AWS name or domain (with api./https:// prefixes, as the SDK accepts)', () => {
  assert.equal(findRegion('eu-central-1'), 'eu_central_1');
  assert.equal(findRegion('mypurecloud.de'), 'eu_central_1');
  assert.equal(findRegion('https://api.mypurecloud.jp/'), 'ap_northeast_1');
  assert.equal(findRegion('LOGIN.USW2.PURE.CLOUD'), 'us_west_2');
  assert.equal(findRegion('mypurecloud.example'), undefined);
  assert.throws(() => regionEndpoints('mars-1'), /unknown Genesys Cloud region "mars-1"/);
});

test('explicit base URLs (the simulator, a gateway) are kept as origins', () => {
  const e = customEndpoints('https://localhost:8443/', 'https://login.gw.corp:9443/x');
  assert.deepEqual(e, { region: 'custom', apiBaseUrl: 'https://localhost:8443', loginBaseUrl: 'https://login.gw.corp:9443', allowlist: ['localhost:8443', 'login.gw.corp:9443'] });
  assert.deepEqual(customEndpoints('https://sim:1').allowlist, ['sim:1']);
});
