// Bench helper (not run by `npm run bench`): where a relay session's memory goes. Starts the
// simulator and the relay in this process, opens sessions from a child process in two steps, and
// prints the per-session deltas of RSS, V8 heap, external and ArrayBuffer memory after GC.
import { startSimulator } from '../../main/sim/index.ts';
import { startChild } from './ipc.ts';
import { startLocalRelay } from './local-relay.ts';
import { topicWidths } from './workload.ts';

const N = Number(process.argv[2] ?? 4000);
const sim = await startSimulator({ eventRatePerSec: 0, campaigns: 1, rateLimitPerMinute: 1e8 });
const local = await startLocalRelay(sim);
const { relay, port, token } = local;
const gc = (globalThis as { gc?: () => void }).gc as () => void;
const snap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external, ab: m.arrayBuffers };
};
const gen = startChild(new URL('./loadgen.ts', import.meta.url).pathname, undefined);
const widths = [...topicWidths(7, N)];
const connect = (from: number, to: number) =>
  gen.call({ cmd: 'connect', mode: 'relay', host: '127.0.0.1', port, token, from, to, seed: 7, widths, probe: -1, localAddresses: ['127.0.0.20'], concurrency: 48 }, 300_000);
await connect(0, N / 2);
await new Promise((r) => setTimeout(r, 1000));
const a = snap();
await connect(N / 2, N);
await new Promise((r) => setTimeout(r, 1000));
const b = snap();
const per = (k: keyof typeof a) => ((b[k] - a[k]) / (N / 2) / 1024).toFixed(2);
console.log(`per session (KB): rss ${per('rss')}, heap ${per('heap')}, external ${per('external')}, arrayBuffers ${per('ab')}`);
console.log(JSON.stringify(relay.metrics().sessions));
await gen.call({ cmd: 'exit' }).catch(() => undefined);
await local.close();
await sim.close();
process.exit(0);
