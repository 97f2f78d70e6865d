// Contract of the predictive-dialer model (notes/dialer.md §4). The HTTP simulator and the
// tuning evaluation both drive a model through this interface; neither sees its internals.
// Times are in simulated seconds from the start of the run.

export type Dist =
  | { kind: 'lognormal'; mean: number; sd: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'const'; value: number }
  | { kind: 'mixture'; parts: Array<{ weight: number; dist: Dist }> };

/** Piecewise-constant value over time, sorted by `at` (seconds); the first entry should be at 0. */
export type Schedule<T> = Array<{ at: number; value: T }>;

/**
 * What the pacing value means. Pacekeeper writes the campaign's `maxCallsPerAgentDecimal`, which the
 * simulator interprets as lines per *available* (ready) agent: toDial = round(r·READY) − ringing − queued.
 */
export type PacingSemantics = 'perAvailableAgent' | 'perStaffedAgent';

export interface DialerConfig {
  seed: number;
  /** Dialer placement loop period (s). 1 by default. */
  tickSec: number;
  /** A live answer not connected to an agent within this many seconds is abandoned. 2 by regulation. */
  maxWaitSec: number;
  /** Logged-in agent target N(t). Agents leaving finish their call and wrap first. */
  agents: Schedule<number>;
  /** Paused agents (breaks, coaching) at time t, taken out of the ready pool. */
  paused?: Schedule<number>;
  outcome: {
    /** Probability a dial reaches a live person; multiplied by `pLiveScale(t)` when present. */
    pLive: Schedule<number>;
    pMachine: number;
    pFail: number; // the rest are no-answer
  };
  ringLive: Dist;
  ringMachine: Dist;
  ringTimeoutSec: number;
  failTime: Dist;
  amd: { enabled: boolean; delaySec: number; falsePositive: number };
  talk: Dist;
  talkScale?: Schedule<number>;
  wrap: Dist;
  pacing: { semantics: PacingSemantics; initial: number };
}

/** Counters, all cumulative over the interval they describe. */
export interface Counts {
  dials: number;
  live: number;
  connected: number;
  abandoned: number;
  machines: number;
  noAnswer: number;
  fails: number;
  /** Agent-seconds spent in each state. */
  talkSec: number;
  wrapSec: number;
  readySec: number;
  pausedSec: number;
  /** Logged-in, non-paused agent-seconds (occupancy denominator). */
  staffedSec: number;
}

/** Instantaneous state, as a real dialer would know it. */
export interface DialerSnapshot {
  tSec: number;
  ratio: number;
  agents: { ready: number; talking: number; wrapping: number; paused: number; off: number; loggedIn: number };
  /** Calls dialing/ringing right now. */
  ringing: number;
  /** Live answers waiting for an agent right now. */
  queued: number;
  /** Since the start of the run. */
  cumulative: Counts;
}

/** One finished call, emitted for notification topics and analytics. */
export interface CallRecord {
  callIndex: number;
  tDial: number;
  tEnd: number;
  outcome: 'live-connected' | 'live-abandoned' | 'machine' | 'no-answer' | 'fail';
  agentId?: number;
}

export interface AgentStateChange {
  tSec: number;
  agentId: number;
  state: 'ready' | 'talk' | 'wrap' | 'paused' | 'off';
}

export interface DialerModel {
  readonly config: Readonly<DialerConfig>;
  /** Current simulated time (s). */
  readonly nowSec: number;
  /** Runs all events up to and including `tSec`. Never moves backwards. */
  advanceTo(tSec: number): void;
  /** New pacing value, effective from the current time. Values ≤ 0 or non-finite throw RangeError. */
  setRatio(r: number): void;
  snapshot(): DialerSnapshot;
  /** Counts for [fromSec, toSec), from per-second-accurate accounting (not only whole minutes). */
  counts(fromSec: number, toSec: number): Counts;
  /** Per-minute buckets since the start (index = minute), for metrics. */
  minuteBuckets(): readonly Counts[];
  onCall(listener: (c: CallRecord) => void): () => void;
  onAgentState(listener: (c: AgentStateChange) => void): () => void;
}

export type ScenarioName = 'steady' | 'lunchDip' | 'shiftChange' | 'burst' | 'freshList' | 'smallTeam' | 'largeTeam';
