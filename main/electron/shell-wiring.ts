// Connects core to the tray, notifications, login item and dashboard. The shell talks to core only
// through CoreFacade: commands and settings go through `dispatch` (validated like any bridge call),
// state and log events come through `on`.
import type { CoreState, DoctorReport, EventLogEntry, EventPayload } from '../../preload/contract.ts';
import type { CoreFacade } from '../core/core-facade.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { applyLoginItem } from './login-item-controller.ts';
import type { Notifier } from './notifier.ts';
import {
  commandFailedNotification,
  doctorFailedNotification,
  doctorNotification,
  freshWarnings,
  notificationForLog,
  notificationsForWarnings,
} from './policy/notification-policy.ts';
import { shellSettingsFrom, type ShellSettings } from './policy/shell-settings.ts';
import type { ShellAction } from './policy/tray-menu.ts';
import type { TrayController } from './tray-controller.ts';

export interface ShellParts {
  core: CoreFacade;
  notifier: Notifier;
  tray: TrayController | undefined;
  clock: Clock;
  logger: Logger;
  /** Shows the dashboard; resolves when it is loaded and visible. */
  showDashboard(): Promise<void>;
  quit(): void;
}

export interface Shell {
  /** Applies a state snapshot (also called once after start, before any state event). */
  applyState(state: CoreState): void;
  runAction(action: ShellAction): Promise<void>;
  openDashboard(navigate?: EventPayload<'navigate'>): Promise<void>;
  refreshSettings(): Promise<void>;
  dispose(): void;
}

export function wireShell(parts: ShellParts): Shell {
  const { core, notifier, tray, clock } = parts;
  const log = parts.logger.child({ component: 'shell' });
  let applied: ShellSettings | undefined;
  let seenWarnings: ReadonlySet<string> = new Set();

  const onState = (state: CoreState) => {
    tray?.update(state, clock.now());
    const { fresh, seen } = freshWarnings(seenWarnings, state.warnings);
    seenWarnings = seen;
    for (const spec of notificationsForWarnings(fresh)) notifier.notify(spec);
  };

  const onLog = (entry: EventLogEntry) => {
    const spec = notificationForLog(entry);
    if (spec) notifier.notify(spec);
    if (entry.kind === 'settings-saved') void shell.refreshSettings();
  };

  const offState = core.on('state', (state) => shell.applyState(state));
  const offLog = core.on('log', onLog);

  const shell: Shell = {
    applyState: onState,

    async openDashboard(navigate) {
      await parts.showDashboard();
      if (navigate) core.navigate(navigate);
    },

    async runAction(action) {
      switch (action.kind) {
        case 'open-dashboard':
          return shell.openDashboard(action.navigate);
        case 'quit':
          return parts.quit();
        case 'run-doctor': {
          const result = await core.dispatch('doctor:run', undefined);
          notifier.notify(result.ok ? doctorNotification(result.value as DoctorReport) : doctorFailedNotification(result.error), { coalesce: false });
          return;
        }
        case 'campaign': {
          const result = await core.dispatch('campaign:command', action.command);
          if (!result.ok) {
            log.warn('tray command failed', { action: action.command.action, campaignId: action.command.campaignId, code: result.error.code });
            notifier.notify(commandFailedNotification(action.command, result.error), { coalesce: false });
          }
          return;
        }
      }
    },

    async refreshSettings() {
      const result = await core.dispatch('settings:get', undefined);
      if (!result.ok) {
        log.warn('settings unavailable to the shell', { code: result.error.code });
        return;
      }
      const next = shellSettingsFrom((result.value as { settings: unknown }).settings);
      if (applied?.coalesceMinutes !== next.coalesceMinutes) notifier.setCoalesceMinutes(next.coalesceMinutes);
      if (applied?.loginItem !== next.loginItem) await applyLoginItem(next.loginItem, log);
      applied = next;
    },

    dispose() {
      offState();
      offLog();
    },
  };
  return shell;
}
