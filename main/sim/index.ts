// The embedded Genesys Cloud simulator (the sandbox platform). `startSimulator` builds the sandbox
// org from a seed, serves the platform's REST and WebSocket APIs on loopback, and returns the
// credentials and the in-process control surface. docs/simulator.md says what is modelled.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignSchema } from '../genesys/models.ts';
import { ScaledClock, type Clock } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { redactor } from '../util/redact.ts';
import { CampaignDialers } from './campaign-dialers.ts';
import { CampaignStore } from './campaign-store.ts';
import { createControl, type SimControl } from './control.ts';
import { defaultLimits, type RouteSpec, type SimCore, type SimLimits } from './core.ts';
import { emptyCounters } from './counters.ts';
import { FaultPlan } from './faults.ts';
import { ChannelRegistry } from './notifications/channel-registry.ts';
import { EventFeed } from './notifications/event-feed.ts';
import { SocketServer } from './notifications/socket-server.ts';
import { createRng } from './random.ts';
import { RateLimiter } from './rate-limit.ts';
import { Router } from './router.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerAnalyticsRoutes } from './routes/analytics-routes.ts';
import { registerCampaignRoutes } from './routes/campaign-routes.ts';
import { registerNotificationRoutes } from './routes/notification-routes.ts';
import { registerOAuthRoutes } from './routes/oauth-routes.ts';
import { buildWorld, type SimCampaignSpec } from './sandbox-world.ts';
import { createSimServer } from './server.ts';
import { createSandboxPki } from './tls/certificates.ts';
import { TokenStore } from './token-store.ts';

export type { SimControl, SimCampaignState, ChannelInfo } from './control.ts';
export type { SimCounters } from './counters.ts';
export type { FaultSpec } from './faults.ts';
export type { SimLimits } from './core.ts';
export type { SimCampaignSpec, SimUser, SimQueue } from './sandbox-world.ts';

export interface SimulatorOptions {
  host?: string; // default '127.0.0.1'
  port?: number; // default 0 (ephemeral)
  https?: boolean; // generate CA + localhost cert
  seed?: number; // default 1
  clock?: Clock; // default: ScaledClock(speed)
  speed?: number; // default 1 (used when no clock is given)
  tokenLifetimeSec?: number; // default 86400
  rateLimitPerMinute?: number; // default 300, per token
  campaigns?: number | SimCampaignSpec[]; // default: 5 predictive/power/preview campaigns
  clientId?: string;
  clientSecret?: string; // default: generated per start
  eventRatePerSec?: number; // synthetic notification event rate (default 1)
  dataDir?: string; // where the CA PEM is written (default: a temp dir, removed on close)
  logger?: Logger;
  /** Protocol and server limits (channel lifetime, heartbeat period, body cap, timeouts…). */
  limits?: Partial<SimLimits>;
}

export interface RunningSimulator {
  url: string; // e.g. https://localhost:43123
  clientId: string;
  clientSecret: string;
  caPem?: string; // path of the CA PEM file (https only)
  caCert?: string; // the CA PEM text (https only)
  clock: Clock;
  control: SimControl;
  close(): Promise<void>; // closes sockets and the server, idempotent
}

function check(cond: boolean, message: string): void {
  if (!cond) throw new RangeError(message);
}

function validate(o: SimulatorOptions): void {
  check(o.port === undefined || (Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535), `port must be 0..65535, got ${o.port}`);
  check(o.seed === undefined || Number.isFinite(o.seed), `seed must be a number, got ${o.seed}`);
  check(o.speed === undefined || (Number.isFinite(o.speed) && o.speed > 0), `speed must be a positive number, got ${o.speed}`);
  check(o.tokenLifetimeSec === undefined || (Number.isFinite(o.tokenLifetimeSec) && o.tokenLifetimeSec >= 1), `tokenLifetimeSec must be at least 1, got ${o.tokenLifetimeSec}`);
  check(o.rateLimitPerMinute === undefined || (Number.isInteger(o.rateLimitPerMinute) && o.rateLimitPerMinute >= 1), `rateLimitPerMinute must be a positive integer, got ${o.rateLimitPerMinute}`);
  check(o.eventRatePerSec === undefined || (Number.isFinite(o.eventRatePerSec) && o.eventRatePerSec >= 0 && o.eventRatePerSec <= 10_000), `eventRatePerSec must be 0..10000, got ${o.eventRatePerSec}`);
  check(o.campaigns === undefined || Array.isArray(o.campaigns) || (Number.isInteger(o.campaigns) && o.campaigns >= 0 && o.campaigns <= 500), `campaigns must be 0..500 or a list, got ${String(o.campaigns)}`);
  check(o.clientId === undefined || (o.clientId.length > 0 && !o.clientId.includes(':')), 'clientId must be non-empty and contain no colon');
  check(o.clientSecret === undefined || o.clientSecret.length > 0, 'clientSecret must be non-empty');
  for (const [k, v] of Object.entries(o.limits ?? {})) {
    check(typeof v === 'number' && Number.isFinite(v) && v >= 0, `limits.${k} must be a non-negative number, got ${String(v)}`);
  }
}

