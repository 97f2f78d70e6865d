// The system under test for the browser e2e tests: a core, the headless host serving the built
// dashboard in front of it, and a handle on the platform the core tunes. Tests only use `Stack`,
// so switching from the in-test FakeCore to the real core and simulator is the one line marked
// below (real-stack.ts builds the same Stack over createCore).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreFacade } from '../../../../main/core/core-facade.ts';
import { startHeadlessHost, type HeadlessHost, type HeadlessHostOptions } from '../../../../main/headless/index.ts';
import { createMemoryLogger } from '../../../../main/util/log.ts';
import { FakeCore } from './fake-core.ts';
import { startRealStack } from './real-stack.ts';
import { builtRendererDir } from './renderer-build.ts';

/** What the tests may do to the platform behind the core (the simulator, with the real core). */
export interface StackPlatform {
  /** The pacing value (maxCallsPerAgentDecimal) the platform holds now. */
  pacingValue(campaignId: string): Promise<number | null>;
  /** A concurrent writer changes the campaign, so the loop's next write meets a 409. */
  injectConflict(campaignId: string): Promise<void>;
  /** Runs tuning cycles until one has completed for every campaign. */
  cycle(): Promise<void>;
}

export interface Stack {
  readonly kind: 'fake' | 'real';
  readonly core: CoreFacade;
  readonly host: HeadlessHost;
  /** Dashboard URL with the token in the fragment. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly platform: StackPlatform;
  /** The host's and core's log lines (to check that no secret or token was logged). */
  readonly logs: string[];
  close(): Promise<void>;
}

export interface StackOptions {
  campaigns?: number;
  historyHours?: number;
  host?: Partial<Omit<HeadlessHostOptions, 'core' | 'rendererDir' | 'logger'>>;
}

export async function startFakeStack(opts: StackOptions = {}): Promise<Stack & { core: FakeCore }> {
  const dir = mkdtempSync(join(tmpdir(), 'pk-e2e-'));
  const logger = createMemoryLogger();
  const core = new FakeCore({ settingsDir: dir, logger, campaigns: opts.campaigns ?? 4, historyHours: opts.historyHours ?? 24 });
  await core.start();
  let host: HeadlessHost;
  try {
    host = await startHeadlessHost({ core, rendererDir: await builtRendererDir(), logger, ...opts.host });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    kind: 'fake',
    core,
    host,
    url: host.url,
    origin: host.origin,
    port: host.port,
    token: new URL(host.url).hash.replace(/^#token=/, ''),
    logs: logger.lines,
    platform: {
      pacingValue: async (id) => core.platform.read(id)?.pacing ?? null,
      injectConflict: async (id) => core.platform.armConflict(id),
      cycle: () => core.cycle(),
    },
    async close() {
      await host.close();
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ▼ The browser e2e tests run on the real core and simulator; PACEKEEPER_E2E_CORE=fake switches to the in-test core.
export const startStack: (opts?: StackOptions) => Promise<Stack> = process.env.PACEKEEPER_E2E_CORE === 'fake' ? startFakeStack : startRealStack;
