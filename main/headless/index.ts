// The headless host: `pacekeeper headless` serves the dashboard and the bridge on 127.0.0.1.
export { startHeadlessHost, HeadlessHostError, DEFAULT_HEADLESS_LIMITS } from './headless-host.ts';
export type { HeadlessHost, HeadlessHostOptions, HeadlessHostStats, HeadlessLimits } from './headless-host.ts';
export { BRIDGE_PATH } from './upgrade-guard.ts';
export { newAccessToken } from './access-token.ts';
