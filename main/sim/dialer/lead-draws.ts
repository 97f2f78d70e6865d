// Everything random about a lead, in one place (notes/dialer.md §4.1, common random numbers). Each
// quantity comes from its own short stream keyed by (seed, lead index, purpose), so lead k answers,
// rings, talks and wraps alike in every run with the same seed, whatever the pacing did before it.
// Only the dial time (hence pLive(t)) and the agent it meets can differ between two runs.
import type { DialerConfig } from './types.ts';
import { compileDist, type Sampler } from './distributions.ts';
import { Mulberry32, seedState, streamKey } from './prng.ts';

// Purposes of a lead's streams. Never renumber: it would change every seeded result.
const S_OUTCOME = 0;
const S_RING = 1;
const S_TALK = 2;
const S_WRAP = 3;
const S_AMD = 4;

export const LIVE = 0;
export const MACHINE = 1;
export const NO_ANSWER = 2;
export const FAIL = 3;
export type Outcome = typeof LIVE | typeof MACHINE | typeof NO_ANSWER | typeof FAIL;

const DEFAULT_MACHINE_HANDLE = { kind: 'const', value: 10 } as const;

export class LeadDraws {
  readonly #rng = new Mulberry32();
  readonly #seed: number;
  readonly #pMachine: number;
  readonly #pFail: number;
  readonly #timeout: number;
  readonly #ringLive: Sampler;
  readonly #ringMachine: Sampler;
  readonly #failTime: Sampler;
  readonly #talk: Sampler;
  readonly #wrap: Sampler;
  readonly #machineHandle: Sampler;
  /** Result of the last `dial` call (kept in fields so the hot path allocates nothing). */
  outcome: Outcome = NO_ANSWER;
  ringSec = 0;

  constructor(config: DialerConfig) {
    this.#seed = seedState(config.seed);
    this.#pMachine = config.outcome.pMachine;
    this.#pFail = config.outcome.pFail;
    this.#timeout = config.ringTimeoutSec;
    this.#ringLive = compileDist(config.ringLive);
    this.#ringMachine = compileDist(config.ringMachine);
    this.#failTime = compileDist(config.failTime);
    this.#talk = compileDist(config.talk);
    this.#wrap = compileDist(config.wrap);
    this.#machineHandle = compileDist(config.amd.machineHandle ?? DEFAULT_MACHINE_HANDLE);
  }

  /**
   * Outcome and time to outcome of dialing `lead` when the live-answer probability is `pLive`.
   * Bands on the lead's uniform u: live at the bottom (u < pLive, so it grows and shrinks with
   * pLive(t) by inverse transform), fail at the top and machine just below it (both fixed), and
   * no-answer in between. Sets `outcome` and `ringSec`.
   */
  dial(lead: number, pLive: number): void {
    const rng = this.#rng.reset(streamKey(this.#seed, lead, S_OUTCOME));
    const u = rng.next();
    const failFrom = 1 - this.#pFail;
    let outcome: Outcome = u < pLive ? LIVE : u >= failFrom ? FAIL : u >= failFrom - this.#pMachine ? MACHINE : NO_ANSWER;
    rng.reset(streamKey(this.#seed, lead, S_RING));
    let dt: number;
    if (outcome === LIVE) dt = this.#ringLive(rng);
    else if (outcome === MACHINE) dt = this.#ringMachine(rng);
    else if (outcome === FAIL) dt = this.#failTime(rng);
    else dt = this.#timeout;
    if (dt > this.#timeout && (outcome === LIVE || outcome === MACHINE)) {
      // Whoever would have picked up after the dialer hung up is a no-answer.
      outcome = NO_ANSWER;
      dt = this.#timeout;
    }
    this.outcome = outcome;
    this.ringSec = dt;
  }

  /** Whether AMD takes this live lead for a machine. */
  amdFalsePositive(lead: number, p: number): boolean {
    return p > 0 && this.#rng.reset(streamKey(this.#seed, lead, S_AMD)).next() < p;
  }

  /** Talk time of a live lead, before the talk-time multiplier. */
  talkSec(lead: number): number {
    return this.#talk(this.#rng.reset(streamKey(this.#seed, lead, S_TALK)));
  }

  /** Time an agent spends on a machine when AMD is off (same stream: a lead is one or the other). */
  machineHandleSec(lead: number): number {
    return this.#machineHandle(this.#rng.reset(streamKey(this.#seed, lead, S_TALK)));
  }

  wrapSec(lead: number): number {
    return this.#wrap(this.#rng.reset(streamKey(this.#seed, lead, S_WRAP)));
  }
}
