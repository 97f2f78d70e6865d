// Every override asks for confirmation in a modal <dialog>: keyboard-operable by default (Tab
// cycles inside it, Escape cancels), with focus on Cancel so a double Enter cannot confirm by
// accident, and focus handed back to the control that opened it.
import { h } from './h.ts';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
}

export type Confirm = (req: ConfirmRequest) => Promise<boolean>;

export function createConfirmDialog(host: HTMLElement): Confirm {
  const title = h('h2', { id: 'confirm-title' });
  const message = h('p', { id: 'confirm-message' });
  const cancel = h('button', { class: 'button', text: 'Cancel', attrs: { type: 'button', value: 'cancel' } });
  const ok = h('button', { class: 'button primary', attrs: { type: 'button', value: 'confirm' } });
  const dialog = h(
    'dialog',
    { class: 'confirm', attrs: { 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message' } },
    title,
    message,
    h('div', { class: 'dialog-actions' }, cancel, ok),
  );
  host.appendChild(dialog);
  let settle: ((v: boolean) => void) | null = null;

  const finish = (v: boolean) => {
    const s = settle;
    settle = null;
    if (dialog.open) dialog.close();
    s?.(v);
  };
  cancel.addEventListener('click', () => finish(false));
  ok.addEventListener('click', () => finish(true));
  // Escape fires 'cancel' and closes the dialog; 'close' covers every other way out.
  // A late 'close' from the previous question must not cancel a dialog that is open again.
  dialog.addEventListener('close', () => {
    if (!dialog.open) finish(false);
  });

  return (req) => {
    if (settle) finish(false);
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    title.textContent = req.title;
    message.textContent = req.message;
    ok.textContent = req.confirmLabel;
    return new Promise<boolean>((resolve) => {
      settle = (v) => {
        resolve(v);
        if (opener?.isConnected) opener.focus();
      };
      dialog.showModal();
      cancel.focus();
    });
  };
}
