import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDialerModel } from '../../../main/sim/dialer/model.ts';
import { scenario } from '../../../main/sim/dialer/scenarios.ts';
import { DialerConfigError, validateDialerConfig } from '../../../main/sim/dialer/validate-config.ts';
import type { DialerConfig } from '../../../main/sim/dialer/types.ts';

type Mutation = [field: string, mutate: (c: DialerConfig) => void];

const BAD: Mutation[] = [
  ['agents[0].value', (c) => (c.agents = [{ at: 0, value: -1 }])],
  ['agents[0].value', (c) => (c.agents = [{ at: 0, value: 2.5 }])],
  ['agents[0].value', (c) => (c.agents = [{ at: 0, value: 1e9 }])],
  ['agents', (c) => (c.agents = [])],
  ['agents[0].at', (c) => (c.agents = [{ at: 5, value: 3 }])],
  ['agents[1].at', (c) => (c.agents = [{ at: 0, value: 3 }, { at: 0, value: 4 }])],
  ['paused[0].value', (c) => (c.paused = [{ at: 0, value: NaN }])],
  ['outcome.pLive[0].value', (c) => (c.outcome.pLive = [{ at: 0, value: NaN }])],
  ['outcome.pLive[0].value', (c) => (c.outcome.pLive = [{ at: 0, value: 1.2 }])],
  ['outcome.pMachine', (c) => (c.outcome.pMachine = -0.1)],
  ['outcome', (c) => (c.outcome.pMachine = 0.7)], // 0.2 + 0.7 + 0.15 > 1
  ['outcome', (c) => (c.outcome.pLiveScale = [{ at: 0, value: 1 }, { at: 3600, value: 4 }])], // 0.8 + 0.4 at 1 h
  ['tickSec', (c) => (c.tickSec = 0)],
  ['tickSec', (c) => (c.tickSec = NaN)],
  ['maxWaitSec', (c) => (c.maxWaitSec = -2)],
  ['ringTimeoutSec', (c) => (c.ringTimeoutSec = 0)],
  ['seed', (c) => (c.seed = 1.5)],
  ['seed', (c) => (c.seed = NaN)],
  ['ringLive.mean', (c) => (c.ringLive = { kind: 'lognormal', mean: 0, sd: 1 })],
  ['wrap.sd', (c) => (c.wrap = { kind: 'lognormal', mean: 10, sd: -1 })],
  ['failTime.max', (c) => (c.failTime = { kind: 'uniform', min: 6, max: 2 })],
  ['talk.parts', (c) => (c.talk = { kind: 'mixture', parts: [] })],
  ['talk.parts[1].dist.value', (c) => (c.talk = { kind: 'mixture', parts: [{ weight: 1, dist: { kind: 'const', value: 1 } }, { weight: 1, dist: { kind: 'const', value: -3 } }] })],
  ['talk.kind', (c) => (c.talk = { kind: 'gamma' } as unknown as DialerConfig['talk'])],
  ['amd.falsePositive', (c) => (c.amd.falsePositive = 2)],
  ['amd.enabled', (c) => (c.amd.enabled = 'yes' as unknown as boolean)],
  ['pacing.semantics', (c) => (c.pacing.semantics = 'perAgent' as DialerConfig['pacing']['semantics'])],
  ['pacing.initial', (c) => (c.pacing.initial = 0)],
  ['pacing.initial', (c) => (c.pacing.initial = Infinity)],
  ['pacing.trunkCap', (c) => (c.pacing.trunkCap = -5)],
  ['detailRetentionSec', (c) => (c.detailRetentionSec = 1)],
];

for (const [field, mutate] of BAD) {
  test(`a bad ${field} is a RangeError naming it`, () => {
    const cfg = scenario('steady');
    mutate(cfg);
    assert.throws(
      () => createDialerModel(cfg),
      (e: unknown) => {
        assert.ok(e instanceof RangeError);
        assert.ok(e instanceof DialerConfigError);
        assert.equal(e.field, field);
        assert.equal(e.code, 'DIALER_CONFIG_INVALID');
        assert.ok(e.message.includes(field), e.message);
        return true;
      },
    );
  });
}

test('a cyclic mixture fails with a clear error instead of recursing forever', () => {
  const cfg = scenario('steady');
  const loop: { kind: 'mixture'; parts: Array<{ weight: number; dist: unknown }> } = { kind: 'mixture', parts: [] };
  loop.parts.push({ weight: 1, dist: loop });
  cfg.talk = loop as DialerConfig['talk'];
  assert.throws(() => createDialerModel(cfg), DialerConfigError);
});

test('the base scenarios, the edge values and a changed config copy are accepted', () => {
  const cfg = scenario('steady', { maxWaitSec: 0, outcome: { pLive: [{ at: 0, value: 0.6 }], pMachine: 0.25, pFail: 0.15 } });
  assert.equal(validateDialerConfig(cfg), cfg);
  const model = createDialerModel(cfg);
  cfg.agents[0]!.value = 0; // the model keeps its own copy
  model.advanceTo(10);
  assert.equal(model.snapshot().agents.loggedIn, 20);
});
