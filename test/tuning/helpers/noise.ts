// Seeded noise at the setpoint for the detectors' false-alarm tests.
import { mulberry32 } from '../../../main/sim/random.ts';

/**
 * A seeded stream of 30-s cycles for a 20-agent team: 8 dials, each answered with probability ½,
 * each answer abandoned with probability `abandonPct` %.
 */
export function binomialCycles(seed: number, abandonPct: number): () => { live: number; abandoned: number } {
  const rand = mulberry32(seed);
  return () => {
    let live = 0;
    let abandoned = 0;
    for (let k = 0; k < 8; k++) {
      if (rand() < 0.5) {
        live++;
        if (rand() < abandonPct / 100) abandoned++;
      }
    }
    return { live, abandoned };
  };
}
