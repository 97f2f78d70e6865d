// The system proxy source for main/net: Chromium's resolver (OS settings, PAC, WPAD) through the
// default session. Answers are PAC strings ("PROXY host:port; DIRECT"), which main/net parses.
import { powerMonitor, session } from 'electron';
import type { SystemProxyResolver } from '../net/index.ts';

export const systemProxyResolver: SystemProxyResolver = (url) => session.defaultSession.resolveProxy(url);

/** Resume and unlock are when laptops change networks; core then drops cached proxy answers. */
export function onNetworkChange(listener: () => void): () => void {
  powerMonitor.on('resume', listener);
  powerMonitor.on('unlock-screen', listener);
  return () => {
    powerMonitor.off('resume', listener);
    powerMonitor.off('unlock-screen', listener);
  };
}
