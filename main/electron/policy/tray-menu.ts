// The tray's context menu as plain data, built from core's state. The glue turns it into an
// Electron Menu and routes each item's action; ids are stable so tests (and the e2e test hook)
// can find and "click" an item without a native menu.
import type { CampaignCommand, CampaignView, CoreState, EventPayload } from '../../../preload/contract.ts';
import { platformLabel, type TrayStatus } from './tray-status.ts';

export type ShellAction =
  | { kind: 'campaign'; command: CampaignCommand }
  | { kind: 'open-dashboard'; navigate?: EventPayload<'navigate'> }
  | { kind: 'run-doctor' }
  | { kind: 'quit' };

export type MenuModelItem =
  | { type: 'normal'; id: string; label: string; enabled: boolean; action?: ShellAction }
  | { type: 'checkbox'; id: string; label: string; checked: boolean; enabled: boolean; action: ShellAction }
  | { type: 'submenu'; id: string; label: string; items: MenuModelItem[] }
  | { type: 'separator'; id: string };

/** Long menus are unusable; the rest are one click away in the dashboard. */
export const MAX_MENU_CAMPAIGNS = 25;
const MAX_LABEL = 48;

export interface TrayMenuInput {
  state: CoreState;
  status: TrayStatus;
  platform: NodeJS.Platform;
  /** For "until 14:05" on an override hold. */
  timeZone?: string;
}

export function buildTrayMenu(input: TrayMenuInput): MenuModelItem[] {
  const { state, status, platform } = input;
  const label = (text: string) => menuLabel(text, platform);
  const items: MenuModelItem[] = [
    { type: 'normal', id: 'platform', label: label(`Pacekeeper — ${platformLabel(state)}`), enabled: false },
  ];
  if (status.reasons[0]) items.push({ type: 'normal', id: 'status', label: label(status.reasons[0]), enabled: false });
  items.push({ type: 'separator', id: 'sep-campaigns' });

  const campaigns = [...state.campaigns].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  if (campaigns.length === 0) items.push({ type: 'normal', id: 'no-campaigns', label: 'No campaigns', enabled: false });
  for (const c of campaigns.slice(0, MAX_MENU_CAMPAIGNS)) items.push(campaignSubmenu(c, input));
  if (campaigns.length > MAX_MENU_CAMPAIGNS) {
    items.push({
      type: 'normal',
      id: 'more-campaigns',
      label: `${campaigns.length - MAX_MENU_CAMPAIGNS} more in the dashboard…`,
      enabled: true,
      action: { kind: 'open-dashboard', navigate: { view: 'overview' } },
    });
  }

  items.push(
    { type: 'separator', id: 'sep-app' },
    { type: 'normal', id: 'open-dashboard', label: 'Open dashboard', enabled: true, action: { kind: 'open-dashboard' } },
    { type: 'normal', id: 'run-doctor', label: 'Run doctor', enabled: true, action: { kind: 'run-doctor' } },
    { type: 'separator', id: 'sep-quit' },
    { type: 'normal', id: 'quit', label: 'Quit Pacekeeper', enabled: true, action: { kind: 'quit' } },
  );
  return items;
}

function campaignSubmenu(c: CampaignView, input: TrayMenuInput): MenuModelItem {
  const label = (text: string) => menuLabel(text, input.platform);
  const id = `campaign:${c.id}`;
  const paused = c.mode === 'paused';
  const overridden = c.mode === 'override' || c.hold !== null;
  const pacing = c.current === null ? 'pacing —' : `pacing ${c.current.toFixed(2)}`;
  const items: MenuModelItem[] = [
    { type: 'normal', id: `${id}:info`, label: `${modeLabel(c.mode)} · ${pacing} (${c.field})`, enabled: false },
    paused
      ? { type: 'normal', id: `${id}:resume`, label: 'Resume tuning', enabled: true, action: { kind: 'campaign', command: { action: 'resume', campaignId: c.id } } }
      : { type: 'normal', id: `${id}:pause`, label: 'Pause tuning', enabled: true, action: { kind: 'campaign', command: { action: 'pause', campaignId: c.id } } },
    {
      type: 'checkbox',
      id: `${id}:dry-run`,
      label: 'Dry run (recommend only)',
      checked: c.mode === 'dry-run',
      enabled: true,
      action: { kind: 'campaign', command: { action: 'dry-run', campaignId: c.id, enabled: c.mode !== 'dry-run' } },
    },
    {
      type: 'normal',
      id: `${id}:release`,
      label: overridden && c.hold ? `Release override (${c.hold.value.toFixed(2)}${holdUntil(c.hold.until, input.timeZone)})` : 'Release override',
      enabled: overridden,
      action: { kind: 'campaign', command: { action: 'release', campaignId: c.id } },
    },
    { type: 'separator', id: `${id}:sep` },
    { type: 'normal', id: `${id}:open`, label: 'Open in dashboard', enabled: true, action: { kind: 'open-dashboard', navigate: { view: 'campaign', campaignId: c.id } } },
  ];
  return { type: 'submenu', id, label: label(`${truncate(c.name)} — ${modeLabel(c.mode)}`), items };
}

export function modeLabel(mode: CampaignView['mode']): string {
  return { auto: 'Auto', paused: 'Paused', 'dry-run': 'Dry run', override: 'Override' }[mode];
}

function holdUntil(until: string | null, timeZone: string | undefined): string {
  if (!until) return '';
  const t = new Date(until);
  if (Number.isNaN(t.getTime())) return '';
  return ` until ${t.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) })}`;
}

function truncate(text: string): string {
  return text.length <= MAX_LABEL ? text : `${text.slice(0, MAX_LABEL - 1)}…`;
}

/** Windows and Linux read "&" as a mnemonic marker; names from the platform must show it literally. */
export function menuLabel(text: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? text : text.replaceAll('&', '&&');
}

/** Depth-first lookup by id (test hook and action routing). */
export function findMenuItem(items: readonly MenuModelItem[], id: string): MenuModelItem | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    if (item.type === 'submenu') {
      const found = findMenuItem(item.items, id);
      if (found) return found;
    }
  }
  return undefined;
}
