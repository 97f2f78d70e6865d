// What the Electron shell gives core and gets back. The composition root (main/core) supplies a
// `CoreFactory`; the shell calls it once, after `ready`, with the Electron-backed services below.
// Type-only on purpose: nothing here imports electron, so core can depend on it from plain Node.
import type { CoreFacade } from '../core/core-facade.ts';
import type { SystemProxyResolver } from '../net/index.ts';
import type { Encryptor } from '../secrets/encryptor.ts';
import type { ConfLikeClass } from '../settings/settings-store.ts';
import type { Logger } from '../util/log.ts';

export interface DesktopHostServices {
  readonly kind: 'electron';
  /** app.getPath('userData'): settings.json (via settingsStore) and the encrypted secrets file live here. */
  readonly userDataDir: string;
  /** app.getVersion(), for conf's projectVersion and diagnostics. */
  readonly appVersion: string;
  readonly logger: Logger;
  /** electron-store's class, passed to openSettingsStore({ cwd: userDataDir, Store }). */
  readonly settingsStore: ConfLikeClass;
  /** safeStorage behind main/secrets' Encryptor, for the opt-in encrypted-file secret store. */
  readonly encryptor: Encryptor;
  /** session.resolveProxy(url): main/net's system proxy source (a PAC-format answer). */
  readonly systemProxyResolver: SystemProxyResolver;
  /**
   * Called on resume and screen unlock, when the network (and the system proxy) may have
   * changed: core should forget cached system-proxy answers (NetLayer's forget call).
   */
  onNetworkChange(listener: () => void): () => void;
  /** The process environment (HTTPS_PROXY, NO_PROXY, …) as core should see it. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds core (not started). The shell then subscribes to events, calls `start()`, and on quit
 * `stop('shutdown')`. Sandbox vs live is core's decision (no credentials → embedded simulator);
 * the shell only reads `state().platform.mode`.
 */
export type CoreFactory = (host: DesktopHostServices) => Promise<CoreFacade>;
