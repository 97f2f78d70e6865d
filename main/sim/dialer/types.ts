// Contract of the predictive-dialer model (notes/dialer.md §4). The HTTP simulator and the
// tuning evaluation both drive a model through this interface; neither sees its internals.
// Times are in simulated seconds from the start of the run.

export type Dist =
  | { kind: 'lognormal'; mean: number; sd: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'const'; value: number }
  | { kind: 'mixture'; parts: Array<{ weight: number; dist: Dist }> };

/** Piecewise-constant value over time, sorted by `at` (seconds); the first entry must be at 0. */
export type Schedule<T> = Array<{ at: number; value: T }>;

/**
 * What the pacing value means. Pacekeeper writes the campaign's `maxCallsPerAgentDecimal`, which the
 * simulator interprets as lines per *available* (ready) agent: toDial = round(r·READY) − ringing − queued.
 * `perStaffedAgent` is VICIdial's default "dial level": round(r·(READY+TALK)) − ringing − queued − talking.
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
    /**
     * Probability a dial reaches a live person; multiplied by `pLiveScale(t)` when present. The
     * lead's outcome uniform u is compared with the value at dial time: live if u < pLive(t).
     */
    pLive: Schedule<number>;
    /** Scenario multiplier on pLive (lunch dip, bursts, fresh list…). pLive·scale + pMachine + pFail ≤ 1. */
    pLiveScale?: Schedule<number>;
    pMachine: number;
    pFail: number; // the rest are no-answer
  };
  /** Time from dial to a live answer. An answer later than `ringTimeoutSec` becomes a no-answer. */
  ringLive: Dist;
  /** Time from dial to a machine answer. Also capped by `ringTimeoutSec`. */
  ringMachine: Dist;
  ringTimeoutSec: number;
  failTime: Dist;
  /**
   * Answering-machine detection. Enabled: machines are dropped `delaySec` after they answer, and a
   * live answer is misclassified as a machine with probability `falsePositive` (dropped the same way;
   * the dialer counts it as a machine, the ground truth goes to `Counts.amdFalsePositives`).
   * Disabled: machine answers queue like live ones and an agent spends `machineHandle` (default
   * 10 s) on each before wrap; an unserved one is dropped silently (not a regulatory abandon).
   */
  amd: { enabled: boolean; delaySec: number; falsePositive: number; machineHandle?: Dist };
  talk: Dist;
  /** Multiplier on talk time, applied at connect time (new script, longer pitch…). */
  talkScale?: Schedule<number>;
  wrap: Dist;
  pacing: {
    semantics: PacingSemantics;
    /** Initial pacing value, in the semantics above. */
    initial: number;
    /** Optional cap on lines in use (ringing + queued + talking). */
    trunkCap?: number;
    /** Optional cap on dials placed per tick. */
    maxDialsPerTick?: number;
  };
  /**
   * How long per-event detail is kept for `counts(from, to)` (s, default 86,400). Older bounds are
   * rounded down to the whole minute; minute buckets are kept forever (about 100 bytes per minute).
   */
  detailRetentionSec?: number;
}

/** Counters, all cumulative over the interval they describe. */
export interface Counts {
  dials: number;
  /** Live answers the dialer saw (connected + abandoned + still queued). Regulatory denominator. */
  live: number;
  connected: number;
  /** Live answers not connected within `maxWaitSec`. */
  abandoned: number;
  /** Calls the dialer classified as machines (includes AMD false positives). */
  machines: number;
  noAnswer: number;
  fails: number;
  /** Ground truth only a simulator knows: live people AMD hung up on (UK ACR adds these). */
  amdFalsePositives: number;
  /** Agent-seconds spent in each state. */
  talkSec: number;
  wrapSec: number;
  readySec: number;
  pausedSec: number;
  /** Logged-in, non-paused agent-seconds (occupancy denominator) = ready + talk + wrap. */
  staffedSec: number;
}

/** Instantaneous state, as a real dialer would know it. */
export interface DialerSnapshot {
  tSec: number;
  ratio: number;
  /** False while the campaign is stopped (`setDialing(false)`). */
  dialing: boolean;
  /**
   * Agents by state. `loggedIn` counts agents still finishing a call before logging off; `off`
   * counts agents that were logged in at some point and are now logged off.
   */
  agents: { ready: number; talking: number; wrapping: number; paused: number; off: number; loggedIn: number };
  /** Calls dialing/ringing right now (including machines in AMD analysis). */
  ringing: number;
  /** Live answers waiting for an agent right now. */
  queued: number;
  /** Since the start of the run, i.e. counts(0, tSec). */
  cumulative: Counts;
}

/**
 * One finished call, emitted for notification topics and analytics. A connected call is emitted
 * when the conversation ends (`tEnd` = talk end; the agent's wrap follows), every other call when
 * its outcome is final. Each dial is a new lead, so `callIndex` is also the lead index.
 */
export interface CallRecord {
  callIndex: number;
  tDial: number;
  tEnd: number;
  outcome: 'live-connected' | 'live-abandoned' | 'machine' | 'no-answer' | 'fail';
  /** When the person or machine answered. */
  tAnswer?: number;
  /** When an agent got the call. */
  tConnect?: number;
  agentId?: number;
  /** A live person that AMD took for a machine and hung up on (outcome is then 'machine'). */
  amdFalsePositive?: boolean;
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
  /**
   * Runs every event strictly before `tSec`, then sets the clock to `tSec`; the state then is the
   * state just before anything scheduled at exactly `tSec`. A time ≤ `nowSec` is ignored (the model
   * never moves backwards); NaN or ±Infinity throws RangeError. Cheap when nothing is due.
   */
  advanceTo(tSec: number): void;
  /** New pacing value, effective from the next tick. Values ≤ 0, > 100 or non-finite throw RangeError. */
  setRatio(r: number): void;
  /** Campaign on/off. Off: no new dials; calls in flight and agents carry on. On by default. */
  setDialing(on: boolean): void;
  snapshot(): DialerSnapshot;
  /**
   * Counts for [fromSec, toSec): exact for call events (each counted at the time it happened) and for
   * agent-seconds. Bounds are clamped to [0, nowSec]; fromSec > toSec or NaN throws RangeError.
   */
  counts(fromSec: number, toSec: number): Counts;
  /** Per-minute buckets for every whole minute elapsed (index m covers [60m, 60m + 60)). */
  minuteBuckets(): readonly Counts[];
  /** Listeners run synchronously inside `advanceTo`; one that throws is logged and skipped. */
  onCall(listener: (c: CallRecord) => void): () => void;
  onAgentState(listener: (c: AgentStateChange) => void): () => void;
}

export type ScenarioName =
  | 'steady'
  | 'lunchDip'
  | 'shiftChange'
  | 'burst'
  | 'freshList'
  | 'smallTeam'
  | 'largeTeam'
  | 'answerJump';
