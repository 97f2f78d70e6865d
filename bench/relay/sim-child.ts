// The platform stand-in for the benchmark: the project's simulator plus an emitter that publishes
// events on a fixed schedule, each stamped with its *scheduled* monotonic time, so a backlog
// anywhere shows up as latency instead of hiding (notes/wsrelay.md §3, coordinated omission).
import { startSimulator, type RunningSimulator } from '../../main/sim/index.ts';
import { serve } from './ipc.ts';
import { eventTopic, monoMs, topicName } from './workload.ts';

let sim: RunningSimulator | undefined;
let emitting: { stop(): void; done: Promise<{ sent: number; lateMaxMs: number }> } | undefined;
const PAD = 'x'.repeat(360); // envelope + body ≈ 470 B, as in the pilot

function emit(rate: number, durationMs: number, probe: number, probeRate: number): NonNullable<typeof emitting> {
  const s = sim as RunningSimulator;
  const start = monoMs() + 20;
  let k = 0; // scheduled base events
  let p = 0; // scheduled probe events
  let e = 0; // global event number
  let stopped = false;
  let lateMaxMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let finish: (v: { sent: number; lateMaxMs: number }) => void = () => undefined;
  const done = new Promise<{ sent: number; lateMaxMs: number }>((r) => (finish = r));
  const tick = () => {
    const now = monoMs();
    const until = Math.min(now, start + durationMs);
    // Publish every event whose scheduled time has come, in schedule order.
    for (;;) {
      const nextBase = start + (k * 1000) / rate;
      const nextProbe = probeRate > 0 ? start + ((p + 0.5) * 1000) / probeRate : Number.POSITIVE_INFINITY;
      const at = Math.min(nextBase, nextProbe);
      if (at > until) break;
      const topic = at === nextBase ? eventTopic(k++) : (p++, probe);
      lateMaxMs = Math.max(lateMaxMs, now - at);
      s.control.publish(topicName(topic), { ts: at, e: e++, t: topic, pad: PAD });
    }
    if (stopped || now >= start + durationMs) {
      finish({ sent: e, lateMaxMs });
      return;
    }
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      finish({ sent: e, lateMaxMs });
    },
    done,
  };
}

serve(async (msg) => {
  switch (msg.cmd) {
    case 'start': {
      sim = await startSimulator({
        eventRatePerSec: 0,
        campaigns: 1,
        rateLimitPerMinute: 100_000_000,
        limits: { maxChannelsPerClient: msg.maxChannels as number },
      });
      return { url: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, pid: process.pid };
    }
    case 'token': {
      // One token per load generator: its sessions are "the same app" on the platform.
      const s = sim as RunningSimulator;
      const res = await fetchToken(s);
      return { token: res };
    }
    case 'emit': {
      const e = emit(msg.rate as number, msg.durationMs as number, msg.probe as number, msg.probeRate as number);
      emitting = e;
      return await e.done;
    }
    case 'rss': {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      return { rssKb: Math.round(process.memoryUsage().rss / 1024) };
    }
    case 'stats': {
      const s = sim as RunningSimulator;
      const channels = s.control.channels();
      return { channels: channels.length, connected: channels.filter((c) => c.connected).length, counters: s.control.counters() };
    }
    case 'close':
      emitting?.stop();
      await sim?.close();
      return {};
    default:
      throw new Error(`unknown command ${String(msg.cmd)}`);
  }
});

async function fetchToken(s: RunningSimulator): Promise<string> {
  const { request } = await import('node:http');
  const url = new URL('/oauth/token', s.url);
  const basic = Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve((JSON.parse(Buffer.concat(chunks).toString()) as { access_token: string }).access_token);
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.end('grant_type=client_credentials');
  });
}
