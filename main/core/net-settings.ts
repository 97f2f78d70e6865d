// Settings → the net layer's NetConfig. The settings speak the user's language (system / env /
// explicit / direct proxy); the net layer speaks dispatcher terms (auto / fixed / direct).
import type { NetConfigInput } from '../net/index.ts';
import type { ReadonlySettings } from '../settings/settings-store.ts';

export interface NetSettingsMapping {
  config: NetConfigInput;
  /** Whether the OS/PAC resolver may be consulted (only in `system` mode). */
  useSystemResolver: boolean;
  /** Whether HTTPS_PROXY/HTTP_PROXY/NO_PROXY are read (system and env modes). */
  useEnvironment: boolean;
}

export function netConfigFromSettings(s: Pick<ReadonlySettings, 'proxy' | 'tls' | 'net'>): NetSettingsMapping {
  const mode = s.proxy.mode;
  const config: NetConfigInput = {
    proxy: {
      mode: mode === 'explicit' ? 'fixed' : mode === 'direct' ? 'direct' : 'auto',
      ...(s.proxy.url ? { url: s.proxy.url } : {}),
      ...(s.proxy.username ? { username: s.proxy.username } : {}),
      // An empty list means "not set": the environment's NO_PROXY then applies.
      ...(s.proxy.noProxy.length ? { noProxy: [...s.proxy.noProxy] } : {}),
    },
    tls: { caBundlePaths: [...s.tls.caBundlePaths] },
    timeouts: {
      proxyConnectMs: s.proxy.connectTimeoutMs,
      operationMs: s.net.requestDeadlineMs,
    },
    pool: {
      connectionsPerOrigin: s.net.connectionsPerOrigin,
      keepAliveIdleMs: s.net.keepAliveMs,
    },
  };
  return { config, useSystemResolver: mode === 'system', useEnvironment: mode === 'system' || mode === 'env' };
}
