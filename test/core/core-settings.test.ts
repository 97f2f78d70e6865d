import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, invoke, startCore, type CoreFixture } from './core-fixture.ts';

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

describe('saving settings rebuilds only the affected services', () => {
  let f: CoreFixture;
  before(async () => {
    f = await startCore();
  });
  after(() => f.close());

  it('a relay port change restarts the relay on that port; a tuning change restarts the loop with the new mode', async () => {
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const sim = f.core.platform()!.sim!;
    const r = await invoke(f.core, 'settings:update', { patch: { relay: { port } } });
    assert.equal(r.ok, true, JSON.stringify(r));
    await eventually(() => (f.core.relayPort() === port ? true : undefined), 'the relay on the new port');
    assert.equal(f.core.platform()!.sim, sim, 'the platform was not restarted');

    const t = await invoke(f.core, 'settings:update', { patch: { tuning: { defaults: { mode: 'dry-run' } } } });
    assert.equal(t.ok, true);
    await eventually(() => {
      const cs = f.core.state().campaigns;
      return cs.length && cs.every((c) => c.mode === 'dry-run') ? true : undefined;
    }, 'every campaign in dry-run');
    assert.equal(f.core.platform()!.sim, sim);
    const events = await invoke(f.core, 'events:get', {});
    assert.ok(events.ok && events.value.some((e) => e.kind === 'settings-saved'));
  });
});
