// Renderer entry. In Electron the preload exposes the bridge as `window.pacekeeper`; in any other
// browser the page was served by the headless host and builds a WebSocket bridge from the access
// token in the URL fragment. Either way the dashboard gets the same PacekeeperBridge.
import './zod-csp.ts'; // first: configures zod before preload/contract.ts creates its schemas
import type { PacekeeperBridge } from '../preload/contract.ts';
import { takeAccessToken } from './bridge/access-token.ts';
import { createWsBridge } from './bridge/ws-bridge.ts';
import { startDashboard } from './dashboard.ts';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');

const ipc = (window as unknown as { pacekeeper?: PacekeeperBridge }).pacekeeper;
if (ipc) {
  startDashboard(root, ipc);
} else {
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null; // storage blocked by policy: a reload will need the link again
  }
  const token = takeAccessToken({ location: window.location, history: window.history, storage });
  if (token) {
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/bridge`;
    const ws = createWsBridge({ url, token });
    startDashboard(root, ws, { connection: ws });
  } else {
    // No token, no connection attempt: say how to get the link instead.
    const offline: PacekeeperBridge = {
      invoke: () => Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'Not connected.' } }),
      on: () => () => {},
    };
    startDashboard(root, offline, { missingToken: true });
  }
}
