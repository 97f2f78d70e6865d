// Test helpers for the simulator suites: start a simulator on a ManualClock, get tokens, make JSON
// requests over real HTTP with undici, and read a real notification WebSocket with bounded waits.
import { Agent, request, WebSocket, type Dispatcher } from 'undici';
import { ManualClock } from '../../main/util/clock.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../main/sim/index.ts';

/** Response bodies in tests: asserted field by field (and against the zod models where they exist). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Harness {
  sim: RunningSimulator;
  clock: ManualClock;
  dispatcher: Dispatcher;
  basic: string;
  close(): Promise<void>;
}

export async function startHarness(opts: SimulatorOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const sim = await startSimulator({ clock, eventRatePerSec: 0, ...opts });
  // A private dispatcher per harness so closing one suite never disturbs another.
  const dispatcher = new Agent(sim.caCert ? { connect: { ca: sim.caCert } } : {});
  return {
    sim,
    clock,
    dispatcher,
    basic: 'Basic ' + Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64'),
    async close() {
      await sim.close();
      await dispatcher.close();
    },
  };
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export async function call<T = Json>(
  h: Harness,
  method: Dispatcher.HttpMethod,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const r = await request(h.sim.url + path, { method, headers, body, dispatcher: h.dispatcher, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const text = await r.body.text();
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: r.statusCode, headers: r.headers, body: parsed as T, text };
}

/** A /__sim admin request, authenticated with the sandbox client credentials unless `auth` says otherwise. */
export function adminCall<T = Json>(h: Harness, method: Dispatcher.HttpMethod, path: string, body?: unknown, auth = h.basic): Promise<JsonResponse<T>> {
  return call<T>(h, method, `/__sim${path}`, { ...(body !== undefined ? { body } : {}), headers: { authorization: auth } });
}

/** POST /oauth/token with the sandbox client credentials; the response as it came (see getToken). */
export function tokenRequest<T = Json>(h: Harness): Promise<JsonResponse<T>> {
  return call<T>(h, 'POST', '/oauth/token', {
    rawBody: 'grant_type=client_credentials',
    headers: { authorization: h.basic, 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export async function getToken(h: Harness): Promise<string> {
  const r = await tokenRequest<{ access_token: string }>(h);
  if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${r.text}`);
  return r.body.access_token;
}

/** A connected notification socket that records every frame and can wait for one. */
export interface SocketTap {
  ws: WebSocket;
  messages: Json[];
  closed: Promise<{ code: number; reason: string }>;
  next(pred: (m: Json) => boolean, timeoutMs?: number): Promise<Json>;
  close(): void;
}

export function openSocket(h: Harness, connectUri: string): Promise<SocketTap> {
  const ws = new WebSocket(connectUri, { dispatcher: h.dispatcher });
  const messages: Json[] = [];
  const waiters: Array<{ pred: (m: Json) => boolean; resolve: (m: Json) => void }> = [];
  let seen = 0;
  ws.addEventListener('message', (ev) => {
    const m = JSON.parse(String(ev.data));
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener('close', (ev) => resolve({ code: ev.code, reason: ev.reason })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('websocket did not open within 5 s')), 5000);
    ws.addEventListener('open', () => {
      clearTimeout(timer);
      resolve({
        ws,
        messages,
        closed,
        next(pred, timeoutMs = 5000) {
          const already = messages.slice(seen).find(pred);
          if (already) {
            seen = messages.indexOf(already) + 1;
            return Promise.resolve(already);
          }
          return new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error(`no matching websocket message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`)), timeoutMs);
            waiters.push({
              pred,
              resolve: (m) => {
                clearTimeout(t);
                seen = messages.indexOf(m) + 1;
                res(m);
              },
            });
          });
        },
        close: () => ws.close(),
      });
    });
    ws.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error('websocket failed to open'));
    });
  });
}

/** Resolves with `p`, or rejects after `ms` (bounded waits everywhere). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `cond` every 10 ms until it holds, or rejects after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
