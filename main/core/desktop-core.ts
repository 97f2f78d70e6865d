// The Electron shell's core factory: the desktop host's services mapped onto createCore.
import type { CoreFactory } from '../electron/core-factory.ts';
import { createCore } from './create-core.ts';

export const createDesktopCore: CoreFactory = async (host) => {
  const core = await createCore({
    dataDir: host.userDataDir,
    logger: host.logger,
    settingsStoreClass: host.settingsStore,
    encryptor: host.encryptor,
    systemProxyResolver: host.systemProxyResolver,
    env: host.env,
  });
  // Resume/unlock: the system proxy may have changed; forget cached answers.
  host.onNetworkChange(() => core.invalidateProxyCache());
  return core;
};
