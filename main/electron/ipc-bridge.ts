// The Electron IPC transport of the bridge: one ipcMain.handle per invoke name, the sender checked
// (policy/sender-policy.ts) before core.dispatch validates and serves the request, and core's
// events forwarded to the dashboard on the single event channel as { name, payload }.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { EVENT_NAMES, INVOKE_NAMES, IPC_EVENT_CHANNEL, ipcInvokeChannel, type EventName, type Result } from '../../preload/contract.ts';
import type { CoreFacade } from '../core/core-facade.ts';
import type { Logger } from '../util/log.ts';
import { checkSender, type SenderFrameLike } from './policy/sender-policy.ts';

/** What preload/index.ts receives on IPC_EVENT_CHANNEL. */
export interface IpcEventEnvelope {
  name: EventName;
  payload: unknown;
}

export interface BridgeWindow {
  trustedWebContentsIds(): ReadonlySet<number>;
  send(channel: string, payload: unknown): void;
}

export function registerIpcBridge(core: Pick<CoreFacade, 'dispatch' | 'on'>, window: BridgeWindow, logger: Logger): () => void {
  const log = logger.child({ component: 'ipc' });
  for (const name of INVOKE_NAMES) {
    ipcMain.handle(ipcInvokeChannel(name), async (event: IpcMainInvokeEvent, request: unknown): Promise<Result<unknown>> => {
      const verdict = checkSender({ frame: senderFrame(event), webContentsId: event.sender.id }, window.trustedWebContentsIds());
      if (!verdict.ok) {
        log.warn('bridge request refused', { method: name, reason: verdict.reason });
        return { ok: false, error: { code: 'invalid-sender', message: `Request refused: ${verdict.reason}.` } };
      }
      return core.dispatch(name, request);
    });
  }
  const unsubscribe = EVENT_NAMES.map((name) =>
    core.on(name, (payload) => window.send(IPC_EVENT_CHANNEL, { name, payload } satisfies IpcEventEnvelope)),
  );
  return () => {
    for (const name of INVOKE_NAMES) ipcMain.removeHandler(ipcInvokeChannel(name));
    for (const off of unsubscribe) off();
  };
}

/** senderFrame is null once the frame navigated or died; reading it can also throw then. */
function senderFrame(event: IpcMainInvokeEvent): SenderFrameLike | null {
  try {
    return event.senderFrame;
  } catch {
    return null;
  }
}
