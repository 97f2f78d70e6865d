// The e2e test hook: `globalThis.__pacekeeperTest`, installed only when PACEKEEPER_TEST=1.
// Playwright cannot see the tray, native menus or notifications, so tests read and drive them
// here through electronApp.evaluate(). Everything returned is plain JSON.
import type { ShownNotification } from './notifier.ts';
import { testHooksEnabled } from './policy/launch-options.ts';
import type { TrayView } from './policy/tray-view.ts';

export interface TestHookSources {
  tray(): TrayView | undefined;
  clickMenuItem(id: string): boolean;
  notifications(): readonly ShownNotification[];
  clickNotification(index: number): boolean;
  window(): { visible: boolean; url: string | undefined };
  secondInstances(): number;
}

export interface PacekeeperTestHook {
  tray(): { level: string; tooltip: string; icon: string; reasons: string[]; menu: unknown } | null;
  clickMenuItem(id: string): boolean;
  notifications(): { kind: string; title: string; body: string; campaignId: string | null; at: number }[];
  clickNotification(index: number): boolean;
  window(): { visible: boolean; url: string | null };
  secondInstances(): number;
}

export const TEST_HOOK_GLOBAL = '__pacekeeperTest';

export function installTestHooks(env: Readonly<Record<string, string | undefined>>, sources: TestHookSources): boolean {
  if (!testHooksEnabled(env)) return false;
  const hook: PacekeeperTestHook = {
    tray() {
      const view = sources.tray();
      return view ? structuredClone({ level: view.level, tooltip: view.tooltip, icon: view.icon, reasons: view.reasons, menu: view.menu }) : null;
    },
    clickMenuItem: (id) => sources.clickMenuItem(id),
    notifications: () =>
      sources.notifications().map(({ spec, at }) => ({ kind: spec.kind, title: spec.title, body: spec.body, campaignId: spec.campaignId, at })),
    clickNotification: (index) => sources.clickNotification(index),
    window() {
      const w = sources.window();
      return { visible: w.visible, url: w.url ?? null };
    },
    secondInstances: () => sources.secondInstances(),
  };
  Object.defineProperty(globalThis, TEST_HOOK_GLOBAL, { value: Object.freeze(hook), configurable: true });
  return true;
}
