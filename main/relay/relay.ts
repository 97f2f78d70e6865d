// createRelay: the composition root of the local WebSocket relay (issue #6, docs/relay.md).
// Downstream: loopback server, relay-protocol sessions and Genesys-compatible channels.
// Upstream: one bounded pool of platform channels shared by all of them, through `upstream`.
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { systemClock } from '../util/clock.ts';
import { silentLogger } from '../util/log.ts';
import { drainClose, CLOSE, type StopReason } from './close-codes.ts';
import { CompatRegistry, CompatSocket } from './compat-channels.ts';
import { handleCompatRest } from './compat-rest.ts';
import type { Connection, ConnectionDeps, ConnectionIdentity } from './connection.ts';
import { DeliveryStats } from './delivery-stats.ts';
import { DownstreamServer } from './downstream-server.ts';
import { FanoutScheduler } from './fanout.ts';
import { digestToken, normaliseOrigin } from './handshake.ts';
import { Heartbeat } from './heartbeat.ts';
import { collectMetrics, type RelayMetrics } from './metrics.ts';
import { resolveSettings, type RelayOptions } from './options.ts';
import { encode } from './protocol.ts';
import { RelaySession, type RelaySessionDeps } from './relay-session.ts';
import { TopicAllowlist } from './topic-patterns.ts';
import { TopicRouter } from './topic-router.ts';
import type { PoolEvent } from './pool-types.ts';
import { UpstreamPool } from './upstream-pool.ts';

export interface DrainReport {
  reason: StopReason;
  /** Sessions open when the drain began. */
  sessions: number;
  /** Closed by the close handshake before the deadline. */
  closedGracefully: number;
  /** Still open at the deadline and terminated. */
  terminated: number;
  /** From stop() to the last session gone, ms. */
  drainMs: number;
}

export interface RelayEvents {
  listening: { port: number };
  session: { id: string; kind: 'relay' | 'compat'; state: 'open' | 'closed' };
  upstream: PoolEvent;
  draining: { reason: StopReason; sessions: number };
  stopped: DrainReport;
}

export interface StopOptions {
  reason?: StopReason;
  /** Budget for flushing queues and the close handshake (default 1,000 ms). */
  deadlineMs?: number;
  /** Appended to the close reason, e.g. "update to 1.4". */
  detail?: string;
}

export interface Relay {
  /** Binds 127.0.0.1 and reports the port (the ephemeral one when `port` was 0). */
  start(): Promise<{ port: number }>;
  /** Drain: 503 new upgrades, close every session with 1012/1001, flush, then close upstream. */
  stop(opts?: StopOptions): Promise<DrainReport>;
  metrics(opts?: { resetWindow?: boolean }): RelayMetrics;
  on<K extends keyof RelayEvents>(event: K, listener: (e: RelayEvents[K]) => void): () => void;
  /** Make-before-break rotation of every upstream channel (ops and tests). */
  rotateUpstream(why?: string): void;
  readonly port: number;
}

