// What every dashboard view shares: the (checked) bridge, the confirmation dialog, the problem
// notices and the clock. Views own their DOM and update it in place, so focus and half-typed
// input survive the state events that arrive every cycle.
import type { EventPayload, PacekeeperBridge } from '../../preload/contract.ts';
import type { Confirm } from '../dom/confirm-dialog.ts';
import { h } from '../dom/h.ts';
import type { Notices } from '../dom/notices.ts';

export type ViewId = EventPayload<'navigate'>['view'];

export const VIEW_LABELS: Readonly<Record<ViewId, string>> = {
  overview: 'Overview',
  campaign: 'Drift',
  proxy: 'Proxy',
  relay: 'Relay',
  events: 'Event log',
  settings: 'Settings',
};

export const VIEW_ORDER: readonly ViewId[] = ['overview', 'campaign', 'proxy', 'relay', 'events', 'settings'];

export interface ViewContext {
  bridge: PacekeeperBridge;
  confirm: Confirm;
  notices: Notices;
  now: () => number;
  /** Re-reads core's state now (after a command), rather than waiting for the next state event. */
  refresh(): void;
}

export interface View {
  readonly id: ViewId;
  readonly element: HTMLElement;
  /** Called when the view becomes visible; `campaignId` when navigation names one. */
  onShow?(campaignId?: string): void;
  onHide?(): void;
}

/** A view's outer section with its heading (focusable, so navigation can move focus to it). */
export function viewSection(id: ViewId, intro?: string): HTMLElement {
  const headingId = `view-${id}-title`;
  return h(
    'section',
    { id: `view-${id}`, class: `view view-${id}`, attrs: { 'aria-labelledby': headingId } },
    h('h2', { id: headingId, text: VIEW_LABELS[id], attrs: { tabindex: -1 } }),
    intro ? h('p', { class: 'view-intro', text: intro }) : null,
  );
}
