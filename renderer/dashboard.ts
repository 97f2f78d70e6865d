// The dashboard: builds the page inside `root` and drives it from the bridge it is given (Electron
// IPC or the headless host's WebSocket; the dashboard cannot tell). Everything from the bridge is
// schema-checked first; bad data becomes a notice, never a broken page.
import type { CoreState, PacekeeperBridge } from '../preload/contract.ts';
import { checkedBridge } from './bridge/checked-bridge.ts';
import type { ConnectionSource, ConnectionStatus } from './bridge/ws-bridge.ts';
import { HistoryStore } from './charts/history-buffer.ts';
import { createConfirmDialog } from './dom/confirm-dialog.ts';
import { h, setText } from './dom/h.ts';
import { createNotices } from './dom/notices.ts';
import { Banner } from './views/banner.ts';
import { DriftView } from './views/drift-view.ts';
import { EventsView } from './views/events-view.ts';
import { createNav } from './views/nav.ts';
import { OverviewView } from './views/overview-view.ts';
import { ProxyView } from './views/proxy-view.ts';
import { RelayView } from './views/relay-view.ts';
import { SettingsView } from './views/settings-view.ts';
import type { View, ViewContext, ViewId } from './views/view.ts';

export interface DashboardOptions {
  /** The WebSocket transport's status; reconnects trigger a full refetch. */
  connection?: ConnectionSource;
  /** Shown instead of connecting when the page has no access token. */
  missingToken?: boolean;
  now?: () => number;
  initialView?: ViewId;
}

export interface Dashboard {
  show(view: ViewId, campaignId?: string): void;
  stop(): void;
}

export function startDashboard(root: HTMLElement, rawBridge: PacekeeperBridge, options: DashboardOptions = {}): Dashboard {
  const now = options.now ?? (() => Date.now());
  const notices = createNotices();
  const bridge = checkedBridge(rawBridge, (p) => notices.add(`Ignored bad data from Pacekeeper (${p.where})`, p.message));
  const dialogs = h('div', { class: 'dialogs' });
  const ctx: ViewContext = { bridge, confirm: createConfirmDialog(dialogs), notices, now, refresh: () => void refreshState() };
  const history = new HistoryStore();

  const banner = new Banner();
  const overview = new OverviewView(ctx);
  const drift = new DriftView(ctx, history);
  const proxy = new ProxyView(ctx);
  const relay = new RelayView(ctx);
  const events = new EventsView(ctx);
  const settings = new SettingsView(ctx);
  const views: View[] = [overview, drift, proxy, relay, events, settings];

  const platform = h('span', { class: 'platform', data: { field: 'platform' } });
  const connection = h('span', { class: 'connection', attrs: { role: 'status' }, data: { field: 'connection' } });
  const nav = createNav((id) => show(id));
  const main = h('main', { id: 'main', attrs: { tabindex: -1 } }, ...views.map((v) => v.element));
  root.replaceChildren(
    h('a', { class: 'skip-link', text: 'Skip to content', attrs: { href: '#main' } }),
    h('header', { class: 'topbar' }, h('h1', { text: 'Pacekeeper' }), platform, connection),
    banner.element,
    notices.element,
    nav.element,
    main,
    dialogs,
  );

  let current: View | null = null;
  function show(id: ViewId, campaignId?: string): void {
    const next = views.find((v) => v.id === id) ?? overview;
    if (current !== next) {
      current?.onHide?.();
      for (const v of views) v.element.hidden = v !== next;
      current = next;
      nav.setCurrent(next.id);
    }
    next.onShow?.(campaignId);
  }

  let latest: CoreState | null = null;
  function applyState(state: CoreState): void {
    // A state:get answer can land after a newer state event; keep the newest.
    if (latest && Date.parse(state.at) < Date.parse(latest.at)) return;
    latest = state;
    const p = state.platform;
    setText(platform, p.mode === 'sandbox' ? 'Sandbox (simulator)' : `Live · ${p.region}`);
    banner.update(state);
    overview.update(state);
    drift.sync(state.campaigns);
    proxy.update(state.proxy);
    relay.update(state.relay, state.telemetry);
    for (const c of state.campaigns) if (!historyRequested.has(c.id)) void loadHistory(c.id);
    for (const id of history.ids()) {
      if (state.campaigns.some((c) => c.id === id)) continue;
      history.delete(id);
      historyRequested.delete(id);
    }
  }

  /** Campaigns whose history was fetched (or is being fetched) since the last (re)connect. */
  const historyRequested = new Set<string>();
  async function loadHistory(campaignId: string): Promise<void> {
    historyRequested.add(campaignId);
    const r = await bridge.invoke('history:get', { campaignId, sinceMs: Math.max(0, Math.floor(now() - history.windowMs)) });
    if (!r.ok) {
      notices.add('Could not load drift history', `${campaignId}: ${r.error.message}`);
      return;
    }
    history.merge(campaignId, r.value.points);
    drift.invalidate(campaignId);
  }

  async function refreshState(): Promise<void> {
    const r = await bridge.invoke('state:get', undefined);
    if (r.ok) applyState(r.value);
  }

  async function loadAll(): Promise<void> {
    const [state, log] = await Promise.all([bridge.invoke('state:get', undefined), bridge.invoke('events:get', { limit: 500 })]);
    if (state.ok) {
      // After a reconnect, history may have gaps: refetch every campaign's (merge keeps what we have).
      historyRequested.clear();
      applyState(state.value);
    } else {
      notices.add('Could not load the state', state.error.message);
    }
    if (log.ok) events.replace(log.value);
    else notices.add('Could not load the event log', log.error.message);
  }

  const offs = [
    bridge.on('state', (s) => applyState(s)),
    bridge.on('history', ({ campaignId, point }) => {
      if (history.append(campaignId, point)) drift.invalidate(campaignId);
    }),
    bridge.on('log', (entry) => events.add(entry)),
    bridge.on('navigate', ({ view, campaignId }) => {
      // A campaign's view focuses that campaign itself; otherwise focus lands on the view's heading.
      show(view, campaignId);
      if (!campaignId) document.getElementById(`view-${view}-title`)?.focus();
    }),
  ];

  const describe = (s: ConnectionStatus): string => {
    if (options.missingToken) return 'Not connected: open the link printed by `pacekeeper headless` (it carries the access token).';
    if (s.state === 'open') return 'Connected';
    if (s.opens === 0 && s.failures >= 3) return 'Cannot connect: the access token may be wrong or expired. Open the link printed by `pacekeeper headless` again.';
    return s.opens === 0 ? 'Connecting…' : 'Connection lost; reconnecting…';
  };
  const conn = options.connection;
  const renderConnection = (s: ConnectionStatus) => {
    setText(connection, describe(s));
    connection.dataset.state = options.missingToken ? 'closed' : s.state;
  };
  if (conn) {
    renderConnection(conn.status());
    offs.push(
      conn.onStatus((s) => {
        renderConnection(s);
        if (s.state === 'open' && s.opens > 1) void loadAll();
      }),
    );
  } else if (options.missingToken) {
    renderConnection({ state: 'closed', opens: 0, failures: 0, lastCode: null });
  } else {
    connection.hidden = true;
  }

  show(options.initialView ?? 'overview');
  if (!options.missingToken) void loadAll();

  return {
    show,
    stop() {
      for (const off of offs) off();
      drift.destroy();
    },
  };
}
