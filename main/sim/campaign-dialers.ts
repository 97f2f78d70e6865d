// One predictive-dialer model per simulated campaign. The campaign's pacing fields and status
// drive the model (a PUT/PATCH of maxCallsPerAgent(Decimal) calls setRatio; a campaign that is not
// `on`, or not predictive/power, does not dial); stats and analytics are read back from it.
// Model time is seconds since the simulator started, so epoch ms ↔ model seconds is linear.
import type { Campaign } from '../genesys/models.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { createDialerModel, scenario, type Counts, type DialerModel, type ScenarioName } from './dialer/index.ts';
import type { CampaignStore } from './campaign-store.ts';
import { isDialing, pacingOf } from './campaign-rules.ts';
import { hashSeed } from './random.ts';

/** Pacing value used when a campaign has no maxCallsPerAgent at all (progressive). */
export const DEFAULT_PACING = 1;

export interface CampaignDialersOptions {
  store: CampaignStore;
  scenarios: Map<string, ScenarioName>;
  seed: number;
  clock: Clock;
  /** Epoch ms (simulator clock) that model time 0 stands for. */
  startMs: number;
  logger: Logger;
}

export class CampaignDialers {
  readonly #models = new Map<string, DialerModel>();
  readonly #startMs: number;
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(opts: CampaignDialersOptions) {
    this.#startMs = opts.startMs;
    this.#clock = opts.clock;
    this.#log = opts.logger;
    opts.store.list().forEach((c, index) => {
      const id = c.id as string;
      const name = opts.scenarios.get(id) ?? 'steady';
      // Seeded from the simulator seed and the campaign's position: same seed, same traffic.
      const model = createDialerModel(
        scenario(name, { seed: hashSeed(opts.seed, `campaign-${index}`), pacing: { initial: pacingOf(c, DEFAULT_PACING) } }),
        { logger: opts.logger },
      );
      model.setDialing(isDialing(c));
      this.#models.set(id, model);
    });
    opts.store.onChange((c) => this.#apply(c));
  }

  /** Agents a scenario staffs at most (for user generation before models exist). */
  static agentsFor(name: ScenarioName): number {
    return Math.max(0, ...scenario(name).agents.map((a) => a.value));
  }

  #apply(c: Campaign): void {
    const model = this.#models.get(c.id as string);
    if (!model) return;
    // Bring the model to "now" first so the change takes effect from the write, not retroactively.
    model.advanceTo(this.toModelSec(this.#clock.now()));
    try {
      model.setRatio(pacingOf(c, DEFAULT_PACING));
    } catch (e) {
      this.#log.warn('dialer rejected the pacing value', { campaignId: c.id, error: e instanceof Error ? e.message : String(e) });
    }
    model.setDialing(isDialing(c));
  }

  model(id: string): DialerModel | undefined {
    return this.#models.get(id);
  }

  entries(): Array<[string, DialerModel]> {
    return [...this.#models.entries()];
  }

  toModelSec(epochMs: number): number {
    return Math.max(0, (epochMs - this.#startMs) / 1000);
  }

  toEpochMs(modelSec: number): number {
    return this.#startMs + modelSec * 1000;
  }

  /** Runs every model up to the simulator's now. Called on each request and before each feed tick. */
  advanceAll(nowMs: number): void {
    const t = this.toModelSec(nowMs);
    for (const m of this.#models.values()) m.advanceTo(t);
  }

  /** Counts for a campaign over [fromMs, toMs) of simulator time; zero outside the run. */
  counts(id: string, fromMs: number, toMs: number): Counts | undefined {
    const m = this.#models.get(id);
    if (!m) return undefined;
    const from = this.toModelSec(fromMs);
    const to = Math.max(from, this.toModelSec(toMs));
    return m.counts(from, to);
  }
}