function urlHost(host: string, https: boolean): string {
  // The certificate names localhost; wildcard binds are reached over loopback.
  if (https) return 'localhost';
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  validate(opts);
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? new ScaledClock(opts.speed ?? 1);
  const logger = (opts.logger ?? silentLogger).child({ component: 'sim' });
  const limits: SimLimits = { ...defaultLimits(), ...opts.limits };
  const seed = opts.seed ?? 1;
  const clientId = opts.clientId ?? randomUUID();
  const clientSecret = opts.clientSecret ?? randomBytes(32).toString('base64url');
  const adminToken = randomBytes(32).toString('base64url');
  redactor.addSecret(clientSecret);
  redactor.addSecret(adminToken);

  const rng = createRng(seed);
  const world = buildWorld(rng.fork('world'), clock.now(), opts.campaigns ?? 5, CampaignDialers.agentsFor);
  for (const c of world.campaigns) {
    // Caller-supplied specs end up in the served objects: refuse what the platform would not serve.
    const parsed = CampaignSchema.strict().safeParse(c);
    if (!parsed.success) throw new RangeError(`campaign ${c.id}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  }
  const tokens = new TokenStore(clock, opts.tokenLifetimeSec ?? 86_400);
  const store = new CampaignStore(clock, world.campaigns, (id) => world.queues.find((q) => q.id === id)?.name);
  // Model time 0 lies `warmupMs` in the past: campaigns have been dialing for a while at start.
  const dialers = new CampaignDialers({ store, scenarios: world.scenarios, seed, clock, startMs: clock.now() - limits.warmupMs, logger });
  dialers.advanceAll(clock.now());
  let origin = '';
  const channels = new ChannelRegistry({
    clock,
    tokens,
    wsOrigin: () => origin.replace(/^http/, 'ws'),
    lifetimeMs: limits.channelLifetimeMs,
    maxChannelsPerClient: limits.maxChannelsPerClient,
    maxTopicsPerChannel: limits.maxTopicsPerChannel,
    onEvent: () => core.counters.websocket.eventsSent++,
    onAudienceChange: () => feed.wake(),
  });
  const counters = emptyCounters();
  const sockets = new SocketServer({
    clock,
    registry: channels,
    logger,
    heartbeatMs: limits.heartbeatMs,
    maxPayload: limits.maxFrameBytes,
    hooks: {
      connected: () => core.counters.websocket.connections++,
      heartbeat: () => core.counters.websocket.heartbeats++,
      pong: () => core.counters.websocket.pongs++,
    },
  });
  const feed = new EventFeed({ clock, registry: channels, store, dialers, world, rng: rng.fork('events'), eventRatePerSec: opts.eventRatePerSec ?? 1, statsIntervalMs: limits.statsIntervalMs });
  const core: SimCore = {
    clock, logger, clientId, clientSecret, adminToken, limits, tokens,
    limiter: new RateLimiter(opts.rateLimitPerMinute ?? 300),
    faults: new FaultPlan(),
    counters, world, store, dialers, channels, sockets, feed,
  };
  const control = createControl(core);
  const router = new Router<RouteSpec>();
  registerOAuthRoutes(router);
  registerCampaignRoutes(router);
  registerAnalyticsRoutes(router);
  registerNotificationRoutes(router);
  registerAdminRoutes(router, control);

  let tls: { key: string; cert: string } | undefined;
  let caPem: string | undefined;
  let caCert: string | undefined;
  let tempDir: string | undefined;
  if (opts.https) {
    const pki = createSandboxPki();
    tls = { key: pki.server.keyPem, cert: pki.server.certPem };
    caCert = pki.ca.certPem;
    const dir = opts.dataDir ?? (tempDir = mkdtempSync(join(tmpdir(), 'pacekeeper-sim-')));
    caPem = join(dir, 'sandbox-ca.pem');
    writeFileSync(caPem, caCert, { mode: 0o644 });
  }

  const sim = createSimServer(core, router, tls);
  await new Promise<void>((resolve, reject) => {
    sim.server.once('error', reject);
    sim.server.listen(opts.port ?? 0, host, () => {
      sim.server.off('error', reject);
      resolve();
    });
  }).catch((e: unknown) => {
    feed.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw e;
  });
  sim.server.on('error', (e) => logger.error('sim server error', { error: e.message }));
  const port = (sim.server.address() as AddressInfo).port;
  origin = `${opts.https ? 'https' : 'http'}://${urlHost(host, !!opts.https)}:${port}`;
  logger.info('simulator listening', { url: origin, seed, campaigns: world.campaigns.length });

  let closing: Promise<void> | undefined;
  return {
    url: origin,
    clientId,
    clientSecret,
    ...(caPem ? { caPem, caCert } : {}),
    clock,
    control,
    close() {
      closing ??= (async () => {
        feed.stop();
        await sockets.close();
        channels.removeAll();
        await sim.close();
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
        logger.info('simulator closed', { url: origin });
      })();
      return closing;
    },
  };
}
