import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDialerModel } from '../../../main/sim/dialer/model.ts';
import { scenario } from '../../../main/sim/dialer/scenarios.ts';
import type { CallRecord, DialerConfig, DialerModel } from '../../../main/sim/dialer/types.ts';
import { createMemoryLogger } from '../../../main/util/log.ts';
import { handConfig, recordAgents, recordCalls } from './fixtures.ts';

function run(config: DialerConfig, untilSec: number): { model: DialerModel; calls: CallRecord[] } {
  const model = createDialerModel(config);
  const calls = recordCalls(model);
  model.advanceTo(untilSec);
  return { model, calls };
}

const liveOrNot = (c: CallRecord) => (c.outcome === 'live-connected' || c.outcome === 'live-abandoned' ? 'live' : c.outcome);

/** Calls of `a` paired with the call of `b` for the same lead, where `b` dialed that lead too. */
function sameLeads(a: readonly CallRecord[], b: readonly CallRecord[]): Array<[CallRecord, CallRecord]> {
  const byIndex = new Map(b.map((c) => [c.callIndex, c]));
  const pairs: Array<[CallRecord, CallRecord]> = [];
  for (const c of a) {
    const other = byIndex.get(c.callIndex);
    if (other) pairs.push([c, other]);
  }
  return pairs;
}

test('same seed gives identical runs; a different seed gives a different run', () => {
  const a = run(scenario('steady', { seed: 7, pacing: { initial: 3.5 } }), 3600);
  const b = run(scenario('steady', { seed: 7, pacing: { initial: 3.5 } }), 3600);
  const c = run(scenario('steady', { seed: 8, pacing: { initial: 3.5 } }), 3600);
  assert.deepEqual(a.model.snapshot(), b.model.snapshot());
  assert.deepEqual(a.calls, b.calls);
  assert.ok(a.calls.length > 1000);
  assert.notDeepEqual(a.model.snapshot().cumulative, c.model.snapshot().cumulative);
});

test('advancing in many small irregular steps gives exactly the result of one big step', () => {
  const cfg = scenario('shiftChange', { seed: 3, pacing: { initial: 4 } });
  const one = run(cfg, 5 * 3600);
  const many = createDialerModel(cfg);
  const calls = recordCalls(many);
  let t = 0;
  for (let i = 0; t < 5 * 3600; i++) {
    // Sub-second steps, repeats of the same time, and the odd long jump, as HTTP requests would.
    t = Math.min(5 * 3600, t + (i % 97 === 0 ? 1234.5 : i % 5 === 0 ? 0 : 0.37));
    many.advanceTo(t);
  }
  assert.deepEqual(many.snapshot(), one.model.snapshot());
  assert.deepEqual(calls, one.calls);
  assert.deepEqual(many.minuteBuckets(), one.model.minuteBuckets());
});

test('common random numbers: runs at different ratios face the same leads', () => {
  const low = run(scenario('steady', { seed: 5, pacing: { initial: 1 } }), 7200);
  const high = run(scenario('steady', { seed: 5, pacing: { initial: 4 } }), 7200);
  const pairs = sameLeads(high.calls, low.calls);
  const common = pairs.length;
  let bothConnected = 0;
  for (const [h, l] of pairs) {
    assert.equal(liveOrNot(h), liveOrNot(l), `lead ${h.callIndex} outcome`);
    if (h.tAnswer !== undefined) assert.ok(Math.abs(h.tAnswer - h.tDial - (l.tAnswer! - l.tDial)) < 1e-9, `lead ${h.callIndex} ring time`);
    else assert.ok(Math.abs(h.tEnd - h.tDial - (l.tEnd - l.tDial)) < 1e-9, `lead ${h.callIndex} time to outcome`);
    if (h.outcome === 'live-connected' && l.outcome === 'live-connected') {
      bothConnected++;
      assert.ok(Math.abs(h.tEnd - h.tConnect! - (l.tEnd - l.tConnect!)) < 1e-9, `lead ${h.callIndex} talk time`);
    }
  }
  // The runs really differ in pacing, and still share thousands of leads.
  assert.ok(high.model.snapshot().cumulative.dials > 1.3 * low.model.snapshot().cumulative.dials);
  assert.ok(common > 2500, `common leads ${common}`);
  assert.ok(bothConnected > 200, `connected in both ${bothConnected}`);

  // Control: another seed dials a different list.
  const other = run(scenario('steady', { seed: 6, pacing: { initial: 1 } }), 7200);
  const otherPairs = sameLeads(low.calls, other.calls);
  const n = otherPairs.length;
  let same = 0;
  for (const [l, o] of otherPairs) {
    if (liveOrNot(o) === liveOrNot(l) && Math.abs(o.tEnd - o.tDial - (l.tEnd - l.tDial)) < 1e-9) same++;
  }
  assert.ok(same / n < 0.5, `a different seed repeated ${same}/${n} leads`);
});

