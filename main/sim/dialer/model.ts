// The predictive-dialer model (notes/dialer.md §4.1): a seeded discrete-event simulation of one
// outbound campaign. Nothing reads the wall clock; `advanceTo` runs the event heap up to a virtual
// time, so the HTTP simulator can call it on every request and a tuning evaluation can run a day in
// milliseconds. Random draws per lead live in lead-draws.ts (common random numbers), the pacing
// decision in pacing.ts, agents in agent-pool.ts and accounting in ledger.ts; this file is the
// event loop and the life of a call: dial → ring → outcome → queue → agent → talk → wrap.
import type { AgentStateChange, CallRecord, Counts, DialerConfig, DialerModel, DialerSnapshot } from './types.ts';
import { silentLogger, type Logger } from '../../util/log.ts';
import { AgentPool, OFF, PAUSED, READY, STATE_NAMES, TALK, WRAP, type Agent } from './agent-pool.ts';
import { EventQueue } from './event-queue.ts';
import { EV, Ledger } from './ledger.ts';
import { Listeners } from './listeners.ts';
import { dialsToPlace } from './pacing.ts';
import { FAIL, LeadDraws, LIVE, MACHINE, NO_ANSWER, type Outcome } from './lead-draws.ts';
import { changeTimes, constant, ScheduleCursor } from './schedule.ts';
import { validateDialerConfig, validateRatio } from './validate-config.ts';

// Event kinds.
const TICK = 0;
const SCHEDULE = 1;
const RESOLVE = 2;
const AMD_DROP = 3;
const ABANDON = 4;
const TALK_END = 5;
const WRAP_END = 6;

const DEFAULT_RETENTION_SEC = 86_400;

interface Call {
  index: number;
  tDial: number;
  tAnswer: number;
  tConnect: number;
  outcome: Outcome;
  /** A live person that AMD will hang up on. */
  fp: boolean;
  /** Waiting in the live-answer queue. */
  queued: boolean;
  agent: Agent | null;
}

interface Ev {
  t: number;
  seq: number;
  kind: number;
  call: Call | null;
  agent: Agent | null;
}

export interface DialerModelOptions {
  /** Where listener failures are reported (warn). Silent by default. */
  logger?: Logger;
}

/** Validates `config` (RangeError naming the field) and builds a model at t = 0. */
export function createDialerModel(config: DialerConfig, options: DialerModelOptions = {}): DialerModel {
  validateDialerConfig(config);
  return new SimDialer(deepFreeze(structuredClone(config)), options.logger ?? silentLogger);
}

