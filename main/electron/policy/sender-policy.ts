// Which IPC senders main serves (checklist item 17): the app's own page, in the main frame of a
// window the shell created. Anything else (an iframe, a page that navigated away, a frame that
// is gone) gets an 'invalid-sender' error and core is never called.
import { isAppUrl } from './web-guards.ts';

/** The parts of Electron's WebFrameMain the decision needs. */
export interface SenderFrameLike {
  readonly url: string;
  /** null for a main frame. */
  readonly parent: unknown;
}

export interface SenderInfo {
  /** event.senderFrame: null when the frame navigated or was destroyed. */
  frame: SenderFrameLike | null | undefined;
  /** event.sender.id */
  webContentsId: number;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

export function checkSender(sender: SenderInfo, trustedWebContentsIds: ReadonlySet<number>): SenderVerdict {
  if (!trustedWebContentsIds.has(sender.webContentsId)) return { ok: false, reason: 'not a window created by Pacekeeper' };
  const frame = sender.frame;
  if (!frame) return { ok: false, reason: 'sender frame is gone' };
  if (frame.parent !== null) return { ok: false, reason: 'not the main frame' };
  if (!isAppUrl(frame.url)) return { ok: false, reason: 'not the app origin' };
  return { ok: true };
}