test('common random numbers hold under a time-varying answer rate: the failed numbers are the same', () => {
  const a = run(scenario('lunchDip', { seed: 2, pacing: { initial: 2 } }), 5 * 3600);
  const b = run(scenario('lunchDip', { seed: 2, pacing: { initial: 4 } }), 5 * 3600);
  const limit = Math.min(a.model.snapshot().cumulative.dials, b.model.snapshot().cumulative.dials) - 100;
  const fails = (calls: CallRecord[]) =>
    calls
      .filter((c) => c.outcome === 'fail' && c.callIndex < limit)
      .map((c) => c.callIndex)
      .sort((x, y) => x - y);
  assert.ok(fails(a.calls).length > 1000);
  assert.deepEqual(fails(a.calls), fails(b.calls));
});

test('a live answer with no free agent for maxWaitSec is abandoned at answer + 2 s', () => {
  // One agent, ratio 2: two dials at t=0, both answered at t=5; the agent takes the first for 100 s.
  const model = createDialerModel(handConfig({ agents: 1, ring: 5, talk: 100, ratio: 2 }));
  const calls = recordCalls(model);
  model.advanceTo(7); // everything strictly before t = 7
  let s = model.snapshot();
  assert.equal(s.cumulative.dials, 2);
  assert.equal(s.cumulative.live, 2);
  assert.equal(s.cumulative.connected, 1);
  assert.equal(s.queued, 1);
  assert.equal(s.cumulative.abandoned, 0);
  model.advanceTo(7.001);
  s = model.snapshot();
  assert.equal(s.queued, 0);
  assert.equal(s.cumulative.abandoned, 1);
  assert.deepEqual(calls, [{ callIndex: 1, tDial: 0, tEnd: 7, outcome: 'live-abandoned', tAnswer: 5 }]);
});

test('a waiting live answer connects when an agent frees within the 2 s, and not after', () => {
  // The agent frees at 5 + talk: 6.5 is in time for the call queued at 5, 7.5 is not.
  const inTime = run(handConfig({ agents: 1, ring: 5, talk: 1.5, ratio: 2 }), 9);
  assert.equal(inTime.model.snapshot().cumulative.abandoned, 0);
  assert.equal(inTime.model.snapshot().cumulative.connected, 2);
  const second = inTime.calls.find((c) => c.callIndex === 1);
  assert.equal(second?.outcome, 'live-connected');
  assert.equal(second?.tConnect, 6.5);

  const late = run(handConfig({ agents: 1, ring: 5, talk: 2.5, ratio: 2 }), 9);
  assert.equal(late.model.snapshot().cumulative.abandoned, 1);
  assert.equal(late.calls.find((c) => c.callIndex === 1)?.outcome, 'live-abandoned');
});

