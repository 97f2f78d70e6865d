// Agents of one campaign: states, the longest-idle-first ready queue, and how logged-in and paused
// targets are met. Agents leaving or pausing while busy finish their call and wrap first
// (`pending`), which is how a real shift change looks to a dialer: it keeps counting them for a while.

export const OFF = 0;
export const READY = 1;
export const TALK = 2;
export const WRAP = 3;
export const PAUSED = 4;
export type AgentState = typeof OFF | typeof READY | typeof TALK | typeof WRAP | typeof PAUSED;

export const STATE_NAMES = ['off', 'ready', 'talk', 'wrap', 'paused'] as const;

const NONE = 0;
const LOGOFF = 1;
const PAUSE = 2;
type Pending = typeof NONE | typeof LOGOFF | typeof PAUSE;

export interface Agent {
  readonly id: number;
  state: AgentState;
  pending: Pending;
  /** Whether the agent sits in the ready queue (avoids searching the queue on every connect). */
  queued: boolean;
}

export type AgentChangeHook = (agent: Agent, t: number) => void;

export class AgentPool {
  readonly agents: Agent[] = [];
  /** Agents by state, indexed by AgentState. */
  readonly n: number[] = [0, 0, 0, 0, 0];
  #ready: Agent[] = [];
  readonly #onChange: AgentChangeHook;

  constructor(onChange: AgentChangeHook) {
    this.#onChange = onChange;
  }

  get loggedIn(): number {
    return this.agents.length - (this.n[OFF] as number);
  }

  /** The longest-idle ready agent, removed from the ready queue (the caller sets its new state). */
  takeReady(): Agent | undefined {
    const a = this.#ready.shift();
    if (a) a.queued = false;
    return a;
  }

  set(agent: Agent, state: AgentState, t: number): void {
    const old = agent.state;
    if (old === state) return;
    if (agent.queued) {
      this.#ready.splice(this.#ready.indexOf(agent), 1);
      agent.queued = false;
    }
    this.n[old] = (this.n[old] as number) - 1;
    this.n[state] = (this.n[state] as number) + 1;
    agent.state = state;
    if (state === READY) {
      this.#ready.push(agent);
      agent.queued = true;
    }
    this.#onChange(agent, t);
  }

  /** End of wrap: log off, pause, or become ready, as requested while the agent was busy. */
  finishWork(agent: Agent, t: number): void {
    const p = agent.pending;
    agent.pending = NONE;
    this.set(agent, p === LOGOFF ? OFF : p === PAUSE ? PAUSED : READY, t);
  }

  /**
   * Meets the logged-in target `loggedIn` and paused target `paused` (capped at loggedIn).
   * Deterministic choice: logins take the lowest free ids, logoffs the highest logged-in ids
   * (a leaving shift is a fixed set of people, whatever they are doing).
   */
  setTargets(loggedIn: number, paused: number, t: number): void {
    const agents = this.agents;
    const staying = (a: Agent) => a.state !== OFF && a.pending !== LOGOFF;
    let count = 0;
    for (const a of agents) if (staying(a)) count++;

    if (count < loggedIn) {
      for (const a of agents) {
        if (count >= loggedIn) break;
        if (a.state !== OFF && a.pending === LOGOFF) {
          a.pending = NONE;
          count++;
        }
      }
      for (let id = 0; count < loggedIn; id++) {
        let a = agents[id];
        if (a === undefined) {
          a = { id, state: OFF, pending: NONE, queued: false };
          agents.push(a);
          this.n[OFF] = (this.n[OFF] as number) + 1;
        }
        if (a.state === OFF) {
          this.set(a, READY, t);
          count++;
        }
      }
    } else if (count > loggedIn) {
      for (let i = agents.length - 1; i >= 0 && count > loggedIn; i--) {
        const a = agents[i] as Agent;
        if (!staying(a)) continue;
        if (a.state === READY || a.state === PAUSED) {
          a.pending = NONE;
          this.set(a, OFF, t);
        } else {
          a.pending = LOGOFF;
        }
        count--;
      }
    }

    const target = Math.min(paused, count);
    let pausing = 0;
    for (const a of agents) if (staying(a) && (a.state === PAUSED || a.pending === PAUSE)) pausing++;
    if (pausing < target) {
      for (let i = agents.length - 1; i >= 0 && pausing < target; i--) {
        const a = agents[i] as Agent;
        if (a.state === READY && a.pending === NONE) {
          this.set(a, PAUSED, t);
          pausing++;
        }
      }
      for (let i = agents.length - 1; i >= 0 && pausing < target; i--) {
        const a = agents[i] as Agent;
        if ((a.state === TALK || a.state === WRAP) && a.pending === NONE) {
          a.pending = PAUSE;
          pausing++;
        }
      }
    } else if (pausing > target) {
      // Cancel requested pauses before bringing anyone back from a break.
      for (const a of agents) {
        if (pausing <= target) break;
        if (a.pending === PAUSE) {
          a.pending = NONE;
          pausing--;
        }
      }
      for (const a of agents) {
        if (pausing <= target) break;
        if (a.state === PAUSED) {
          this.set(a, READY, t);
          pausing--;
        }
      }
    }
  }
}
