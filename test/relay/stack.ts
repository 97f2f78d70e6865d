// Test rig for the relay: the real simulator, the real net layer and Genesys client pointed at it,
// and the relay on top, all on loopback with ephemeral ports; plus a small WebSocket client that
// records what the relay sends. Everything is torn down in t.after.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createGenesysClient, type GenesysClient } from '../../main/genesys/client.ts';
import { createNetLayer, type NetLayer, type SecretSource } from '../../main/net/index.ts';
import { createRelay, RELAY_PROTOCOL, TOKEN_PROTOCOL_PREFIX, type PoolEvent, type Relay, type RelayOptions } from '../../main/relay/index.ts';
import { genesysUpstream } from '../../main/relay/genesys-upstream.ts';
import { startSimulator, type RunningSimulator } from '../../main/sim/index.ts';
import type { SimulatorOptions } from '../../main/sim/index.ts';
import type { Clock } from '../../main/util/clock.ts';

export interface TestContextLike {
  after(fn: () => void | Promise<void>): void;
}

export interface Stack {
  sim: RunningSimulator;
  net: NetLayer;
  client: GenesysClient;
  relay: Relay;
  port: number;
  token: string;
  upstreamEvents: PoolEvent[];
}

export type RelayOverrides = Omit<Partial<RelayOptions>, 'upstream' | 'token'>;

/** A valid topic for the sandbox (topics carry UUIDs, like the platform's). */
export function presence(n: number): string {
  return `v2.users.00000000-0000-4000-8000-${n.toString().padStart(12, '0')}.presence`;
}
export function queueTopic(n: number): string {
  return `v2.routing.queues.00000000-0000-4000-9000-${n.toString().padStart(12, '0')}.conversations`;
}

export async function startStack(t: TestContextLike, o: { sim?: SimulatorOptions; relay?: RelayOverrides; clock?: Clock } = {}): Promise<Stack> {
  const sim = await startSimulator({ eventRatePerSec: 0, campaigns: 1, ...(o.clock ? { clock: o.clock } : {}), ...o.sim });
  t.after(() => sim.close());
  const secrets: SecretSource = { get: async (name) => (name === 'genesys.clientSecret' ? sim.clientSecret : undefined) };
  const net = await createNetLayer({ config: { proxy: { mode: 'direct' } }, secrets, ...(o.clock ? { clock: o.clock } : {}) });
  t.after(() => net.close());
  const client = createGenesysClient({ net, apiBaseUrl: sim.url, loginBaseUrl: sim.url, clientId: sim.clientId, secrets, ...(o.clock ? { clock: o.clock } : {}) });
  t.after(() => client.close());
  const token = randomBytes(24).toString('base64url');
  const relay = createRelay({ token, upstream: genesysUpstream(client), ...(o.clock ? { clock: o.clock } : {}), ...o.relay });
  const upstreamEvents: PoolEvent[] = [];
  relay.on('upstream', (e) => upstreamEvents.push(e));
  const { port } = await relay.start();
  t.after(async () => {
    await relay.stop({ deadlineMs: 300 });
  });
  return { sim, net, client, relay, port, token, upstreamEvents };
}

export interface Received {
  type?: string;
  topic?: string;
  seq?: number;
  id?: unknown;
  topics?: string[];
  pending?: string[];
  rejected?: Array<{ topic: string; reason: string }>;
  reason?: string;
  code?: string;
  body?: unknown;
  [k: string]: unknown;
}

export interface ConnectOptions {
  origin?: string;
  host?: string;
  /** Offer the token in the subprotocol list (default) or send it as Authorization. */
  auth?: 'protocol' | 'header' | 'none';
  token?: string;
  path?: string;
}

/** A relay client that records every frame it receives. */
export class TestClient {
  readonly ws: WebSocket;
  readonly messages: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: Array<() => void> = [];

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Received);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => {});
  }

  static open(port: number, token: string, o: ConnectOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const auth = o.auth ?? 'protocol';
      const protocols = auth === 'protocol' ? [RELAY_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${o.token ?? token}`] : [RELAY_PROTOCOL];
      const headers: Record<string, string> = {};
      if (auth === 'header') headers.authorization = `Bearer ${o.token ?? token}`;
      if (o.host) headers.host = o.host;
      const ws = new WebSocket(`ws://127.0.0.1:${port}${o.path ?? '/'}`, protocols, {
        headers,
        perMessageDeflate: false,
        ...(o.origin ? { origin: o.origin } : {}),
      });
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
        ws.terminate();
      });
      ws.once('error', (e) => reject(e));
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The first received message (from the start) matching `pred`; waits up to `timeoutMs`. */
  async next(pred: (m: Received) => boolean, timeoutMs = 5000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.find(pred);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a message; got ${JSON.stringify(this.messages.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async subscribe(topics: string[], id: number | string = Math.random().toString(36).slice(2)): Promise<Received> {
    this.send({ type: 'subscribe', id, topics });
    return this.next((m) => m.type === 'subscribed' && m.id === id, 10_000);
  }

  events(topic?: string): Received[] {
    return this.messages.filter((m) => m.type === 'event' && (topic === undefined || m.topic === topic));
  }

  close(): void {
    this.ws.close();
  }
}

/** Waits until `cond()` is true (polling), failing after `timeoutMs`. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Upgrade status for a raw handshake with the given headers (no WebSocket library rewriting them). */
export function rawUpgrade(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, perMessageDeflate: false });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
  });
}
