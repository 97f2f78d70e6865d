import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invoke, startCore, type CoreFixture } from './core-fixture.ts';

describe('settings and secrets through the bridge', () => {
  let f: CoreFixture;
  before(async () => {
    f = await startCore();
  });
  after(() => f.close());

  it('rejects invalid settings with per-field messages and keeps the old values', async () => {
    const r = await invoke(f.core, 'settings:update', { patch: { tuning: { defaults: { min: 4, max: 2 } }, relay: { port: 70000 } } });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, 'validation');
    const paths = (r.error.fields ?? []).map((x) => x.path);
    assert.ok(paths.some((p) => p.startsWith('relay.port')), paths.join(','));
    assert.equal(f.core.settings.get().relay.port, 0);
  });

  it('moves credentials typed into a proxy URL to the keychain and never returns a secret', async () => {
    const password = 's3cr:t p@ss-ünï';
    const url = `http://alice:${encodeURIComponent(password)}@proxy.example:3128`;
    const r = await invoke(f.core, 'settings:update', {
      patch: { proxy: { mode: 'direct', url } },
      secrets: { 'influx.token': 'influx-token-value-123' },
    });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(f.core.settings.get().proxy.url, 'http://proxy.example:3128');
    assert.equal(f.core.settings.get().proxy.username, 'alice');
    assert.equal(await f.core.secrets.get('proxy.password'), password);
    const view = await invoke(f.core, 'settings:get', undefined);
    assert.ok(view.ok);
    const text = JSON.stringify(view);
    assert.ok(!text.includes(password) && !text.includes('s3cr') && !text.includes('influx-token-value-123'));
    assert.equal(view.ok && view.value.secrets['proxy.password'], 'set');
    assert.equal(view.ok && view.value.secrets['influx.token'], 'set');
    // Nor the state, nor the logs.
    const everything = JSON.stringify(f.core.state()) + f.logs.join('\n');
    assert.ok(!everything.includes(password) && !everything.includes('influx-token-value-123'));
  });

  it('an empty secret is a validation error; null clears it', async () => {
    const empty = await invoke(f.core, 'settings:update', { patch: {}, secrets: { 'influx.token': '   ' } });
    assert.equal(!empty.ok && empty.error.code, 'validation');
    const cleared = await invoke(f.core, 'settings:update', { patch: {}, secrets: { 'influx.token': null } });
    assert.ok(cleared.ok);
    assert.equal(cleared.ok && cleared.value.secrets['influx.token'], 'not-set');
  });
});
