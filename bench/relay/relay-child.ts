// The relay under test, alone in its own process so its RSS and CPU are measured by themselves.
// Upstream goes through the real net layer and Genesys client to the simulator. SIGTERM drains.
import type { Relay } from '../../main/relay/index.ts';
import { serve } from './ipc.ts';
import { startLocalRelay } from './local-relay.ts';

let relay: Relay | undefined;

serve(async (msg) => {
  switch (msg.cmd) {
    case 'start': {
      const platform = { url: msg.url as string, clientId: msg.clientId as string, clientSecret: msg.clientSecret as string };
      const local = await startLocalRelay(platform, { limits: { maxSessions: 30_000 } });
      relay = local.relay;
      return { port: local.port, token: local.token, pid: process.pid };
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
