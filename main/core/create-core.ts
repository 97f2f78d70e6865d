// The composition root: builds every engine from settings + secrets, starts and stops them, reacts
// to settings and secret changes by rebuilding only what they affect, and exposes the result to a
// host (Electron shell or headless host) as a CoreFacade. Host-agnostic: no electron import.
import { join } from 'node:path';
import type { CoreState, EventName, EventPayload, HopStatus, Warning } from '../../preload/contract.ts';
import { createGenesysClient, type GenesysClient } from '../genesys/client.ts';
import { createNetLayer, type Env, type NetLayer, type SecretSource, type SystemProxyResolver } from '../net/index.ts';
import { createRelay, type Relay } from '../relay/index.ts';
import { genesysUpstream } from '../relay/genesys-upstream.ts';
import type { Encryptor } from '../secrets/encryptor.ts';
import { SECRETS_FILE_NAME } from '../secrets/encrypted-file-backend.ts';
import { openSecretStore } from '../secrets/open-secret-store.ts';
import { ensureRelayToken } from '../secrets/relay-token.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { effectiveTuning, type SettingsSection } from '../settings/schema.ts';
import { openSettingsStore, type ConfLikeClass, type SettingsStore } from '../settings/settings-store.ts';
import { InfluxDriftSink } from '../telemetry/drift-sink.ts';
import type { TelemetryHealth } from '../telemetry/health.ts';
import { startHealthSampler, type HealthSampler } from '../telemetry/health-sampler.ts';
import { InfluxWriter } from '../telemetry/writer.ts';
import { createCampaignApi } from '../tuning/campaign-api.ts';
import { configFromSettings } from '../tuning/campaign-config.ts';
import type { DriftSink } from '../tuning/drift-sink.ts';
import { createTuningService, type TuningService } from '../tuning/tuning-service.ts';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { createBridgeHandlers } from './bridge-handlers.ts';
import { createDispatcher } from './bridge-dispatch.ts';
import { CampaignCatalog } from './campaign-catalog.ts';
import type { CoreFacade } from './core-facade.ts';
import { runCoreDoctor } from './core-doctor.ts';
import { auditDirOf } from './data-dir.ts';
import { EventLog } from './event-log.ts';
import { HistoryStore } from './history-store.ts';
import { netConfigFromSettings } from './net-settings.ts';
import { choosePlatformMode, openPlatform, type PlatformTarget } from './platform.ts';
import { healthSources } from './health-sources.ts';
import { campaignView, proxyHealthView, relayHealthView, telemetryHealthView } from './state-view.ts';
import { breakerCloseTracker, eventLogEntryFor } from './tuning-event-log.ts';

export interface CoreOptions {
  /** settings.json, the audit trail and the telemetry spool live here. */
  dataDir: string;
  logger: Logger;
  /** Defaults: conf-backed settings in dataDir; the keychain (memory fallback with a warning). */
  settings?: SettingsStore;
  secrets?: SecretStore;
  /** electron-store in the Electron shell. */
  settingsStoreClass?: ConfLikeClass;
  /** Electron safeStorage, for the opt-in encrypted-file secret store. */
  encryptor?: Encryptor;
  systemProxyResolver?: SystemProxyResolver;
  env?: Env;
  /** Clock of the tuning loop and the network layer (virtual in tests). Default: the simulator's clock in sandbox mode, else the system clock. */
  clock?: Clock;
  /** Clock of the embedded simulator (virtual in tests). */
  simClock?: Clock;
  /** `--sandbox`: use the simulator whatever the settings say. */
  forceSandbox?: boolean;
  /** Override the relay port (headless `--relay-port`). */
  relayPort?: number;
  /** How often state is pushed to the renderer when nothing else triggers it (ms, real time). */
  statePushMs?: number;
  /** How often the campaign list is re-read (ms, on `clock`). */
  catalogRefreshMs?: number;
}

export interface Core extends CoreFacade {
  /** The platform in use (the simulator handle in sandbox mode; tests drive it). */
  platform(): PlatformTarget | undefined;
  tuning(): TuningService | undefined;
  relayPort(): number | null;
  /** Forget cached system-proxy answers (network change, resume). */
  invalidateProxyCache(): void;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
}

interface Engines {
  platform: PlatformTarget;
  net: NetLayer;
  client: GenesysClient;
  tuning?: TuningService;
  telemetry?: InfluxWriter;
  /** `proxy_health` / `relay_health` once a minute, while telemetry is on. */
  healthSampler?: HealthSampler;
  relay?: Relay;
  relayPort: number | null;
  unsubscribers: Array<() => void>;
}

