// The tuning loop's test rig: the real simulator on loopback, the real net layer and Genesys
// client on top of it, and the tuning service wired through createCampaignApi, all on one
// ManualClock so an 8-hour day runs in seconds. Nothing here fakes HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGenesysClient, type GenesysClient } from '../../../main/genesys/client.ts';
import { createNetLayer, type NetLayer, type SecretSource } from '../../../main/net/index.ts';
import { startSimulator, type RunningSimulator, type SimCampaignSpec } from '../../../main/sim/index.ts';
import { createCampaignApi, type CampaignApi } from '../../../main/tuning/campaign-api.ts';
import type { TuningEvent } from '../../../main/tuning/events.ts';
import { createTuningService, type TuningService, type TuningServiceOptions } from '../../../main/tuning/tuning-service.ts';
import { ManualClock } from '../../../main/util/clock.ts';

export interface Rig {
  clock: ManualClock;
  sim: RunningSimulator;
  net: NetLayer;
  client: GenesysClient;
  api: CampaignApi;
  auditDir: string;
  close(): Promise<void>;
}

export async function startRig(o: { campaigns: SimCampaignSpec[]; rateLimitPerMinute?: number; breaker?: { failureThreshold: number; openMs: number } }): Promise<Rig> {
  const clock = new ManualClock();
  const sim = await startSimulator({ clock, campaigns: o.campaigns, seed: 11, eventRatePerSec: 0, ...(o.rateLimitPerMinute ? { rateLimitPerMinute: o.rateLimitPerMinute } : {}) });
  const secrets: SecretSource = { get: async (name) => (name === 'genesys.clientSecret' ? sim.clientSecret : undefined) };
  const net = await createNetLayer({
    config: {
      proxy: { mode: 'direct' },
      timeouts: { headersMs: 10_000, bodyMs: 10_000, operationMs: 3_600_000 },
      ...(o.breaker ? { breaker: o.breaker } : {}),
    },
    secrets,
    env: {},
    clock,
  });
  const client = createGenesysClient({ net, apiBaseUrl: sim.url, loginBaseUrl: sim.url, clientId: sim.clientId, secrets, clock, proactiveTokenRefresh: false });
  const auditDir = mkdtempSync(join(tmpdir(), 'pacekeeper-tuning-'));
  return {
    clock, sim, net, client, api: createCampaignApi(client), auditDir,
    async close() {
      client.close();
      await net.close();
      await sim.close();
      rmSync(auditDir, { recursive: true, force: true });
    },
  };
}

export interface Running {
  svc: TuningService;
  events: TuningEvent[];
  /** Advances virtual time in steps, letting every cycle's real HTTP finish between steps. */
  run(ms: number, stepMs?: number): Promise<void>;
  /** Waits (real time, bounded) until no request of the service is in flight. */
  settle(): Promise<void>;
}

export function startService(rig: Rig, o: Omit<TuningServiceOptions, 'auditDir' | 'clock'> & { auditDir?: string }): Running {
  const svc = createTuningService({ auditDir: rig.auditDir, clock: rig.clock, random: () => 0.5, ...o });
  const events: TuningEvent[] = [];
  svc.on((e) => events.push(e));
  const settle = async () => {
    // A hard upper bound that proves nothing hangs; never a timing assertion.
    const deadline = Date.now() + 20_000;
    let quiet = 0;
    while (quiet < 3) {
      await new Promise((r) => setImmediate(r));
      quiet = svc.snapshot().campaigns.some((c) => c.busy) ? 0 : quiet + 1;
      if (Date.now() > deadline) throw new Error('tuning service did not settle within 20 s');
    }
  };
  return {
    svc,
    events,
    settle,
    async run(ms, stepMs = 1_000) {
      for (let t = 0; t < ms; t += stepMs) {
        await rig.clock.advance(Math.min(stepMs, ms - t));
        await settle();
      }
    },
  };
}

/** Waits (real time, bounded) for a condition that real HTTP completions make true. */
export async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A predictive campaign with a known id, pacing value and scenario. */
export function campaign(id: string, over: Partial<SimCampaignSpec> = {}): SimCampaignSpec {
  return { id, name: `Campaign ${id}`, dialingMode: 'predictive', campaignStatus: 'on', maxCallsPerAgent: 1.5, scenario: 'steady', ...over };
}
