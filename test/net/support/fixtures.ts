// Shared setup for the net and genesys integration tests: the HTTPS simulator (the target), the
// proxy rig in front of it, and small builders for net layers and secret sources.
import type { Clock } from '../../../main/util/clock.ts';
import type { Logger } from '../../../main/util/log.ts';
import { createNetLayer, type NetLayer, type SecretName, type SecretSource } from '../../../main/net/index.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../main/sim/index.ts';
import { startProxyRig, type ProxyRig, type RigComponent } from '../../helpers/proxy-rig.ts';
import type { Capture } from './secret-capture.ts';

export interface Fixture {
  sim: RunningSimulator;
  rig: ProxyRig | undefined;
  simPort: number;
  close(): Promise<void>;
}

export async function startFixture(o: { rig?: RigComponent[] | false; sim?: SimulatorOptions; capture?: Capture } = {}): Promise<Fixture> {
  const sim = await startSimulator({ https: true, seed: 11, rateLimitPerMinute: 100_000, eventRatePerSec: 0, ...o.sim });
  const simPort = Number(new URL(sim.url).port);
  let rig: ProxyRig | undefined;
  try {
    if (o.rig !== false) rig = await startProxyRig({ originCaPath: sim.caPem as string, allowedPorts: [simPort], ...(o.rig ? { components: o.rig } : {}) });
  } catch (e) {
    await sim.close();
    throw e;
  }
  o.capture?.secret(sim.clientSecret, rig?.squidUser.password, rig?.tinyproxyUser.password);
  return {
    sim, rig, simPort,
    close: async () => {
      await Promise.all([rig?.stop(), sim.close()]);
    },
  };
}

/** A mutable secret source, like the keychain: tests change values to simulate rotation. */
export class MapSecrets implements SecretSource {
  readonly values = new Map<SecretName, string>();
  reads = 0;
  constructor(init: Partial<Record<SecretName, string | undefined>> = {}) {
    for (const [k, v] of Object.entries(init)) if (v !== undefined) this.values.set(k as SecretName, v);
  }
  async get(name: SecretName): Promise<string | undefined> {
    this.reads++;
    return this.values.get(name);
  }
  async set(name: SecretName, value: string): Promise<void> {
    this.values.set(name, value);
  }
}

export interface NetOptions {
  proxyUrl?: string;
  username?: string;
  caPaths: string[];
  secrets: SecretSource;
  logger?: Logger;
  clock?: Clock;
  env?: Record<string, string>;
  extra?: Record<string, unknown>;
  systemProxyResolver?: (url: string) => Promise<string>;
  trace?: boolean;
}

/** A net layer for the rig: loopback is proxied (test rigs only) and timeouts are short. */
export function netFor(o: NetOptions): Promise<NetLayer> {
  const extra = o.extra ?? {};
  const proxy = o.proxyUrl
    ? { mode: 'fixed', url: o.proxyUrl, bypassLoopback: false, ...(o.username !== undefined ? { username: o.username } : {}) }
    : o.systemProxyResolver || o.env ? { mode: 'auto', bypassLoopback: false } : { mode: 'direct' };
  return createNetLayer({
    config: {
      proxy: { ...proxy, ...(extra.proxy as object | undefined) },
      tls: { caBundlePaths: o.caPaths },
      timeouts: { proxyConnectMs: 3_000, connectResponseMs: 1_500, tlsHandshakeMs: 5_000, headersMs: 10_000, bodyMs: 10_000, operationMs: 30_000, websocketOpenMs: 5_000, ...(extra.timeouts as object | undefined) },
      retry: { baseDelayMs: 20, maxDelayMs: 100, ...(extra.retry as object | undefined) },
      ...(extra.pool ? { pool: extra.pool } : {}),
      ...(extra.breaker ? { breaker: extra.breaker } : {}),
    },
    secrets: o.secrets,
    env: o.env ?? {},
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.systemProxyResolver ? { systemProxyResolver: o.systemProxyResolver } : {}),
    ...(o.trace ? { trace: true } : {}),
  });
}

/** Runs `fn` and returns its error (or undefined), with the elapsed wall time. */
export async function outcome<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const t0 = Date.now();
  try {
    const value = await fn();
    return { value, ms: Date.now() - t0 };
  } catch (error) {
    return { error, ms: Date.now() - t0 };
  }
}

/** Polls `cond` every 10 ms until it holds; fails after `timeoutMs`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * squid's CONNECT-200 count once its access log has stopped growing for `quietMs` (bounded at
 * `maxMs`): squid logs a tunnel when it closes, so lines arrive a little after the client closed it.
 */
export async function settledSquidConnects(rig: ProxyRig, quietMs = 400, maxMs = 5_000): Promise<number> {
  const count = () => rig.squidConnects().filter((c) => c.status === 200).length;
  const end = Date.now() + maxMs;
  let last = count();
  let stableSince = Date.now();
  while (Date.now() < end && Date.now() - stableSince < quietMs) {
    await new Promise((r) => setTimeout(r, 50));
    const now = count();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
  return last;
}
