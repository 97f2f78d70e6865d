import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, invoke, startCore, type CoreFixture } from './core-fixture.ts';

describe('core in sandbox mode, over the real simulator', () => {
  let f: CoreFixture;
  before(async () => {
    f = await startCore();
  });
  after(() => f.close());

  it('reports sandbox mode and every simulated campaign with its dialing mode', async () => {
    const state = await eventually(() => {
      const s = f.core.state();
      return s.campaigns.length ? s : undefined;
    }, 'campaigns');
    assert.equal(state.platform.mode, 'sandbox');
    const sim = f.core.platform()!.sim!;
    const simCampaigns = sim.control.listCampaigns();
    assert.deepEqual(new Set(state.campaigns.map((c) => c.id)), new Set(simCampaigns.map((c) => c.campaign.id)));
    for (const c of state.campaigns) {
      const s = simCampaigns.find((x) => x.campaign.id === c.id)!;
      assert.equal(c.dialingMode, s.campaign.dialingMode);
      assert.equal(c.name, s.campaign.name);
      assert.equal(c.field, 'maxCallsPerAgentDecimal');
    }
  });

  it('an override goes through the loop to the simulated campaign and shows in state and the event log', async () => {
    const state = f.core.state();
    const sim = f.core.platform()!.sim!;
    const target = state.campaigns.find((c) => c.dialingMode === 'predictive')!;
    const before = sim.control.campaign(target.id)!.campaign.version!;
    const r = await invoke(f.core, 'campaign:command', { action: 'override', campaignId: target.id, value: 2.37, holdMinutes: 10 });
    assert.equal(r.ok, true, JSON.stringify(r));
    const after = sim.control.campaign(target.id)!.campaign;
    assert.equal(after.maxCallsPerAgentDecimal, 2.37);
    assert.ok(after.version! > before);
    const view = f.core.state().campaigns.find((c) => c.id === target.id)!;
    assert.equal(view.mode, 'override');
    assert.equal(view.hold?.value, 2.37);
    const events = await invoke(f.core, 'events:get', { limit: 50 });
    assert.ok(events.ok && events.value.some((e) => e.kind === 'override-started' && e.campaignId === target.id));

    const rel = await invoke(f.core, 'campaign:command', { action: 'release', campaignId: target.id });
    assert.equal(rel.ok, true);
    assert.notEqual(f.core.state().campaigns.find((c) => c.id === target.id)!.mode, 'override');
  });

  it('refuses commands for unknown campaigns and malformed requests', async () => {
    const unknown = await invoke(f.core, 'campaign:command', { action: 'pause', campaignId: 'no-such-campaign' });
    assert.equal(unknown.ok, false);
    assert.equal(!unknown.ok && unknown.error.code, 'not-found');
    const bad = await invoke(f.core, 'campaign:command', { action: 'override', campaignId: 'x', value: -1, holdMinutes: 5 });
    assert.equal(!bad.ok && bad.error.code, 'invalid-request');
    const nope = await f.core.dispatch('settings:steal', {});
    assert.equal(!nope.ok && nope.error.code, 'unknown-method');
  });

  it('the state passes its own schema and pushes to listeners', async () => {
    const got = await new Promise<unknown>((resolve) => {
      const off = f.core.on('state', (s) => {
        off();
        resolve(s);
      });
    });
    const { CoreStateSchema } = await import('../../preload/contract.ts');
    assert.equal(CoreStateSchema.safeParse(got).success, true);
  });
});
