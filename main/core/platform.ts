// Which Genesys Cloud the app talks to. Sandbox mode starts the embedded simulator on loopback and
// points everything at it, with the simulator's own client credentials; live mode uses the
// configured region (or explicit base URLs) and the client secret from the keychain.
import { customEndpoints, regionEndpoints, type RegionEndpoints } from '../genesys/regions.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { sandboxActive } from '../settings/schema.ts';
import type { ReadonlySettings } from '../settings/settings-store.ts';
import { startSimulator, type RunningSimulator } from '../sim/index.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';

export interface PlatformTarget {
  mode: 'sandbox' | 'live';
  endpoints: RegionEndpoints;
  clientId: string | undefined;
  /** The OAuth client secret: the simulator's in sandbox mode, the keychain's otherwise. */
  clientSecret(): Promise<string | undefined>;
  sim: RunningSimulator | undefined;
  close(): Promise<void>;
}

export interface PlatformOptions {
  settings: Pick<ReadonlySettings, 'sandbox' | 'genesys'>;
  secrets: SecretStore;
  logger: Logger;
  /** `--sandbox`: use the simulator even when credentials are configured. */
  forceSandbox?: boolean;
  /** Virtual time for the embedded simulator (tests); by default it follows the wall clock at `sandbox.speed`. */
  simClock?: Clock;
}

/** Pure: sandbox or live, and why. */
export function choosePlatformMode(
  settings: Pick<ReadonlySettings, 'sandbox' | 'genesys'>,
  hasClientSecret: boolean,
  forceSandbox = false,
): { mode: 'sandbox' | 'live'; reason: string } {
  if (forceSandbox) return { mode: 'sandbox', reason: 'the --sandbox option was given' };
  if (settings.sandbox.enabled === 'on') return { mode: 'sandbox', reason: 'sandbox.enabled is "on"' };
  if (sandboxActive(settings, hasClientSecret)) {
    const missing = [!settings.genesys.clientId && 'client id', !hasClientSecret && 'client secret'].filter(Boolean).join(' and ');
    return { mode: 'sandbox', reason: `no Genesys Cloud ${missing} is configured` };
  }
  return { mode: 'live', reason: settings.sandbox.enabled === 'off' ? 'sandbox.enabled is "off"' : 'Genesys Cloud credentials are configured' };
}

export async function openPlatform(o: PlatformOptions): Promise<PlatformTarget> {
  const hasSecret = await o.secrets.has('genesys.clientSecret').catch(() => false);
  const { mode, reason } = choosePlatformMode(o.settings, hasSecret, o.forceSandbox);
  if (mode === 'sandbox') {
    const sim = await startSimulator({
      seed: o.settings.sandbox.seed,
      ...(o.simClock ? { clock: o.simClock } : { speed: o.settings.sandbox.speed }),
      logger: o.logger,
    });
    o.logger.info('sandbox: embedded Genesys Cloud simulator started', { reason, url: sim.url, seed: o.settings.sandbox.seed });
    return {
      mode,
      endpoints: customEndpoints(sim.url),
      clientId: sim.clientId,
      clientSecret: async () => sim.clientSecret,
      sim,
      close: () => sim.close(),
    };
  }
  const g = o.settings.genesys;
  const endpoints = g.apiBaseUrl ? customEndpoints(g.apiBaseUrl, g.loginBaseUrl ?? g.apiBaseUrl) : regionEndpoints(g.region);
  o.logger.info('live platform', { reason, region: endpoints.region, api: endpoints.apiBaseUrl });
  return {
    mode,
    endpoints,
    clientId: g.clientId,
    clientSecret: () => o.secrets.get('genesys.clientSecret'),
    sim: undefined,
    close: async () => {},
  };
}
