// The in-test stand-in for the platform side of a campaign: a record with a version and the
// pacing value (maxCallsPerAgentDecimal), written with optimistic concurrency like the real API
// (409 on a stale version), with levers to play a concurrent writer and to answer 429.
// Used by FakeCore until the e2e tests run against the real core and simulator.
import { mulberry32 } from '../../../../main/sim/random.ts';

export interface FakeCampaign {
  id: string;
  name: string;
  dialingMode: 'predictive' | 'power' | 'preview';
  campaignStatus: 'on' | 'off';
  version: number;
  /** maxCallsPerAgentDecimal on the platform. */
  pacing: number;
}

export type WriteResult = { ok: true; version: number } | { ok: false; status: 409 | 429 | 404 };

export class FakePlatform {
  readonly #campaigns = new Map<string, FakeCampaign>();
  readonly #conflicts = new Map<string, number>();
  #rateLimited = 0;

  constructor(campaigns: readonly FakeCampaign[]) {
    for (const c of campaigns) this.#campaigns.set(c.id, { ...c });
  }

  list(): FakeCampaign[] {
    return [...this.#campaigns.values()].map((c) => ({ ...c }));
  }

  read(id: string): FakeCampaign | undefined {
    const c = this.#campaigns.get(id);
    return c ? { ...c } : undefined;
  }

  /** PUT with the version the writer read. */
  write(id: string, version: number, pacing: number): WriteResult {
    const c = this.#campaigns.get(id);
    if (!c) return { ok: false, status: 404 };
    if (this.#rateLimited > 0) {
      this.#rateLimited--;
      return { ok: false, status: 429 };
    }
    const armed = this.#conflicts.get(id) ?? 0;
    if (armed > 0) {
      // A concurrent writer gets in between the read and this write.
      this.#conflicts.set(id, armed - 1);
      this.bumpVersion(id);
    }
    if (c.version !== version) return { ok: false, status: 409 };
    c.pacing = pacing;
    c.version += 1;
    return { ok: true, version: c.version };
  }

  /** A foreign write: version + 1, optionally a new pacing value. */
  bumpVersion(id: string, pacing?: number): void {
    const c = this.#campaigns.get(id);
    if (!c) throw new Error(`no campaign ${id}`);
    c.version += 1;
    if (pacing !== undefined) c.pacing = pacing;
  }

  /** The next `times` writes to `id` each meet a concurrent writer first (409). */
  armConflict(id: string, times = 1): void {
    this.#conflicts.set(id, (this.#conflicts.get(id) ?? 0) + times);
  }

  /** The next `times` writes (any campaign) get 429. */
  armRateLimit(times = 1): void {
    this.#rateLimited += times;
  }
}

/** Small seeded PRNG (mulberry32) so every run shows the same campaigns and history. */
export const seededRandom: (seed: number) => () => number = mulberry32;

const NAMES = [
  'Auto Renewals Q3',
  'Collections Early Stage',
  'Win-back Power Dial',
  'Spring Promo Predictive',
  'Card Activation',
  'Service Reminders',
  'Loyalty Upgrade',
  'Past Due 30',
  'Survey Follow-up',
  'Retention Outreach',
];

/** `n` campaigns: predictive/power and on, except the fourth (off) so a skipped campaign shows too. */
export function fakeCampaigns(n: number, random: () => number): FakeCampaign[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `c${String(i + 1).padStart(2, '0')}-${Math.floor(random() * 0xffffff).toString(16).padStart(6, '0')}`,
    name: NAMES[i % NAMES.length] + (i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : ''),
    dialingMode: i % 3 === 2 ? 'power' : 'predictive',
    campaignStatus: i === 3 ? 'off' : 'on',
    version: 1 + Math.floor(random() * 20),
    pacing: Math.round((1.6 + random() * 0.8) * 100) / 100,
  }));
}