/** The model keeps a frozen private copy: later edits to the caller's object cannot reach a run. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

class SimDialer implements DialerModel {
  readonly config: Readonly<DialerConfig>;
  readonly #log: Logger;
  #now = 0;
  #ratio: number;
  #dialing = true;
  #running = false;
  readonly #queue = new EventQueue<Ev>();
  readonly #pool: AgentPool;
  readonly #ledger: Ledger;
  readonly #draws: LeadDraws;
  #nextLead = 0;
  #tickIndex = 0;
  /** Next minute boundary at which the ledger closes a bucket. */
  #nextSettleSec = 60;
  /** Calls dialed and not yet answered, failed, timed out or dropped by AMD. */
  #inFlight = 0;
  /** Live answers waiting for an agent, oldest first. */
  readonly #waiting: Call[] = [];
  /** Call each agent is talking on, by agent id. */
  readonly #agentCall: Array<Call | null> = [];
  readonly #callListeners = new Listeners<CallRecord>();
  readonly #agentListeners = new Listeners<AgentStateChange>();

  readonly #pLive: ScheduleCursor<number>;
  readonly #pLiveScale: ScheduleCursor<number>;
  readonly #talkScale: ScheduleCursor<number>;
  readonly #agentsTarget: ScheduleCursor<number>;
  readonly #pausedTarget: ScheduleCursor<number>;

  constructor(config: DialerConfig, log: Logger) {
    this.config = config;
    this.#log = log;
    this.#ratio = config.pacing.initial;
    this.#draws = new LeadDraws(config);
    this.#ledger = new Ledger(config.detailRetentionSec ?? DEFAULT_RETENTION_SEC);
    this.#pool = new AgentPool((agent, t) => this.#agentChanged(agent, t));
    this.#pLive = new ScheduleCursor(config.outcome.pLive);
    this.#pLiveScale = new ScheduleCursor(config.outcome.pLiveScale ?? constant(1));
    this.#talkScale = new ScheduleCursor(config.talkScale ?? constant(1));
    this.#agentsTarget = new ScheduleCursor(config.agents);
    this.#pausedTarget = new ScheduleCursor(config.paused ?? constant(0));
    // Staffing changes go first so the tick at t = 0 already sees the agents logged in at 0.
    for (const t of changeTimes(config.agents, config.paused)) this.#push(t, SCHEDULE, null, null);
    this.#push(0, TICK, null, null);
  }

  get nowSec(): number {
    return this.#now;
  }

  advanceTo(tSec: number): void {
    if (typeof tSec !== 'number' || !Number.isFinite(tSec)) throw new RangeError(`advanceTo needs a finite time in seconds (got ${tSec})`);
    if (tSec <= this.#now) return; // documented: never moves backwards
    if (this.#running) throw new Error('advanceTo was called from a dialer listener; listeners must not drive the model');
    this.#running = true;
    try {
      const q = this.#queue;
      while (q.peekTime() < tSec) {
        const ev = q.pop() as Ev;
        if (ev.t >= this.#nextSettleSec) {
          // Everything before ev.t is done: close the minutes behind us now, so a long jump (days
          // of virtual time in one call) keeps memory bounded by the retention window.
          this.#ledger.settle(ev.t);
          this.#nextSettleSec = (Math.floor(ev.t / 60) + 1) * 60;
        }
        this.#now = ev.t;
        this.#dispatch(ev);
      }
      this.#now = tSec;
    } finally {
      this.#running = false;
    }
    this.#ledger.settle(this.#now);
  }

  setRatio(r: number): void {
    this.#ratio = validateRatio(r);
  }

  setDialing(on: boolean): void {
    this.#dialing = on === true;
  }

  snapshot(): DialerSnapshot {
    const n = this.#pool.n;
    return {
      tSec: this.#now,
      ratio: this.#ratio,
      dialing: this.#dialing,
      agents: {
        ready: n[READY] as number,
        talking: n[TALK] as number,
        wrapping: n[WRAP] as number,
        paused: n[PAUSED] as number,
        off: n[OFF] as number,
        loggedIn: this.#pool.loggedIn,
      },
      ringing: this.#inFlight,
      queued: this.#waiting.length,
      cumulative: this.#ledger.cumulative(this.#now),
    };
  }

  counts(fromSec: number, toSec: number): Counts {
    if (typeof fromSec !== 'number' || typeof toSec !== 'number' || Number.isNaN(fromSec) || Number.isNaN(toSec)) {
      throw new RangeError(`counts needs numeric bounds (got ${fromSec}, ${toSec})`);
    }
    if (fromSec > toSec) throw new RangeError(`counts: fromSec ${fromSec} is after toSec ${toSec}`);
    const clamp = (t: number) => Math.min(Math.max(t, 0), this.#now);
    return this.#ledger.counts(clamp(fromSec), clamp(toSec));
  }

  minuteBuckets(): readonly Counts[] {
    return this.#ledger.minuteBuckets();
  }

  onCall(listener: (c: CallRecord) => void): () => void {
    return this.#callListeners.add(listener);
  }

  onAgentState(listener: (c: AgentStateChange) => void): () => void {
    return this.#agentListeners.add(listener);
  }

  #push(t: number, kind: number, call: Call | null, agent: Agent | null): void {
    this.#queue.push({ t, seq: 0, kind, call, agent });
  }

  #dispatch(ev: Ev): void {
    const t = ev.t;
    switch (ev.kind) {
      case TICK:
        return this.#tick(t);
      case SCHEDULE:
        this.#pool.setTargets(this.#agentsTarget.at(t), this.#pausedTarget.at(t), t);
        return this.#drain(t);
      case RESOLVE:
        return this.#resolve(ev.call as Call, t);
      case AMD_DROP:
        return this.#amdDrop(ev.call as Call, t);
      case ABANDON:
        return this.#abandon(ev.call as Call, t);
      case TALK_END:
        return this.#talkEnd(ev.agent as Agent, t);
      case WRAP_END:
        this.#pool.finishWork(ev.agent as Agent, t);
        return this.#drain(t);
    }
  }

  /** Placement loop: one pacing decision per tick (pacing.ts). */
  #tick(t: number): void {
    if (this.#dialing) {
      const { semantics, trunkCap, maxDialsPerTick } = this.config.pacing;
      const toDial = dialsToPlace({
        semantics,
        ratio: this.#ratio,
        ready: this.#pool.n[READY] as number,
        talking: this.#pool.n[TALK] as number,
        ringing: this.#inFlight,
        queued: this.#waiting.length,
        trunkCap,
        maxDialsPerTick,
      });
      for (let i = 0; i < toDial; i++) this.#dial(t);
    }
    this.#tickIndex++;
    // Multiply rather than accumulate so tick times do not drift over long runs.
    this.#push(this.#tickIndex * this.config.tickSec, TICK, null, null);
  }

  #dial(t: number): void {
    const lead = this.#nextLead++;
    const draws = this.#draws;
    draws.dial(lead, this.#pLive.at(t) * this.#pLiveScale.at(t));
    const call: Call = { index: lead, tDial: t, tAnswer: NaN, tConnect: NaN, outcome: draws.outcome, fp: false, queued: false, agent: null };
    this.#ledger.record(EV.dials, t);
    this.#inFlight++;
    this.#push(t + draws.ringSec, RESOLVE, call, null);
  }

  #resolve(call: Call, t: number): void {
    const { amd } = this.config;
    if (call.outcome === NO_ANSWER || call.outcome === FAIL) {
      this.#inFlight--;
      this.#ledger.record(call.outcome === FAIL ? EV.fails : EV.noAnswer, t);
      return this.#emitCall(call, t, call.outcome === FAIL ? 'fail' : 'no-answer');
    }
    call.tAnswer = t;
    if (amd.enabled) {
      if (call.outcome === LIVE) call.fp = this.#draws.amdFalsePositive(call.index, amd.falsePositive);
      if (call.outcome === MACHINE || call.fp) {
        // AMD listens for `delaySec`, then hangs up; the line stays busy meanwhile.
        return this.#push(t + amd.delaySec, AMD_DROP, call, null);
      }
    }
    this.#inFlight--;
    this.#ledger.record(call.outcome === LIVE ? EV.live : EV.machines, t);
    // The 2-s clock starts at answer, which is conservative (the rules start it after the greeting).
    const agent = this.#pool.takeReady();
    if (agent) return this.#connect(call, agent, t);
    call.queued = true;
    this.#waiting.push(call);
    this.#push(t + this.config.maxWaitSec, ABANDON, call, null);
  }

  #amdDrop(call: Call, t: number): void {
    this.#inFlight--;
    this.#ledger.record(EV.machines, t);
    if (call.fp) this.#ledger.record(EV.amdFalsePositives, t);
    this.#emitCall(call, t, 'machine');
  }

  #abandon(call: Call, t: number): void {
    if (!call.queued) return; // connected in time
    call.queued = false;
    const w = this.#waiting;
    w.splice(w.indexOf(call), 1);
    if (call.outcome === LIVE) {
      this.#ledger.record(EV.abandoned, t);
      this.#emitCall(call, t, 'live-abandoned');
    } else {
      this.#emitCall(call, t, 'machine'); // AMD off: an unserved machine is no regulatory abandon
    }
  }

  /** Hands waiting calls to ready agents, oldest call to longest-idle agent. */
  #drain(t: number): void {
    const w = this.#waiting;
    while (w.length > 0 && (this.#pool.n[READY] as number) > 0) {
      const call = w.shift() as Call;
      this.#connect(call, this.#pool.takeReady() as Agent, t);
    }
  }

  #connect(call: Call, agent: Agent, t: number): void {
    call.queued = false;
    call.agent = agent;
    call.tConnect = t;
    let d: number;
    if (call.outcome === LIVE) {
      this.#ledger.record(EV.connected, t);
      d = this.#draws.talkSec(call.index) * this.#talkScale.at(t);
    } else {
      d = this.#draws.machineHandleSec(call.index);
    }
    this.#agentCall[agent.id] = call;
    this.#pool.set(agent, TALK, t);
    this.#push(t + d, TALK_END, null, agent);
  }

  #talkEnd(agent: Agent, t: number): void {
    const call = this.#agentCall[agent.id] as Call;
    this.#agentCall[agent.id] = null;
    this.#emitCall(call, t, call.outcome === LIVE ? 'live-connected' : 'machine');
    const w = this.#draws.wrapSec(call.index);
    this.#pool.set(agent, WRAP, t);
    this.#push(t + w, WRAP_END, null, agent);
  }

  #agentChanged(agent: Agent, t: number): void {
    const n = this.#pool.n;
    this.#ledger.agentCounts(t, n[READY] as number, n[TALK] as number, n[WRAP] as number, n[PAUSED] as number);
    if (this.#agentListeners.size === 0) return;
    const change: AgentStateChange = Object.freeze({ tSec: t, agentId: agent.id, state: STATE_NAMES[agent.state] });
    this.#agentListeners.emit(change, (e) => this.#listenerFailed('agent', e));
  }

  #emitCall(call: Call, tEnd: number, outcome: CallRecord['outcome']): void {
    if (this.#callListeners.size === 0) return;
    const rec: CallRecord = { callIndex: call.index, tDial: call.tDial, tEnd, outcome };
    if (!Number.isNaN(call.tAnswer)) rec.tAnswer = call.tAnswer;
    if (call.agent) {
      rec.tConnect = call.tConnect;
      rec.agentId = call.agent.id;
    }
    if (call.fp) rec.amdFalsePositive = true;
    this.#callListeners.emit(Object.freeze(rec), (e) => this.#listenerFailed('call', e));
  }

  #listenerFailed(kind: string, e: unknown): void {
    // The model's state is already consistent when listeners run; a failing consumer loses only
    // its own notification.
    this.#log.warn('dialer listener threw; the model carried on', { listener: kind, error: e instanceof Error ? e.message : String(e) });
  }
}
