// Load generator process: holds many sessions against one target and records one-way latency
// from each event's scheduled time (stamped by the emitter) to receipt, per topic-width class.
// Speaks the relay protocol or the Genesys Notifications API (direct, or through nginx).
import { Agent, request } from 'node:http';
import { LogHistogram } from '../../main/relay/histogram.ts';
import { serve } from './ipc.ts';
import { MiniWs } from './mini-ws.ts';
import { monoMs, nearThousand, sessionTopics, topicName, widthClass, type WidthClass } from './workload.ts';

interface Session {
  idx: number;
  ws: MiniWs;
  paused: boolean;
}

const CLASSES: Array<WidthClass | 'all'> = ['all', 'narrow', 'mid', 'wide', 'huge'];
let hist = new Map(CLASSES.map((c) => [c, new LogHistogram()]));
let received = 0;
/** Per event on 900–1,100-wide topics (the probe among them): the latest receipt in this process. */
let lastByEvent = new Map<number, number>();
let closes: Record<string, number> = {};
let lastCloseAt = 0;
const sessions: Session[] = [];
let widths: number[] = [];
let probe = -1;

const TS = Buffer.from('"ts":');
const E = Buffer.from('"e":');
const T = Buffer.from('"t":');

/** Parses a non-negative decimal (digits and one dot) without allocating a string. */
function numberAt(buf: Buffer, at: number): number {
  let v = 0;
  let scale = 0;
  for (let i = at; i < buf.length; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (scale) scale *= 10;
    } else if (c === 46 && !scale) scale = 1;
    else break;
  }
  return scale ? v / scale : v;
}

function onText(payload: Buffer, waiting: { resolve?: () => void }): void {
  const ts = payload.indexOf(TS);
  if (ts < 0) {
    // Control traffic: the relay's `subscribed` ack is what a session waits for.
    if (waiting.resolve && payload.includes('"type":"subscribed"')) {
      waiting.resolve();
      waiting.resolve = undefined;
    }
    return;
  }
  const now = monoMs();
  const lat = now - numberAt(payload, ts + TS.length);
  const e = numberAt(payload, payload.indexOf(E, ts) + E.length);
  const t = numberAt(payload, payload.indexOf(T, ts) + T.length);
  received++;
  hist.get('all')!.record(lat);
  const cls = widthClass(widths[t] ?? 0);
  hist.get(cls)!.record(lat);
  if (t === probe || nearThousand(widths[t] ?? 0)) {
    const prev = lastByEvent.get(e);
    if (prev === undefined || lat > prev) lastByEvent.set(e, lat);
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function http(host: string, port: number, method: string, path: string, token: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host, port, method, path, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(data ? { 'content-length': Buffer.byteLength(data) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
        else resolve(text ? JSON.parse(text) : undefined);
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

interface ConnectMsg {
  mode: 'relay' | 'genesys';
  host: string;
  port: number;
  token: string;
  from: number;
  to: number;
  seed: number;
  widths: number[];
  probe: number;
  localAddresses: string[];
  concurrency: number;
}

async function open(m: ConnectMsg, idx: number): Promise<void> {
  const topics = sessionTopics(m.seed, idx).map(topicName);
  const localAddress = m.localAddresses[idx % m.localAddresses.length];
  const waiting: { resolve?: () => void } = {};
  const subscribed = new Promise<void>((resolve) => (waiting.resolve = resolve));
  let path = '/';
  let headers: Record<string, string> = {};
  if (m.mode === 'relay') {
    headers = { 'Sec-WebSocket-Protocol': `pacekeeper.relay.v1, pacekeeper.token.${m.token}` };
  } else {
    const ch = (await http(m.host, m.port, 'POST', '/api/v2/notifications/channels', m.token)) as { id: string; connectUri: string };
    await http(m.host, m.port, 'PUT', `/api/v2/notifications/channels/${ch.id}/subscriptions`, m.token, topics.map((id) => ({ id })));
    // The connectUri names the platform; through nginx the same path goes to the proxy.
    path = new URL(ch.connectUri).pathname;
    waiting.resolve = undefined;
  }
  const ws = new MiniWs({
    host: m.host,
    port: m.port,
    path,
    headers,
    ...(localAddress ? { localAddress } : {}),
    onText: (p) => onText(p, waiting),
    onClose: (code) => {
      closes[code] = (closes[code] ?? 0) + 1;
      lastCloseAt = monoMs();
    },
  });
  await ws.opened;
  sessions.push({ idx, ws, paused: false });
  if (m.mode === 'relay') {
    ws.sendText(JSON.stringify({ type: 'subscribe', id: 1, topics }));
    await subscribed;
  }
}

serve(async (msg) => {
  switch (msg.cmd) {
    case 'connect': {
      const m = msg as unknown as ConnectMsg;
      widths = m.widths;
      probe = m.probe;
      const t0 = monoMs();
      const before = sessions.length;
      let next = m.from;
      let failed = 0;
      let firstError = '';
      const worker = async () => {
        while (next < m.to) {
          const idx = next++;
          try {
            await open(m, idx);
          } catch (e) {
            failed++;
            firstError ||= e instanceof Error ? e.message : String(e);
          }
        }
      };
      await Promise.all(Array.from({ length: m.concurrency }, worker));
      return { connected: sessions.length - before, failed, firstError, ms: monoMs() - t0 };
    }
    case 'reset':
      hist = new Map(CLASSES.map((c) => [c, new LogHistogram()]));
      received = 0;
      lastByEvent = new Map();
      if (msg.closes) {
        closes = {};
        lastCloseAt = 0;
      }
      return {};
    case 'report':
      return {
        received,
        hist: Object.fromEntries([...hist].map(([k, h]) => [k, h.export()])),
        lastByEvent: [...lastByEvent],
        closes,
        lastCloseAt,
        open: sessions.length,
      };
    case 'pause': {
      let n = 0;
      for (const s of sessions) if (s.idx % (msg.every as number) === 0) {
        s.ws.pause();
        s.paused = true;
        n++;
      }
      return { paused: n };
    }
    case 'resume':
      for (const s of sessions) if (s.paused) s.ws.resume();
      return {};
    case 'close':
      for (const s of sessions) s.ws.close();
      sessions.length = 0;
      return {};
    case 'exit':
      setImmediate(() => process.exit(0));
      return {};
    default:
      throw new Error(`unknown command ${String(msg.cmd)}`);
  }
});