export function createRelay(options: RelayOptions): Relay {
  const s = resolveSettings(options);
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'relay' });
  const random = options.random ?? Math.random;
  const listeners = new Map<keyof RelayEvents, Set<(e: never) => void>>();
  const emit = <K extends keyof RelayEvents>(event: K, e: RelayEvents[K]): void => {
    for (const l of listeners.get(event) ?? []) (l as (e: RelayEvents[K]) => void)(e);
  };

  const stats = new DeliveryStats();
  const allowlist = new TopicAllowlist(s.topicPatterns);
  const fanout = new FanoutScheduler(s.fanout);
  const router = new TopicRouter({ clock, fanout, lingerMs: s.pool.lingerMs, ackTimeoutMs: s.pool.ackTimeoutMs });
  const pool = new UpstreamPool({
    platform: options.upstream,
    clock,
    logger,
    sink: router,
    maxTopicsPerChannel: s.pool.maxTopicsPerChannel,
    fillRatio: s.pool.fillRatio,
    maxChannels: s.pool.maxChannels,
    subscribeBatch: s.pool.subscribeBatch,
    batchDelayMs: s.pool.batchDelayMs,
    overlapMs: s.pool.overlapMs,
    rotateBeforeExpiryMs: s.pool.rotateBeforeExpiryMs,
    pingAfterMs: s.pool.pingAfterMs,
    silenceTimeoutMs: s.pool.silenceTimeoutMs,
    backoff: { baseMs: s.pool.backoffBaseMs, maxMs: s.pool.backoffMaxMs, factor: 2 },
    random,
    onEvent: (e) => emit('upstream', e),
  });
  router.attach(pool);
  const compat = new CompatRegistry({
    clock,
    router,
    allowlist,
    maxChannels: s.limits.maxCompatChannels,
    maxTopicsPerChannel: s.pool.maxTopicsPerChannel,
    lifetimeMs: 24 * 3600 * 1000,
  });

  const connections = new Set<Connection>();
  let draining = false;
  let onAllClosed: (() => void) | undefined;
  const idPrefix = randomBytes(3).toString('hex');
  let nextSerial = 0;
  const newIdentity = (): ConnectionIdentity => {
    const serial = nextSerial++;
    return { serial, id: `${idPrefix}-${serial.toString(36)}` };
  };

  const connDeps: ConnectionDeps = {
    clock,
    stats,
    queueLimits: { maxBytes: s.limits.queueBytes, maxMessages: s.limits.queueMessages, coalesceAt: s.limits.coalesceAt },
    rate: { perSecond: s.limits.messagesPerSecond, burst: s.limits.messageBurst },
    malformed: { limit: s.limits.malformedLimit, windowMs: s.limits.malformedWindowMs },
    closed: (conn) => {
      connections.delete(conn);
      emit('session', { id: conn.id, kind: conn instanceof CompatSocket ? 'compat' : 'relay', state: 'closed' });
      if (connections.size === 0) onAllClosed?.();
    },
  };
  const sessionDeps: RelaySessionDeps = { ...connDeps, router, allowlist, maxTopicsPerSession: s.limits.maxTopicsPerSession };

  const server: DownstreamServer = new DownstreamServer({
    port: s.port,
    allowedHosts: s.allowedHosts,
    origins: new Set(s.allowedOrigins.map(normaliseOrigin)),
    tokenDigest: digestToken(s.token),
    maxFrameBytes: s.limits.maxFrameBytes,
    closeTimeoutMs: s.limits.closeTimeoutMs,
    maxSessions: s.limits.maxSessions,
    logger,
    stats,
    isDraining: () => draining,
    sessionCount: () => connections.size,
    hasCompatChannel: (id) => compat.get(id) !== undefined,
    acceptRelay: (ws: WebSocket) => {
      const session = new RelaySession(newIdentity(), ws, sessionDeps);
      connections.add(session);
      session.pushText(encode.welcome(session.id, s.heartbeat.pingIntervalMs, s.limits.maxFrameBytes, s.limits.maxTopicsPerSession));
      emit('session', { id: session.id, kind: 'relay', state: 'open' });
    },
    acceptCompat: (ws: WebSocket, channelId: string) => {
      const ch = compat.get(channelId);
      if (!ch) {
        ws.close(CLOSE.channelGone.code, CLOSE.channelGone.reason);
        return;
      }
      const sock = new CompatSocket(newIdentity(), ws, connDeps, ch);
      connections.add(sock);
      compat.attach(ch, sock);
      emit('session', { id: sock.id, kind: 'compat', state: 'open' });
    },
    compatRest: (req, res, path): Promise<void> => handleCompatRest(req, res, path, { registry: compat, wsOrigin: (): string => server.wsOrigin }),
  });

  const heartbeat = new Heartbeat({
    clock,
    connections: () => connections,
    compat,
    stats,
    pingIntervalMs: s.heartbeat.pingIntervalMs,
    pongTimeoutMs: s.heartbeat.pongTimeoutMs,
    idleTimeoutMs: s.heartbeat.idleTimeoutMs,
    compatHeartbeatMs: s.heartbeat.compatHeartbeatMs,
  });

  let stopping: Promise<DrainReport> | undefined;
  let loopDelay: IntervalHistogram | undefined;

  async function stop(opts: StopOptions = {}): Promise<DrainReport> {
    const reason = opts.reason ?? 'shutdown';
    const deadlineMs = opts.deadlineMs ?? 1000;
    stopping ??= (async () => {
      const t0 = performance.now();
      draining = true; // 1. new upgrades and requests get 503
      heartbeat.stop();
      const list = [...connections];
      emit('draining', { reason, sessions: list.length });
      logger.info('relay draining', { reason, sessions: list.length });
      // Deliveries in flight get a quarter of the budget; what is left of a backlog is dropped.
      stats.dropped += fanout.flushAll(deadlineMs / 4);
      const allClosed = new Promise<void>((resolve) => {
        onAllClosed = resolve;
        if (connections.size === 0) resolve();
      });
      // 2–3. Every session gets its close code. Queues are flushed first while 60% of the budget
      // remains; after that they are dropped, so a backlog cannot cost anyone their close frame.
      // Close frames go out in one pass, before any answer is read: each yield would first process
      // every close handshake already under way (~80 µs each), and 10k sessions then waited ~1 s
      // for their frame instead of ~0.4 s. Only a pass longer than the whole budget yields.
      const spec = drainClose(reason, opts.detail);
      let flush = true;
      let since = performance.now();
      for (let i = 0; i < list.length; i++) {
        if (i % 100 === 0) {
          const now = performance.now();
          flush &&= now - t0 < deadlineMs * 0.6;
          if (now - since > deadlineMs) {
            await new Promise<void>((r) => setImmediate(r));
            since = performance.now();
          }
        }
        list[i]!.drain(spec, flush);
      }
      // The deadline is wall-clock on purpose: it bounds real sockets, whatever clock drives logic.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([allClosed, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadlineMs - (performance.now() - t0)))))]);
      clearTimeout(timer);
      const terminated = connections.size;
      for (const c of [...connections]) c.terminate();
      const drainMs = performance.now() - t0;
      pool.stop(1001, CLOSE[reason].reason); // 4.
      await server.close();
      loopDelay?.disable();
      const report: DrainReport = { reason, sessions: list.length, closedGracefully: list.length - terminated, terminated, drainMs };
      logger.info('relay stopped', { ...report });
      emit('stopped', report);
      return report;
    })();
    return stopping;
  }

  return {
    async start() {
      const port = await server.listen();
      loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      pool.start();
      heartbeat.start();
      logger.info('relay listening', { port });
      emit('listening', { port });
      return { port };
    },
    stop,
    metrics: (opts) => collectMetrics({ connections, stats, pool, router, compat, fanout, draining, resetWindow: opts?.resetWindow ?? false, loopDelay }),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (e: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (e: never) => void);
    },
    rotateUpstream: (why) => pool.rotate(why),
    get port() {
      return server.port;
    },
  };
}
