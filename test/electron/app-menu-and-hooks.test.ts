import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applicationMenuTemplate } from '../../main/electron/policy/app-menu.ts';

type MenuItemConstructorOptions = ReturnType<typeof applicationMenuTemplate>[number];
import { startingTrayView } from '../../main/electron/policy/tray-view.ts';
import { installTestHooks, TEST_HOOK_GLOBAL, type PacekeeperTestHook } from '../../main/electron/test-hooks.ts';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);
}

test('every platform can quit from the window menu (no tray on GNOME)', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    assert.ok(roles(applicationMenuTemplate(platform, false)).includes('quit'), platform);
    assert.ok(roles(applicationMenuTemplate(platform, false)).includes('copy'), platform);
  }
});

test('devtools and reload only in dev runs', () => {
  for (const platform of ['linux', 'darwin'] as const) {
    assert.ok(!roles(applicationMenuTemplate(platform, false)).some((r) => r === 'toggleDevTools' || r === 'reload'));
    assert.ok(roles(applicationMenuTemplate(platform, true)).includes('toggleDevTools'));
  }
});

test('the test hook is installed only with PACEKEEPER_TEST=1 and returns plain JSON', (t) => {
  t.after(() => Reflect.deleteProperty(globalThis, TEST_HOOK_GLOBAL));
  const clicks: string[] = [];
  const sources = {
    tray: () => startingTrayView('linux'),
    clickMenuItem: (id: string) => (clicks.push(id), true),
    notifications: () => [{ spec: { kind: 'conflict' as const, campaignId: 'c-1', title: 'T', body: 'B', urgency: 'normal' as const, navigate: { view: 'campaign' as const, campaignId: 'c-1' } }, at: 5 }],
    clickNotification: (i: number) => i === 0,
    window: () => ({ visible: true, url: undefined }),
    secondInstances: () => 2,
  };
  assert.equal(installTestHooks({}, sources), false);
  assert.equal(TEST_HOOK_GLOBAL in globalThis, false);
  assert.equal(installTestHooks({ PACEKEEPER_TEST: '1' }, sources), true);
  const hook = (globalThis as unknown as Record<string, PacekeeperTestHook>)[TEST_HOOK_GLOBAL]!;
  const tray = hook.tray();
  assert.equal(tray?.level, 'paused');
  assert.deepEqual(JSON.parse(JSON.stringify(tray)), tray);
  assert.deepEqual(hook.notifications(), [{ kind: 'conflict', title: 'T', body: 'B', campaignId: 'c-1', at: 5 }]);
  assert.deepEqual(hook.window(), { visible: true, url: null });
  assert.equal(hook.clickMenuItem('quit'), true);
  assert.deepEqual(clicks, ['quit']);
  assert.equal(hook.clickNotification(1), false);
  assert.equal(hook.secondInstances(), 2);
});
