// Shared builders for the dialer tests: a tiny fully deterministic campaign (constant distributions)
// whose timeline can be worked out by hand, and helpers to record what a model emits.
import type { AgentStateChange, CallRecord, DialerConfig, DialerModel } from '../../../main/sim/dialer/types.ts';

/**
 * Every dial is a live answer after `ring` seconds; talk and wrap are constants. With these, the
 * timeline of a run can be computed on paper, which is what the exact-behaviour tests do.
 */
export function handConfig(opts: { agents?: number; ring?: number; talk?: number; wrap?: number; ratio?: number } = {}): DialerConfig {
  return {
    seed: 1,
    tickSec: 1,
    maxWaitSec: 2,
    agents: [{ at: 0, value: opts.agents ?? 1 }],
    outcome: { pLive: [{ at: 0, value: 1 }], pMachine: 0, pFail: 0 },
    ringLive: { kind: 'const', value: opts.ring ?? 5 },
    ringMachine: { kind: 'const', value: 5 },
    ringTimeoutSec: 26,
    failTime: { kind: 'const', value: 3 },
    amd: { enabled: true, delaySec: 3, falsePositive: 0 },
    talk: { kind: 'const', value: opts.talk ?? 100 },
    wrap: { kind: 'const', value: opts.wrap ?? 0 },
    pacing: { semantics: 'perAvailableAgent', initial: opts.ratio ?? 1 },
  };
}

export function recordCalls(model: DialerModel): CallRecord[] {
  const calls: CallRecord[] = [];
  model.onCall((c) => calls.push(c));
  return calls;
}

export function recordAgents(model: DialerModel): AgentStateChange[] {
  const changes: AgentStateChange[] = [];
  model.onAgentState((c) => changes.push(c));
  return changes;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
