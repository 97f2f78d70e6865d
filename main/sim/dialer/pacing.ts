// The placement decision of one dialer tick (notes/dialer.md §4.1), as a pure function so it can be
// read, tested and reused apart from the event loop.
import type { PacingSemantics } from './types.ts';

export interface PacingInput {
  semantics: PacingSemantics;
  ratio: number;
  /** Agents READY now. */
  ready: number;
  /** Agents on a call now (their calls hold lines too). */
  talking: number;
  /** Calls dialing or ringing. */
  ringing: number;
  /** Live answers waiting for an agent. */
  queued: number;
  trunkCap?: number;
  maxDialsPerTick?: number;
}

/**
 * How many new calls to place now.
 * - perAvailableAgent (Pacekeeper's reading of `maxCallsPerAgentDecimal`, VICIdial's
 *   available-only tally): round(r·READY) − ringing − queued.
 * - perStaffedAgent (VICIdial's default dial level): round(r·(READY+TALK)) − ringing − queued − talking.
 *   Wrap-up agents count in neither: they are not about to take a call.
 * Then capped by free trunk lines and the per-tick limit; never negative.
 */
export function dialsToPlace(p: PacingInput): number {
  let n =
    p.semantics === 'perAvailableAgent'
      ? Math.round(p.ratio * p.ready) - p.ringing - p.queued
      : Math.round(p.ratio * (p.ready + p.talking)) - p.ringing - p.queued - p.talking;
  if (p.trunkCap !== undefined) n = Math.min(n, p.trunkCap - p.ringing - p.queued - p.talking);
  if (p.maxDialsPerTick !== undefined) n = Math.min(n, p.maxDialsPerTick);
  return Math.max(0, n);
}
