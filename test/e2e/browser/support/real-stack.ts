// The same Stack as stack.ts's in-test one, over the real core (main/core/create-core.ts) and its
// embedded simulator: settings in a temp dir, secrets in memory, sandbox forced. The platform
// levers act on the simulator through its control surface (sim.control), as an operator's other
// tools or a concurrent writer would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../../main/core/create-core.ts';
import { startHeadlessHost, type HeadlessHost } from '../../../../main/headless/index.ts';
import { ManagedSecretStore } from '../../../../main/secrets/managed-secret-store.ts';
import { MemoryBackend } from '../../../../main/secrets/memory-backend.ts';
import type { RunningSimulator } from '../../../../main/sim/index.ts';
import { openSettingsStore } from '../../../../main/settings/settings-store.ts';
import { ManualClock } from '../../../../main/util/clock.ts';
import { createMemoryLogger } from '../../../../main/util/log.ts';
import { builtRendererDir } from './renderer-build.ts';
import type { CoreState } from '../../../../preload/contract.ts';
import type { Stack, StackOptions } from './stack.ts';

const WRITE_DELAY_MS = 250;

export async function startRealStack(opts: StackOptions = {}): Promise<Stack & { core: Core }> {
  const dir = mkdtempSync(join(tmpdir(), 'pk-e2e-real-'));
  const logger = createMemoryLogger();
  const settings = openSettingsStore({ cwd: dir, logger });
  const secrets = new ManagedSecretStore({ backend: new MemoryBackend(), logger });
  // One virtual clock for the simulator and the loop: each cycle() moves it a tuning interval on,
  // so the dialer produces calls and the loop has fresh counts to act on.
  const clock = new ManualClock(Date.now());
  const core = await createCore({ dataDir: dir, logger, settings, secrets, forceSandbox: true, statePushMs: 250, clock, simClock: clock });
  let host: HeadlessHost | undefined;
  try {
    await core.start();
    host = await startHeadlessHost({ core, rendererDir: await builtRendererDir(), logger, ...opts.host });
  } catch (e) {
    await core.stop('shutdown').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const sim = (): RunningSimulator => {
    const s = core.platform()?.sim;
    if (!s) throw new Error('the real stack runs the sandbox: no simulator');
    return s;
  };
  // Campaign ids whose next writes meet a concurrent writer (every attempt of the next cycle).
  const hostile = new Set<string>();

  // A tuning interval of virtual time: each campaign's own timer fires once; wait for the loops.
  const cycle = async (): Promise<void> => {
    const tuning = core.tuning();
    if (!tuning) throw new Error('tuning is not running');
    const stopWatch = hostile.size ? watchWrites(sim(), hostile) : () => {};
    try {
      await clock.advance(30_000);
      const end = Date.now() + 15_000;
      while (tuning.snapshot().campaigns.some((c) => c.busy)) {
        if (Date.now() > end) throw new Error('the tuning loops did not finish their cycle');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      stopWatch();
      hostile.clear();
    }
  };
  // One cycle up front, so every tuned campaign has a recommendation and a decision to show.
  await cycle();

  const h = host;
  return {
    kind: 'real',
    core,
    host: h,
    url: h.url,
    origin: h.origin,
    port: h.port,
    token: new URL(h.url).hash.replace(/^#token=/, ''),
    logs: logger.lines,
    platform: {
      pacingValue: async (id) => sim().control.campaign(id)?.campaign.maxCallsPerAgentDecimal ?? null,
      async injectConflict(id) {
        // Move the value away first (so the loop wants to write), then race every write it makes.
        const c = sim().control.campaign(id)?.campaign;
        if (!c) throw new Error(`no campaign ${id} on the simulator`);
        // Above the loop's upper bound: whatever the controller proposes is clamped back into the
        // bounds, so the next cycle writes for certain (a value inside the bounds may be left alone).
        const state = await core.dispatch('state:get', undefined);
        if (!state.ok) throw new Error(`state:get failed: ${state.error.message}`);
        const view = (state.value as CoreState).campaigns.find((x) => x.id === id);
        if (!view) throw new Error(`campaign ${id} is not tuned by the core`);
        sim().control.bumpVersion(id, { maxCallsPerAgentDecimal: Math.round((view.max + 0.5) * 100) / 100 });
        hostile.add(id);
      },
      cycle,
    },
    async close() {
      await h.close();
      await core.stop('shutdown');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Plays a concurrent writer: each PUT to a hostile campaign is held for a moment (a simulator
 * latency fault, applied before the request is handled), and during that moment the campaign's
 * version is bumped, so the PUT carries a stale version and gets 409.
 */
function watchWrites(sim: RunningSimulator, ids: ReadonlySet<string>): () => void {
  for (const id of ids) sim.control.injectFaults({ latencyMs: WRITE_DELAY_MS, paths: `/api/v2/outbound/campaigns/${id}`, methods: ['PUT'] });
  let seen = sim.control.counters().faults.delayed;
  const timer = setInterval(() => {
    const delayed = sim.control.counters().faults.delayed;
    if (delayed === seen) return;
    seen = delayed;
    for (const id of ids) sim.control.bumpVersion(id);
  }, 20);
  return () => {
    clearInterval(timer);
    sim.control.clearFaults();
  };
}
