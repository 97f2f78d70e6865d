import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDialerModel } from '../../../main/sim/dialer/model.ts';
import { ANSWER_JUMP_AT_SEC, DAY_SEC, SCENARIO_NAMES, scenario } from '../../../main/sim/dialer/scenarios.ts';
import type { Counts, DialerModel, ScenarioName } from '../../../main/sim/dialer/types.ts';

const H = 3600;

function day(name: ScenarioName, ratio = 4, seed = 1, until = DAY_SEC): DialerModel {
  const m = createDialerModel(scenario(name, { seed, pacing: { initial: ratio } }));
  m.advanceTo(until);
  return m;
}

/** Live answers per dial: what the answer-rate schedule changes. */
const answerRate = (c: Counts) => c.live / c.dials;

test('every scenario builds a valid model with per-available pacing starting progressive', () => {
  for (const name of SCENARIO_NAMES) {
    const cfg = scenario(name);
    assert.doesNotThrow(() => createDialerModel(cfg), name);
    assert.equal(cfg.pacing.semantics, 'perAvailableAgent');
    assert.equal(cfg.pacing.initial, 1);
    assert.equal(cfg.maxWaitSec, 2);
  }
  assert.throws(() => scenario('nope' as ScenarioName), RangeError);
});

test('lunchDip halves the live-answer rate from 3 h to 4 h', () => {
  const m = day('lunchDip');
  const k = answerRate(m.counts(3 * H, 4 * H)) / answerRate(m.counts(2 * H, 3 * H));
  assert.ok(k > 0.38 && k < 0.62, `dip factor ${k}`);
  const after = answerRate(m.counts(4 * H + 60, 5 * H)) / answerRate(m.counts(2 * H, 3 * H));
  assert.ok(after > 0.85 && after < 1.15, `after the dip ${after}`);
});

test('burst raises the live-answer rate by 1.75 during five 10-minute windows', () => {
  const m = day('burst');
  let inside = { live: 0, dials: 0 };
  for (const start of [1, 2.5, 4, 5.5, 7]) {
    const c = m.counts(start * H, start * H + 600);
    inside = { live: inside.live + c.live, dials: inside.dials + c.dials };
  }
  const k = inside.live / inside.dials / answerRate(m.counts(0, 1 * H));
  assert.ok(k > 1.5 && k < 2.0, `burst factor ${k}`);
});

test('freshList raises the live-answer rate by 1.6 from 2 h on', () => {
  const m = day('freshList');
  const k = answerRate(m.counts(2 * H, DAY_SEC)) / answerRate(m.counts(0, 2 * H));
  assert.ok(k > 1.45 && k < 1.75, `fresh-list factor ${k}`);
});

test('answerJump is steady until the jump (same leads, same counts), then +60% answers', () => {
  const jump = day('answerJump', 4, 3);
  const steady = day('steady', 4, 3, ANSWER_JUMP_AT_SEC);
  assert.deepEqual(jump.counts(0, ANSWER_JUMP_AT_SEC), steady.counts(0, ANSWER_JUMP_AT_SEC));
  const k = answerRate(jump.counts(ANSWER_JUMP_AT_SEC, DAY_SEC)) / answerRate(jump.counts(0, ANSWER_JUMP_AT_SEC));
  assert.ok(k > 1.45 && k < 1.75, `jump factor ${k}`);
});

test('shiftChange: 20 → 10 at 4 h with leavers finishing their calls, back to 20 at 4.5 h', () => {
  const m = createDialerModel(scenario('shiftChange', { seed: 1, pacing: { initial: 4 } }));
  m.advanceTo(4 * H + 30);
  assert.ok(m.snapshot().agents.loggedIn > 10, 'busy leavers still count right after 4 h');
  m.advanceTo(DAY_SEC);
  assert.ok(Math.abs(m.counts(4 * H + 20 * 60, 4.5 * H).staffedSec - 10 * 600) < 1e-6);
  assert.ok(Math.abs(m.counts(4.5 * H, 5 * H).staffedSec - 20 * 1800) < 1e-6);
  assert.ok(Math.abs(m.counts(0, 4 * H).staffedSec - 20 * 4 * H) < 1e-6);
});

test('smallTeam and largeTeam staff 5 and 100 agents', () => {
  assert.ok(Math.abs(day('smallTeam', 2, 1, H).counts(0, H).staffedSec - 5 * H) < 1e-6);
  assert.ok(Math.abs(day('largeTeam', 4, 1, H).counts(0, H).staffedSec - 100 * H) < 1e-6);
});

test('overrides merge into outcome, amd and pacing, and every call returns a fresh config', () => {
  const cfg = scenario('lunchDip', { seed: 9, outcome: { pMachine: 0.3 }, amd: { falsePositive: 0.02 }, pacing: { initial: 2.5 } });
  assert.equal(cfg.seed, 9);
  assert.equal(cfg.outcome.pMachine, 0.3);
  assert.ok(cfg.outcome.pLiveScale && cfg.outcome.pLive.length === 1, 'the dip and base pLive survive an outcome override');
  assert.equal(cfg.amd.falsePositive, 0.02);
  assert.equal(cfg.amd.enabled, true);
  assert.deepEqual(cfg.pacing, { semantics: 'perAvailableAgent', initial: 2.5 });
  cfg.agents[0]!.value = 1;
  cfg.outcome.pLive[0]!.value = 0.5;
  assert.equal(scenario('lunchDip').agents[0]!.value, 20);
  assert.equal(scenario('lunchDip').outcome.pLive[0]!.value, 0.2);
});