test('agents logging off finish their call and wrap first, and the dialer counts them meanwhile', () => {
  const cfg = handConfig({ agents: 2, ring: 1, talk: 100, wrap: 5 });
  cfg.agents = [
    { at: 0, value: 2 },
    { at: 10, value: 1 },
  ];
  const model = createDialerModel(cfg);
  const changes = recordAgents(model);
  const calls = recordCalls(model);
  model.advanceTo(50);
  assert.deepEqual(model.snapshot().agents, { ready: 0, talking: 2, wrapping: 0, paused: 0, off: 0, loggedIn: 2 });
  model.advanceTo(103);
  assert.deepEqual(model.snapshot().agents, { ready: 0, talking: 0, wrapping: 2, paused: 0, off: 0, loggedIn: 2 });
  model.advanceTo(107);
  assert.deepEqual(model.snapshot().agents, { ready: 1, talking: 0, wrapping: 0, paused: 0, off: 1, loggedIn: 1 });
  assert.deepEqual(
    changes.filter((c) => c.agentId === 1),
    [
      { tSec: 0, agentId: 1, state: 'ready' },
      { tSec: 1, agentId: 1, state: 'talk' },
      { tSec: 101, agentId: 1, state: 'wrap' },
      { tSec: 106, agentId: 1, state: 'off' },
    ],
  );
  assert.equal(calls.find((c) => c.agentId === 1)?.outcome, 'live-connected');
});

test('in a shift change no agent goes off in the middle of a call', () => {
  const model = createDialerModel(scenario('shiftChange', { seed: 4, pacing: { initial: 4 } }));
  const changes = recordAgents(model);
  model.advanceTo(5 * 3600);
  const last = new Map<number, string>();
  let offs = 0;
  for (const c of changes) {
    if (c.state === 'off') {
      offs++;
      assert.notEqual(last.get(c.agentId), 'talk', `agent ${c.agentId} dropped a call at ${c.tSec}`);
    }
    last.set(c.agentId, c.state);
  }
  assert.equal(offs, 10);
  assert.equal(model.snapshot().agents.loggedIn, 20);
});

test('busy agents asked to pause finish their call first, and paused agents take no calls', () => {
  const cfg = handConfig({ agents: 2, ring: 1, talk: 100, wrap: 0 });
  cfg.paused = [
    { at: 0, value: 0 },
    { at: 10, value: 1 },
  ];
  const model = createDialerModel(cfg);
  const changes = recordAgents(model);
  model.advanceTo(50);
  assert.equal(model.snapshot().agents.paused, 0, 'nobody is dragged off a call');
  model.advanceTo(101.5);
  assert.deepEqual(model.snapshot().agents, { ready: 1, talking: 0, wrapping: 0, paused: 1, off: 0, loggedIn: 2 });
  model.advanceTo(400);
  assert.ok(!changes.some((c) => c.agentId === 1 && c.tSec > 101 && c.state === 'talk'));
  assert.equal(model.counts(102, 400).pausedSec, 298);
});

test('pause schedules: staffed + paused time equals logged-in time, and nothing is paused after the break', () => {
  const cfg = scenario('steady', { seed: 9, pacing: { initial: 3 } });
  cfg.paused = [
    { at: 0, value: 0 },
    { at: 600, value: 5 },
    { at: 1200, value: 0 },
  ];
  const { model } = run(cfg, 1800);
  const c = model.counts(0, 1800);
  assert.ok(Math.abs(c.staffedSec + c.pausedSec - 20 * 1800) < 1e-6);
  assert.ok(c.pausedSec > 5 * 300 && c.pausedSec <= 5 * 600 + 1e-6, `pausedSec ${c.pausedSec}`);
  assert.equal(model.counts(1200, 1800).pausedSec, 0);
});

