// The relay under test, alone in its own process so its RSS and CPU are measured by themselves.
// Upstream goes through the real net layer and Genesys client to the simulator. SIGTERM drains.
import { randomBytes } from 'node:crypto';
import { createGenesysClient } from '../../main/genesys/client.ts';
import { createNetLayer } from '../../main/net/index.ts';
import { createRelay, type Relay } from '../../main/relay/index.ts';
import { genesysUpstream } from '../../main/relay/genesys-upstream.ts';
import { serve } from './ipc.ts';

let relay: Relay | undefined;
const token = randomBytes(24).toString('base64url');

serve(async (msg) => {
  switch (msg.cmd) {
    case 'start': {
      const secrets = { get: async (name: string) => (name === 'genesys.clientSecret' ? (msg.clientSecret as string) : undefined) };
      const net = await createNetLayer({ config: { proxy: { mode: 'direct' } }, secrets });
      const client = createGenesysClient({ net, apiBaseUrl: msg.url as string, loginBaseUrl: msg.url as string, clientId: msg.clientId as string, secrets });
      relay = createRelay({ token, upstream: genesysUpstream(client), limits: { maxSessions: 30_000 } });
      const { port } = await relay.start();
      return { port, token, pid: process.pid };
    }
    case 'metrics': {
      if (msg.gc) {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        gc?.();
      }
      const m = (relay as Relay).metrics({ resetWindow: Boolean(msg.reset) });
      const mem = process.memoryUsage();
      return { metrics: m, rssKb: Math.round(mem.rss / 1024), heapKb: Math.round(mem.heapUsed / 1024) };
    }
    default:
      throw new Error(`unknown command ${String(msg.cmd)}`);
  }
});

process.on('SIGTERM', () => {
  void (async () => {
    const report = await relay?.stop({ reason: 'restart', deadlineMs: 1000 });
    process.send?.({ event: 'drained', report });
    // Exit as soon as the report is out; nothing else should keep the loop alive.
    setImmediate(() => process.exit(0));
  })();
});
