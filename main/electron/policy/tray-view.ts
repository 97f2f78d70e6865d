// Everything the tray shows for one state snapshot (icon, tooltip, menu), and the mapping from the
// menu model to Electron's menu template. The controller applies a view only when it changed.
import type { MenuItemConstructorOptions } from 'electron';
import type { CoreState } from '../../../preload/contract.ts';
import { buildTrayMenu, type MenuModelItem, type ShellAction } from './tray-menu.ts';
import { trayIconFile, trayStatus, trayTooltip, type TrayLevel } from './tray-status.ts';

export interface TrayView {
  level: TrayLevel;
  reasons: string[];
  /** Relative to assets/. */
  icon: string;
  tooltip: string;
  menu: MenuModelItem[];
}

export function trayView(state: CoreState, platform: NodeJS.Platform, nowMs: number, timeZone?: string): TrayView {
  const status = trayStatus(state, nowMs);
  return {
    level: status.level,
    reasons: status.reasons,
    icon: trayIconFile(status.level, platform),
    tooltip: trayTooltip(state, status, platform),
    menu: buildTrayMenu({ state, status, platform, ...(timeZone ? { timeZone } : {}) }),
  };
}

/** The view before core has produced any state: usable menu, neutral icon. */
export function startingTrayView(platform: NodeJS.Platform): TrayView {
  return {
    level: 'paused',
    reasons: ['Starting…'],
    icon: trayIconFile('paused', platform),
    tooltip: 'Pacekeeper — starting…',
    menu: [
      { type: 'normal', id: 'status', label: 'Starting…', enabled: false },
      { type: 'separator', id: 'sep-app' },
      { type: 'normal', id: 'open-dashboard', label: 'Open dashboard', enabled: true, action: { kind: 'open-dashboard' } },
      { type: 'separator', id: 'sep-quit' },
      { type: 'normal', id: 'quit', label: 'Quit Pacekeeper', enabled: true, action: { kind: 'quit' } },
    ],
  };
}

export function toMenuTemplate(items: readonly MenuModelItem[], onAction: (action: ShellAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator', id: item.id };
      case 'submenu':
        return { type: 'submenu', id: item.id, label: item.label, submenu: toMenuTemplate(item.items, onAction) };
      case 'checkbox':
        return { type: 'checkbox', id: item.id, label: item.label, checked: item.checked, enabled: item.enabled, click: () => onAction(item.action) };
      case 'normal': {
        const action = item.action;
        return { type: 'normal', id: item.id, label: item.label, enabled: item.enabled, ...(action ? { click: () => onAction(action) } : {}) };
      }
    }
  });
}