function checkFormula(semantics: 'perAvailableAgent' | 'perStaffedAgent', r: number): void {
  // A half-second timeout keeps no-answers from resolving at the same instant as a tick, so the
  // state just before a tick is exactly what the tick sees.
  const model = createDialerModel(scenario('steady', { seed: 11, ringTimeoutSec: 25.5, pacing: { semantics, initial: r } }));
  let positive = 0;
  for (let k = 1; k <= 900; k++) {
    model.advanceTo(k);
    const s = model.snapshot();
    model.advanceTo(k + 1e-6);
    const dialed = model.snapshot().cumulative.dials - s.cumulative.dials;
    const { ready, talking } = s.agents;
    const want =
      semantics === 'perAvailableAgent'
        ? Math.round(r * ready) - s.ringing - s.queued
        : Math.round(r * (ready + talking)) - s.ringing - s.queued - talking;
    assert.equal(dialed, Math.max(0, want), `t=${k}s ${JSON.stringify(s.agents)} ringing ${s.ringing} queued ${s.queued}`);
    if (want > 0) positive++;
  }
  assert.ok(positive > 50, `the formula dialed on only ${positive} ticks`);
}

test('perAvailableAgent dials max(0, round(r·READY) − ringing − queued) each tick', () => {
  checkFormula('perAvailableAgent', 3.3);
});

test('perStaffedAgent dials max(0, round(r·(READY+TALK)) − ringing − queued − talking) each tick', () => {
  checkFormula('perStaffedAgent', 1.37);
});

test('a trunk cap bounds the lines in use', () => {
  const model = createDialerModel(scenario('steady', { seed: 1, pacing: { initial: 5, trunkCap: 30 } }));
  let max = 0;
  for (let t = 0.5; t < 1800; t += 1) {
    model.advanceTo(t);
    const s = model.snapshot();
    max = Math.max(max, s.ringing + s.queued + s.agents.talking);
  }
  assert.equal(max, 30);
  const uncapped = run(scenario('steady', { seed: 1, pacing: { initial: 5 } }), 1800).model;
  assert.ok(model.snapshot().cumulative.dials < uncapped.snapshot().cumulative.dials);
});

test('setRatio rejects non-positive, non-finite and absurd values and accepts valid ones', () => {
  const model = createDialerModel(scenario('steady'));
  for (const bad of [0, -1, NaN, Infinity, -Infinity, 101]) assert.throws(() => model.setRatio(bad), RangeError, String(bad));
  model.setRatio(2.75);
  assert.equal(model.snapshot().ratio, 2.75);
});

test('advanceTo ignores earlier times and rejects non-finite ones', () => {
  const model = createDialerModel(scenario('steady', { pacing: { initial: 3 } }));
  model.advanceTo(600);
  const before = model.snapshot();
  model.advanceTo(300);
  model.advanceTo(600);
  assert.equal(model.nowSec, 600);
  assert.deepEqual(model.snapshot(), before);
  assert.throws(() => model.advanceTo(NaN), RangeError);
  assert.throws(() => model.advanceTo(Infinity), RangeError);
});

test('setDialing(false) stops new dials; calls in flight finish; true resumes', () => {
  const model = createDialerModel(scenario('steady', { pacing: { initial: 3 } }));
  model.advanceTo(600);
  model.setDialing(false);
  const dials = model.snapshot().cumulative.dials;
  model.advanceTo(700);
  const s = model.snapshot();
  assert.equal(s.dialing, false);
  assert.equal(s.cumulative.dials, dials);
  assert.equal(s.ringing, 0);
  model.setDialing(true);
  model.advanceTo(710);
  assert.ok(model.snapshot().cumulative.dials > dials);
});

test('a throwing or re-entrant listener does not change the run, and other listeners still hear everything', () => {
  const cfg = scenario('steady', { seed: 12, pacing: { initial: 4 } });
  const clean = run(cfg, 3600);
  const logger = createMemoryLogger();
  const model = createDialerModel(cfg, { logger });
  let n = 0;
  model.onCall(() => {
    if (++n % 3 === 0) throw new Error('consumer bug');
  });
  model.onCall(() => model.advanceTo(1e6));
  model.onAgentState(() => {
    throw new Error('agent consumer bug');
  });
  const heard = recordCalls(model);
  model.advanceTo(3600);
  assert.deepEqual(model.snapshot(), clean.model.snapshot());
  assert.deepEqual(heard, clean.calls);
  assert.ok(logger.lines.some((l) => l.includes('dialer listener threw') && l.includes('consumer bug')));
  assert.ok(logger.lines.some((l) => l.includes('listeners must not drive the model')));
});

