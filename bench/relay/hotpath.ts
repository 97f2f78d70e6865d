// Bench helper (not run by `npm run bench`): CPU per delivery of the relay's hot path. Relay and
// simulator in this process, sessions from load-generator children; events are published at a
// fixed rate and process CPU is divided by the deliveries the relay reports. Run it with
// --cpu-prof to see where the time goes.
import { startSimulator } from '../../main/sim/index.ts';
import { startChild } from './ipc.ts';
import { startLocalRelay } from './local-relay.ts';
import { eventTopic, topicName, topicWidths } from './workload.ts';

const N = Number(process.argv[2] ?? 10_000);
const RATE = Number(process.argv[3] ?? 500);
const sim = await startSimulator({ eventRatePerSec: 0, campaigns: 1, rateLimitPerMinute: 1e8 });
const local = await startLocalRelay(sim);
const { relay, port, token } = local;
const widths = [...topicWidths(7, N)];
const gens = [0, 1, 2, 3].map(() => startChild(new URL('./loadgen.ts', import.meta.url).pathname, 1));
await Promise.all(gens.map((g, k) => g.call({ cmd: 'connect', mode: 'relay', host: '127.0.0.1', port, token, from: (k * N) / 4, to: ((k + 1) * N) / 4, seed: 7, widths, probe: -1, localAddresses: [`127.0.0.${30 + k}`], concurrency: 48 }, 300_000)));
let k = 0;
const pad = 'x'.repeat(360);
const timer = setInterval(() => {
  for (let i = 0; i < RATE / 100; i++) {
    const t = eventTopic(k++);
    sim.control.publish(topicName(t), { ts: 0, e: k, t, pad });
  }
}, 10);
await new Promise((r) => setTimeout(r, 2000));
const d0 = relay.metrics().deliveries;
const c0 = process.cpuUsage();
await new Promise((r) => setTimeout(r, 8000));
const c = process.cpuUsage(c0);
const d = relay.metrics().deliveries - d0;
console.log(`${d / 8} deliveries/s; process CPU ${(((c.user + c.system) / 8e6) * 100).toFixed(0)}% (incl. simulator); ${((c.user + c.system) / d).toFixed(2)} µs/delivery (user ${(c.user / d).toFixed(2)}, sys ${(c.system / d).toFixed(2)})`);
clearInterval(timer);
for (const g of gens) await g.call({ cmd: 'exit' }).catch(() => undefined);
await local.close();
await sim.close();
process.exit(0);