/** The Electron dashboard's origin (main/electron serves the renderer on app://pacekeeper). */
const DASHBOARD_ORIGIN = 'app://pacekeeper';
const RESTART_SECTIONS: SettingsSection[] = ['genesys', 'sandbox'];
const NET_SECTIONS: SettingsSection[] = ['proxy', 'tls', 'net'];
/** Flush budget when telemetry closes: the spool is durable, so shutdown need not wait long. */
const TELEMETRY_FLUSH_MS = 1_000;

export async function createCore(o: CoreOptions): Promise<Core> {
  const logger = o.logger.child({ component: 'core' });
  // In sandbox mode the loop runs on the simulator's clock, so `sandbox.speed` speeds up tuning too.
  let clock: Clock = o.clock ?? systemClock;
  const settings = o.settings ?? openSettingsStore({ cwd: o.dataDir, ...(o.settingsStoreClass ? { Store: o.settingsStoreClass } : {}), logger: o.logger });
  const secrets =
    o.secrets ??
    (await openSecretStore({
      store: settings.get().secrets.store,
      ...(o.encryptor ? { encryptedFile: { path: join(o.dataDir, SECRETS_FILE_NAME), encryptor: o.encryptor } } : {}),
      logger: o.logger,
    }));
  for (const [name, value] of Object.entries(settings.takeMovedSecrets())) {
    if (value) await secrets.set(name as Parameters<SecretStore['set']>[0], value).catch((e: unknown) => logger.warn('could not store a migrated secret', { name, error: e }));
  }

  const events = new EventLog({ now: () => clock.now() });
  const history = new HistoryStore();
  const catalog = new CampaignCatalog();
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  const emit = <K extends EventName>(name: K, payload: EventPayload<K>) => {
    for (const l of listeners.get(name) ?? []) {
      try {
        (l as (p: EventPayload<K>) => void)(payload);
      } catch (e) {
        logger.warn('bridge event listener failed', { event: name, error: e });
      }
    }
  };
  events.onEntry((e) => emit('log', e));

  let engines: Engines | undefined;
  let lastHops: HopStatus[] = [];
  /** The token the running relay was started with; a secret change to the same value is no change. */
  let relayToken: string | undefined;
  let startError: Warning | undefined;
  let stopped = false;
  let catalogTimer: TimerHandle | undefined;
  let pushTimer: ReturnType<typeof setInterval> | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  /** Engine rebuilds run one at a time, in order. */
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = chain.then(f, f);
    chain = next.catch(() => undefined);
    return next;
  };

  const secretSource = (platform: PlatformTarget): SecretSource => ({
    get: (name) => (name === 'genesys.clientSecret' ? platform.clientSecret() : secrets.get(name)),
  });

  const warnings = (t: TelemetryHealth | undefined): Warning[] => {
    const out: Warning[] = [];
    if (secrets.warning) out.push({ code: secrets.warning.code, message: secrets.warning.message, fix: secrets.warning.fix });
    for (const w of settings.warnings) out.push({ code: w.code, message: w.message, fix: w.fix });
    if (startError) out.push(startError);
    if (t?.warning) out.push({ code: t.warning.code, message: t.warning.message, fix: t.warning.fix });
    return out;
  };

  const state = (): CoreState => {
    const s = settings.get();
    const e = engines;
    const snapshot = e?.tuning?.snapshot();
    const campaigns = (snapshot?.campaigns ?? []).map((c) => {
      const t = effectiveTuning(s.tuning, c.campaignId);
      return campaignView(c, catalog.get(c.campaignId), { setpointPct: t.abandonSetpointPct, ceilingPct: t.abandonCeilingPct }, errorCounts.get(c.campaignId) ?? 0, appliedCounts.get(c.campaignId) ?? 0);
    });
    const net = e?.net.health();
    const telemetry = e?.telemetry?.health();
    return {
      at: new Date(clock.now()).toISOString(),
      platform: {
        mode: e?.platform.mode ?? 'sandbox',
        region: e?.platform.endpoints.region ?? s.genesys.region,
        apiBaseUrl: e?.platform.endpoints.apiBaseUrl ?? '',
      },
      campaigns,
      proxy: net
        ? proxyHealthView(net, e!.platform.endpoints.apiBaseUrl, lastHops)
        : { route: 'direct', source: 'none', tunnelsOpened: 0, active: 0, idle: 0, handshakeMs: null, lastError: null, hops: lastHops },
      relay: relayHealthView(e?.relay?.metrics(), e?.relayPort ?? null),
      telemetry: telemetryHealthView(telemetry),
      warnings: warnings(telemetry),
    };
  };
  const errorCounts = new Map<string, number>();
  const appliedCounts = new Map<string, number>();
  const breakerClosed = breakerCloseTracker();
  const pushState = () => emit('state', state());

  // ---- engines ---------------------------------------------------------------------------------

  const buildTelemetry = async (net: NetLayer): Promise<InfluxWriter | undefined> => {
    const cfg = settings.get().influx;
    if (!cfg.enabled) return undefined;
    try {
      return await InfluxWriter.open({ config: cfg, spoolDir: join(o.dataDir, 'telemetry-spool'), net, secrets, clock, log: o.logger });
    } catch (e) {
      const err = e as { message?: string; fix?: string; code?: string };
      events.add({ kind: 'error', severity: 'error', message: `Telemetry is off: ${err.message ?? String(e)}` });
      logger.error('telemetry could not start', { error: e });
      return undefined;
    }
  };

  /** Closes the running writer (its spool keeps what it has not sent) and opens one from settings. */
  const startTelemetry = async (e: Engines): Promise<void> => {
    e.healthSampler?.stop();
    await e.telemetry?.close({ flushTimeoutMs: TELEMETRY_FLUSH_MS }).catch((err: unknown) => logger.warn('telemetry close failed', { error: err }));
    e.telemetry = await buildTelemetry(e.net);
    e.healthSampler = e.telemetry
      ? startHealthSampler({ writer: e.telemetry, sources: healthSources(() => e.net, () => e.relay), clock, log: o.logger })
      : undefined;
  };

  const buildTuning = (e: Engines): TuningService => {
    const s = settings.get();
    const region = e.platform.endpoints.region;
    const campaigns = catalog.ids.map((id) =>
      configFromSettings(id, effectiveTuning(s.tuning, id), { name: catalog.get(id)?.name ?? id, region }),
    );
    // The value a write put in force (after the guards), reported just before the cycle's signal.
    const written = new Map<string, number>();
    const telemetry: DriftSink | undefined = e.telemetry ? new InfluxDriftSink({ writer: e.telemetry, log: o.logger }) : undefined;
    const sink: DriftSink = {
      applied(p) {
        written.set(p.campaignId, p.newRate);
        appliedCounts.set(p.campaignId, (appliedCounts.get(p.campaignId) ?? 0) + 1);
        return telemetry?.applied(p);
      },
      signal(p) {
        catalog.notePacing(p.campaignId, p.adjustedCallsPerAgent);
        // "applied" is the value in force after the cycle: the new one when it was written.
        const point = { t: p.time, applied: p.outcome === 'applied' ? (written.get(p.campaignId) ?? p.recommended) : p.current, recommended: p.recommended, abandonPct: p.windowAbandonPct ?? null };
        history.add(p.campaignId, point);
        emit('history', { campaignId: p.campaignId, point });
        return telemetry?.signal(p);
      },
    };
    const svc = createTuningService({ api: createCampaignApi(e.client), campaigns, auditDir: auditDirOf(o.dataDir), clock, logger: o.logger, sink });
    e.unsubscribers.push(
      svc.on((ev) => {
        if (ev.type === 'error') errorCounts.set(ev.campaignId, (errorCounts.get(ev.campaignId) ?? 0) + 1);
        if (ev.type === 'applied' || ev.type === 'unchanged') {
          logger.info('tuning decision', { campaignId: ev.campaignId, type: ev.type, ...(ev.type === 'applied' ? { from: ev.oldValue, to: ev.newValue, version: ev.version } : { value: ev.value, why: ev.why }) });
        }
        for (const entry of [breakerClosed(ev), eventLogEntryFor(ev)]) {
          if (!entry) continue;
          events.add(entry);
          logger.info('tuning event', { campaignId: ev.campaignId, type: ev.type, kind: entry.kind, message: entry.message });
        }
        pushState();
      }),
    );
    return svc;
  };

  /** `inSerial`: already running inside `serial` (start-up), so rebuild tuning directly. */
  const refreshCatalog = async (inSerial = false): Promise<void> => {
    const e = engines;
    if (!e || stopped) return;
    try {
      const changed = await catalog.refresh(e.client);
      if (startError?.code === 'PLATFORM_UNREACHABLE') startError = undefined;
      if (changed || !e.tuning) await (inSerial ? restartTuning() : serial(() => restartTuning()));
    } catch (err) {
      const x = err as { message?: string; fix?: string; code?: string };
      const repeated = startError?.message.endsWith(x.message ?? String(err));
      startError = { code: 'PLATFORM_UNREACHABLE', message: `Cannot read the campaign list: ${x.message ?? String(err)}`, fix: x.fix ?? 'Run the doctor from the proxy card to find the failing hop.' };
      // Logged once per distinct failure, not on every retry.
      if (!repeated && x.code === 'ProxyAuthRequired') events.add({ kind: 'proxy-auth', severity: 'error', message: `${x.message ?? 'proxy login failed'} ${x.fix ?? ''}`.trim() });
      logger.warn('campaign list unavailable', { error: err });
    } finally {
      if (!stopped) {
        catalogTimer?.cancel();
        catalogTimer = clock.setTimeout(() => void refreshCatalog(), o.catalogRefreshMs ?? (engines?.tuning ? 300_000 : 30_000));
      }
    }
  };

  const restartTuning = async (): Promise<void> => {
    const e = engines;
    if (!e) return;
    await e.tuning?.stop();
    e.tuning = catalog.ids.length ? buildTuning(e) : undefined;
    e.tuning?.start();
    logger.info('tuning loop running', { campaigns: catalog.ids.length });
    pushState();
  };

  const startRelay = async (e: Engines): Promise<void> => {
    const s = settings.get().relay;
    if (!s.enabled) return;
    try {
      const token = await ensureRelayToken(secrets);
      relayToken = token;
      const relay = createRelay({
        port: o.relayPort ?? s.port,
        token,
        // The dashboard's own origin is always allowed; users add their tools' origins in settings.
        allowedOrigins: [DASHBOARD_ORIGIN, ...s.allowedOrigins],
        pool: { maxChannels: s.maxChannels, maxTopicsPerChannel: s.maxTopicsPerChannel },
        upstream: genesysUpstream(e.client),
        logger: o.logger,
      });
      const { port } = await relay.start();
      e.relay = relay;
      e.relayPort = port;
      logger.info('relay listening', { url: `ws://127.0.0.1:${port}` });
    } catch (err) {
      const x = err as { message?: string; fix?: string };
      events.add({ kind: 'error', severity: 'error', message: `The local relay could not start: ${x.message ?? String(err)}` });
      logger.error('relay could not start', { error: err });
    }
  };

  /** Drains the running relay (if any) and starts one from the current settings and token. */
  const restartRelay = async (e: Engines): Promise<void> => {
    await e.relay?.stop({ reason: 'restart' }).catch(() => undefined);
    e.relay = undefined;
    e.relayPort = null;
    await startRelay(e);
  };

  const startEngines = async (): Promise<void> => {
    const s = settings.get();
    const platform = await openPlatform({ settings: s, secrets, logger: o.logger, ...(o.forceSandbox ? { forceSandbox: true } : {}), ...(o.simClock ? { simClock: o.simClock } : {}) });
    clock = o.clock ?? platform.sim?.clock ?? systemClock;
    const mapping = netConfigFromSettings(s);
    const env: Env = mapping.useEnvironment ? (o.env ?? process.env) : {};
    const net = await createNetLayer({
      config: mapping.config,
      secrets: secretSource(platform),
      ...(mapping.useSystemResolver && o.systemProxyResolver ? { systemProxyResolver: o.systemProxyResolver } : {}),
      env,
      clock,
      logger: o.logger,
    });
    const client = createGenesysClient({
      net,
      apiBaseUrl: platform.endpoints.apiBaseUrl,
      loginBaseUrl: platform.endpoints.loginBaseUrl,
      clientId: platform.clientId ?? '',
      secrets: secretSource(platform),
      clock,
      logger: o.logger,
    });
    const e: Engines = { platform, net, client, relayPort: null, unsubscribers: [] };
    engines = e;
    await startTelemetry(e);
    await startRelay(e);
    await refreshCatalog(true);
  };

  const stopEngines = async (reason: 'shutdown' | 'restart'): Promise<void> => {
    const e = engines;
    engines = undefined;
    catalogTimer?.cancel();
    if (!e) return;
    for (const u of e.unsubscribers) u();
    // The relay drains while tuning finishes its cycle; the telemetry spool is on disk, so a short
    // flush loses nothing (the rest is sent on the next start).
    await Promise.all([
      e.tuning?.stop().catch((err: unknown) => logger.warn('tuning stop failed', { error: err })),
      e.relay?.stop({ reason }).catch((err: unknown) => logger.warn('relay drain failed', { error: err })),
    ]);
    e.healthSampler?.stop();
    await e.telemetry?.close({ flushTimeoutMs: TELEMETRY_FLUSH_MS }).catch((err: unknown) => logger.warn('telemetry close failed', { error: err }));
    e.client.close();
    await e.net.close().catch((err: unknown) => logger.warn('net close failed', { error: err }));
    await e.platform.close().catch((err: unknown) => logger.warn('platform close failed', { error: err }));
  };

  // ---- reacting to settings and secrets --------------------------------------------------------

  const onSettingsChange = async (sections: SettingsSection[]): Promise<void> => {
    if (!engines || stopped) return;
    logger.info('settings changed', { sections });
    if (sections.some((s) => RESTART_SECTIONS.includes(s))) {
      await stopEngines('restart');
      await startEngines();
    } else {
      const e = engines;
      if (sections.some((s) => NET_SECTIONS.includes(s))) await e.net.reconfigure(netConfigFromSettings(settings.get()).config);
      if (sections.includes('influx')) {
        await startTelemetry(e);
        await restartTuning();
      } else if (sections.includes('tuning')) {
        await restartTuning();
      }
      if (sections.includes('relay')) await restartRelay(e);
    }
    pushState();
  };

  const onSecretChange = async (name: string): Promise<void> => {
    if (!engines || stopped) return;
    const e = engines;
    if (name === 'genesys.clientSecret') {
      const hasSecret = await secrets.has('genesys.clientSecret').catch(() => false);
      if (choosePlatformMode(settings.get(), hasSecret, o.forceSandbox).mode !== e.platform.mode) {
        await stopEngines('restart');
        await startEngines();
      } else {
        const current = e.client.tokens.current();
        if (current) e.client.tokens.invalidate(current.value);
      }
    } else if (name === 'proxy.password') {
      await e.net.reconfigure(netConfigFromSettings(settings.get()).config);
    } else if (name === 'influx.token') {
      await startTelemetry(e);
      await restartTuning();
    } else if (name === 'relay.token') {
      if ((await secrets.get('relay.token').catch(() => undefined)) === relayToken) return;
      await restartRelay(e);
    }
    pushState();
  };

  const subs: Array<() => void> = [];

  const runDoctor = async () => {
    const e = engines;
    if (!e) throw new Error('core is not running');
    const mapping = netConfigFromSettings(settings.get());
    const report = await runCoreDoctor({
      endpoints: e.platform.endpoints,
      clientId: e.platform.clientId,
      net: mapping.config,
      secrets: secretSource(e.platform),
      systemProxyResolver: mapping.useSystemResolver ? o.systemProxyResolver : undefined,
      env: mapping.useEnvironment ? (o.env ?? process.env) : {},
      clock,
      logger: o.logger,
    });
    lastHops = report.hops;
    pushState();
    return report;
  };

  const handlers = createBridgeHandlers({
    state,
    history,
    events,
    settings,
    secrets,
    tuning: () => engines?.tuning,
    runDoctor,
    now: () => clock.now(),
    settingsWarnings: () => warnings(engines?.telemetry?.health()).filter((w) => w.code.startsWith('SETTINGS') || w.code.startsWith('KEYCHAIN') || w.code.startsWith('ENCRYPTION') || w.code.startsWith('SECRET')),
  });
  const dispatch = createDispatcher(handlers, logger);

  const core: Core = {
    dispatch,
    settings,
    secrets,
    state,
    platform: () => engines?.platform,
    tuning: () => engines?.tuning,
    relayPort: () => engines?.relayPort ?? null,
    invalidateProxyCache: () => engines?.net.invalidateProxyCache(),
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as (p: never) => void);
      return () => set.delete(listener as (p: never) => void);
    },
    navigate: (payload) => emit('navigate', payload),
    async start() {
      stopped = false;
      if (secrets.warning) events.add({ kind: 'keychain-unavailable', severity: 'warning', message: `${secrets.warning.message} ${secrets.warning.fix}` });
      subs.push(settings.onChange((c) => void serial(() => onSettingsChange(c.sections)).catch((e: unknown) => logger.error('applying settings failed', { error: e }))));
      subs.push(
        secrets.onChange((c) => {
          if (c.kind === 'backend') {
            if (c.warning) events.add({ kind: 'keychain-unavailable', severity: 'warning', message: `${c.warning.message} ${c.warning.fix}` });
            pushState();
            return;
          }
          void serial(() => onSecretChange(c.name)).catch((e: unknown) => logger.error('applying a secret change failed', { error: e }));
        }),
      );
      await serial(startEngines);
      pushTimer = setInterval(pushState, o.statePushMs ?? 2_000);
      pushTimer.unref?.();
      pushState();
    },
    async stop(reason) {
      stopped = true;
      if (pushTimer) clearInterval(pushTimer);
      for (const u of subs.splice(0)) u();
      await serial(() => stopEngines(reason));
    },
  };
  return core;
}