test('unsubscribing stops delivery', () => {
  const model = createDialerModel(scenario('steady', { pacing: { initial: 3 } }));
  let calls = 0;
  let agents = 0;
  const offCall = model.onCall(() => calls++);
  const offAgent = model.onAgentState(() => agents++);
  model.advanceTo(600);
  assert.ok(calls > 0 && agents > 0);
  offCall();
  offAgent();
  const [c, a] = [calls, agents];
  model.advanceTo(1200);
  assert.deepEqual([calls, agents], [c, a]);
});

test('answers after the ring timeout are no-answers; every no-answer rings exactly the timeout', () => {
  const { calls } = run(scenario('steady', { seed: 2, pacing: { initial: 3 } }), 3600);
  const answered = calls.filter((c) => c.tAnswer !== undefined);
  assert.ok(answered.length > 500);
  assert.ok(answered.every((c) => c.tAnswer! - c.tDial <= 26));
  const noAnswer = calls.filter((c) => c.outcome === 'no-answer');
  assert.ok(noAnswer.length > 500);
  assert.ok(noAnswer.every((c) => Math.abs(c.tEnd - c.tDial - 26) < 1e-9));

  // A person who would pick up at 30 s never gets the chance with a 26-s timeout.
  const slow = run(handConfig({ agents: 1, ring: 30 }), 100);
  const c = slow.model.snapshot().cumulative;
  assert.equal(c.live, 0);
  assert.ok(c.noAnswer >= 3);
  assert.ok(slow.calls.every((r) => r.outcome === 'no-answer' && r.tEnd - r.tDial === 26));
});

test('AMD false positives are machines to the dialer and abandons to UK ACR', () => {
  const { model, calls } = run(scenario('steady', { seed: 3, amd: { falsePositive: 0.1 }, pacing: { initial: 3 } }), 8 * 3600);
  const c = model.snapshot().cumulative;
  const share = c.amdFalsePositives / (c.live + c.amdFalsePositives);
  // About 3,000 live people: the share's SE is about 0.006.
  assert.ok(share > 0.07 && share < 0.13, `false-positive share ${share}`);
  const fp = calls.filter((r) => r.amdFalsePositive);
  assert.equal(fp.length, c.amdFalsePositives);
  assert.ok(fp.every((r) => r.outcome === 'machine' && r.agentId === undefined && Math.abs(r.tEnd - r.tAnswer! - 3) < 1e-9));
  assert.equal(calls.filter((r) => r.outcome === 'machine').length, c.machines);
});

test('with AMD off, machines reach agents and an unserved machine is no regulatory abandon', () => {
  const { model, calls } = run(scenario('steady', { seed: 3, amd: { enabled: false }, pacing: { initial: 4 } }), 2 * 3600);
  const c = model.snapshot().cumulative;
  const handled = calls.filter((r) => r.outcome === 'machine' && r.agentId !== undefined);
  assert.ok(handled.length > 100);
  assert.ok(handled.every((r) => Math.abs(r.tEnd - r.tConnect! - 10) < 1e-9), 'default machine handle time is 10 s');
  assert.equal(calls.filter((r) => r.outcome === 'live-abandoned').length, c.abandoned);
  // With AMD off a machine counts when it answers; its record comes when the agent hangs up.
  const cutoff = 2 * 3600 - 600;
  assert.equal(calls.filter((r) => r.outcome === 'machine' && r.tAnswer! < cutoff).length, model.counts(0, cutoff).machines);
});
