// The relay as the benchmarks run it: upstream through the real net layer and Genesys client to a
// simulator, a fresh token, started on an ephemeral loopback port. Shared by relay-child.ts and the
// in-process helpers (hotpath.ts, memprobe.ts).
import { randomBytes } from 'node:crypto';
import { createGenesysClient } from '../../main/genesys/client.ts';
import { createNetLayer } from '../../main/net/index.ts';
import { createRelay, type Relay, type RelayOptions } from '../../main/relay/index.ts';
import { genesysUpstream } from '../../main/relay/genesys-upstream.ts';

/** Where the simulator listens and its OAuth client (a RunningSimulator has these fields). */
export interface PlatformInfo {
  url: string;
  clientId: string;
  clientSecret: string;
}

export interface LocalRelay {
  relay: Relay;
  port: number;
  token: string;
  /** Stops the relay (short drain), then the Genesys client and the net layer. */
  close(): Promise<void>;
}

export async function startLocalRelay(platform: PlatformInfo, overrides: Omit<Partial<RelayOptions>, 'token' | 'upstream'> = {}): Promise<LocalRelay> {
  const secrets = { get: async (name: string) => (name === 'genesys.clientSecret' ? platform.clientSecret : undefined) };
  const net = await createNetLayer({ config: { proxy: { mode: 'direct' } }, secrets });
  const client = createGenesysClient({ net, apiBaseUrl: platform.url, loginBaseUrl: platform.url, clientId: platform.clientId, secrets });
  const token = randomBytes(24).toString('base64url');
  const relay = createRelay({ token, upstream: genesysUpstream(client), ...overrides });
  const { port } = await relay.start();
  return {
    relay,
    port,
    token,
    async close() {
      await relay.stop({ deadlineMs: 500 });
      client.close();
      await net.close();
    },
  };
}
