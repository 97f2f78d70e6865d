// Health of the network layer for the dashboard and the doctor: tunnels opened per origin (from the
// undici:proxy:connected diagnostics channel), live pool stats (active/idle), connection and handshake
// latency, the last error per hop and a bounded request log. Everything leaving here passes the
// redactor: diagnostics-channel payloads carry the Proxy-Authorization value.
import diagnostics from 'node:diagnostics_channel';
import type { Duplex } from 'node:stream';
import type { Pool } from 'undici';
import type { Logger } from '../util/log.ts';
import type { Redactor } from '../util/redact.ts';
import type { BreakerSnapshot } from './circuit-breaker.ts';
import type { Hop, NetError } from './errors.ts';

export interface RequestLogEntry {
  at: string;
  method: string;
  /** Origin + path, query removed (it may carry ids or tokens). */
  target: string;
  status?: number;
  error?: string;
  latencyMs: number;
  attempt: number;
  route: string;
}

interface Latency {
  count: number;
  last: number;
  total: number;
  max: number;
}

export interface LatencySummary {
  count: number;
  lastMs: number;
  avgMs: number;
  maxMs: number;
}

export interface OriginHealth {
  /** `direct` or the proxy (host:port). */
  route: string;
  /** host:port of the origin. */
  origin: string;
  tunnelsOpened: number;
  connectionsOpened: number;
  active: number;
  idle: number;
  pending: number;
  /** Proxy CONNECT round trip. */
  connect?: LatencySummary;
  /** Time to a usable origin connection (TCP+TLS direct; CONNECT+TLS through a proxy). */
  handshake?: LatencySummary;
}

export interface HopError {
  code: string;
  message: string;
  fix: string;
  at: string;
}

export interface NetHealthSnapshot {
  at: string;
  origins: OriginHealth[];
  tunnelsOpened: number;
  lastErrors: Partial<Record<Hop, HopError>>;
  requests: RequestLogEntry[];
  breakers: Record<string, BreakerSnapshot>;
}

interface OriginStats {
  route: string;
  origin: string;
  tunnels: number;
  connections: number;
  connect?: Latency;
  handshake?: Latency;
  pools: Set<Pool>;
}

const CHANNEL_TUNNEL = 'undici:proxy:connected';
const CHANNEL_SEND_HEADERS = 'undici:client:sendHeaders';

export interface HealthOptions {
  now: () => number;
  redactor: Redactor;
  logger: Logger;
  /** Log undici:client:sendHeaders at debug level (redacted) — for support sessions. */
  trace?: boolean;
  maxRequests?: number;
}

export class HealthRecorder {
  readonly #o: HealthOptions;
  readonly #origins = new Map<string, OriginStats>();
  readonly #tunnelSockets = new WeakMap<Duplex, OriginStats>();
  readonly #lastErrors: Partial<Record<Hop, HopError>> = {};
  readonly #requests: RequestLogEntry[] = [];
  readonly #onTunnel = (msg: unknown) => this.#tunnelMessage(msg);
  readonly #onSendHeaders = (msg: unknown) => this.#traceMessage(msg);
  #closed = false;

  constructor(o: HealthOptions) {
    this.#o = o;
    diagnostics.subscribe(CHANNEL_TUNNEL, this.#onTunnel);
    if (o.trace) diagnostics.subscribe(CHANNEL_SEND_HEADERS, this.#onSendHeaders);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    diagnostics.unsubscribe(CHANNEL_TUNNEL, this.#onTunnel);
    if (this.#o.trace) diagnostics.unsubscribe(CHANNEL_SEND_HEADERS, this.#onSendHeaders);
  }

  #stats(route: string, origin: string): OriginStats {
    const key = `${route}|${origin}`;
    let s = this.#origins.get(key);
    if (!s) {
      s = { route, origin, tunnels: 0, connections: 0, pools: new Set() };
      this.#origins.set(key, s);
    }
    return s;
  }

  /** Called by the CONNECT interceptor before undici publishes the tunnel; marks the socket as ours. */
  tunnelSocket(route: string, target: string, socket: Duplex, ms: number): void {
    const s = this.#stats(route, target);
    this.#tunnelSockets.set(socket, s);
    s.connect = add(s.connect, ms);
  }

  #tunnelMessage(msg: unknown): void {
    const socket = (msg as { socket?: Duplex } | null)?.socket;
    const s = socket ? this.#tunnelSockets.get(socket) : undefined;
    if (!s) return; // another dispatcher in this process
    s.tunnels += 1;
  }

  #traceMessage(msg: unknown): void {
    const m = msg as { request?: { origin?: unknown; method?: unknown; path?: unknown }; headers?: unknown } | null;
    this.#o.logger.debug('undici sendHeaders', {
      origin: String(m?.request?.origin ?? ''),
      method: String(m?.request?.method ?? ''),
      path: String(m?.request?.path ?? ''),
      headers: typeof m?.headers === 'string' ? m.headers : '',
    });
  }

  originConnected(route: string, origin: string, ms: number): void {
    const s = this.#stats(route, origin);
    s.connections += 1;
    s.handshake = add(s.handshake, ms);
  }

  registerPool(route: string, origin: string, pool: Pool): void {
    this.#stats(route, origin).pools.add(pool);
  }

  error(err: NetError): void {
    this.#lastErrors[err.hop] = {
      code: err.code,
      message: this.#o.redactor.text(err.message),
      fix: this.#o.redactor.text(err.fix),
      at: new Date(this.#o.now()).toISOString(),
    };
  }

  request(e: Omit<RequestLogEntry, 'at'>): void {
    this.#requests.push({ at: new Date(this.#o.now()).toISOString(), ...e, target: this.#o.redactor.text(e.target) });
    const max = this.#o.maxRequests ?? 200;
    if (this.#requests.length > max) this.#requests.splice(0, this.#requests.length - max);
  }

  snapshot(breakers: Record<string, BreakerSnapshot>): NetHealthSnapshot {
    const origins: OriginHealth[] = [];
    let tunnels = 0;
    for (const s of this.#origins.values()) {
      let active = 0;
      let idle = 0;
      let pending = 0;
      for (const p of s.pools) {
        if (p.closed || p.destroyed) {
          s.pools.delete(p); // the Agent drops pools whose connections are all gone
          continue;
        }
        const st = p.stats;
        active += st.running;
        // connected − running: a connection that just finished is idle even before undici marks it
        // free (it waits one event-loop turn before reusing a socket).
        idle += Math.max(0, st.connected - st.running);
        pending += st.pending;
      }
      tunnels += s.tunnels;
      origins.push({
        route: s.route, origin: s.origin, tunnelsOpened: s.tunnels, connectionsOpened: s.connections, active, idle, pending,
        ...(s.connect ? { connect: summary(s.connect) } : {}),
        ...(s.handshake ? { handshake: summary(s.handshake) } : {}),
      });
    }
    return this.#o.redactor.value({
      at: new Date(this.#o.now()).toISOString(),
      origins,
      tunnelsOpened: tunnels,
      lastErrors: { ...this.#lastErrors },
      requests: [...this.#requests],
      breakers,
    }) as NetHealthSnapshot;
  }
}

function add(l: Latency | undefined, ms: number): Latency {
  const v = Math.max(0, ms);
  if (!l) return { count: 1, last: v, total: v, max: v };
  return { count: l.count + 1, last: v, total: l.total + v, max: Math.max(l.max, v) };
}

function summary(l: Latency): LatencySummary {
  return { count: l.count, lastMs: round(l.last), avgMs: round(l.total / l.count), maxMs: round(l.max) };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
