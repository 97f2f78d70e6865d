import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrayMenu, findMenuItem, MAX_MENU_CAMPAIGNS, menuLabel, type MenuModelItem, type ShellAction } from '../../main/electron/policy/tray-menu.ts';
import { trayStatus } from '../../main/electron/policy/tray-status.ts';
import { startingTrayView, toMenuTemplate, trayView } from '../../main/electron/policy/tray-view.ts';
import { CampaignCommandSchema } from '../../preload/contract.ts';
import { campaign, coreState, iso, NOW } from './fixtures.ts';

const menuFor = (state = coreState(), platform: NodeJS.Platform = 'linux') =>
  buildTrayMenu({ state, status: trayStatus(state, NOW), platform, timeZone: 'UTC' });

test('the menu leads with the platform, then campaigns, dashboard, doctor and quit', () => {
  const ids = menuFor().map((i) => i.id);
  assert.deepEqual(ids, ['platform', 'sep-campaigns', 'campaign:c-1', 'sep-app', 'open-dashboard', 'run-doctor', 'sep-quit', 'quit']);
  const platform = findMenuItem(menuFor(), 'platform');
  assert.ok(platform?.type === 'normal' && /Sandbox/.test(platform.label) && !platform.enabled);
  assert.deepEqual(actionOf(menuFor(), 'quit'), { kind: 'quit' });
  assert.deepEqual(actionOf(menuFor(), 'run-doctor'), { kind: 'run-doctor' });
  assert.deepEqual(actionOf(menuFor(), 'open-dashboard'), { kind: 'open-dashboard' });
});

test('a running campaign offers pause, dry run (unchecked) and a disabled release', () => {
  const menu = menuFor();
  const sub = findMenuItem(menu, 'campaign:c-1');
  assert.ok(sub?.type === 'submenu');
  assert.equal(sub.label, 'Spring Sale — Auto');
  assert.deepEqual(actionOf(menu, 'campaign:c-1:pause'), { kind: 'campaign', command: { action: 'pause', campaignId: 'c-1' } });
  assert.equal(findMenuItem(menu, 'campaign:c-1:resume'), undefined);
  const dry = findMenuItem(menu, 'campaign:c-1:dry-run');
  assert.ok(dry?.type === 'checkbox' && !dry.checked);
  assert.deepEqual(dry.action, { kind: 'campaign', command: { action: 'dry-run', campaignId: 'c-1', enabled: true } });
  const release = findMenuItem(menu, 'campaign:c-1:release');
  assert.ok(release?.type === 'normal' && !release.enabled);
  assert.deepEqual(actionOf(menu, 'campaign:c-1:open'), { kind: 'open-dashboard', navigate: { view: 'campaign', campaignId: 'c-1' } });
  const info = findMenuItem(menu, 'campaign:c-1:info');
  assert.ok(info?.type === 'normal' && /pacing 2\.10/.test(info.label) && /maxCallsPerAgentDecimal/.test(info.label));
});

test('a paused campaign offers resume; a dry-run campaign is checked and toggles off', () => {
  const menu = menuFor(coreState({ campaigns: [campaign({ mode: 'paused' }), campaign({ id: 'c-2', name: 'B', mode: 'dry-run' })] }));
  assert.deepEqual(actionOf(menu, 'campaign:c-1:resume'), { kind: 'campaign', command: { action: 'resume', campaignId: 'c-1' } });
  const dry = findMenuItem(menu, 'campaign:c-2:dry-run');
  assert.ok(dry?.type === 'checkbox' && dry.checked);
  assert.deepEqual(dry.action, { kind: 'campaign', command: { action: 'dry-run', campaignId: 'c-2', enabled: false } });
});

test('an override shows its value and end time and can be released', () => {
  const state = coreState({ campaigns: [campaign({ mode: 'override', hold: { value: 1.5, until: iso(Date.UTC(2026, 0, 5, 14, 5)) } })] });
  const release = findMenuItem(menuFor(state), 'campaign:c-1:release');
  assert.ok(release?.type === 'normal' && release.enabled);
  assert.equal(release.label, 'Release override (1.50 until 14:05)');
  assert.deepEqual(release.action, { kind: 'campaign', command: { action: 'release', campaignId: 'c-1' } });
});

test('every campaign action is a valid bridge command', () => {
  const state = coreState({ campaigns: [campaign(), campaign({ id: 'c-2', mode: 'paused' }), campaign({ id: 'c-3', mode: 'override', hold: { value: 2, until: null } })] });
  const actions: ShellAction[] = [];
  const walk = (items: MenuModelItem[]) => items.forEach((i) => (i.type === 'submenu' ? walk(i.items) : 'action' in i && i.action && actions.push(i.action)));
  walk(menuFor(state));
  const commands = actions.filter((a) => a.kind === 'campaign');
  assert.ok(commands.length >= 9);
  for (const a of commands) assert.ok(CampaignCommandSchema.safeParse(a.command).success, JSON.stringify(a));
});

test('campaigns are sorted by name and capped, with a link to the rest', () => {
  const many = Array.from({ length: MAX_MENU_CAMPAIGNS + 3 }, (_, i) => campaign({ id: `c-${i}`, name: `Campaign ${String(i).padStart(2, '0')}` }));
  const menu = menuFor(coreState({ campaigns: many.reverse() }));
  const subs = menu.filter((i) => i.type === 'submenu');
  assert.equal(subs.length, MAX_MENU_CAMPAIGNS);
  assert.equal(subs[0]!.id, 'campaign:c-0');
  const more = findMenuItem(menu, 'more-campaigns');
  assert.ok(more?.type === 'normal' && more.label.startsWith('3 more'));
  assert.equal(menuFor(coreState({ campaigns: [] })).find((i) => i.id === 'no-campaigns')?.type, 'normal');
});

test('names with "&" are shown literally on Windows and Linux', () => {
  assert.equal(menuLabel('Sales & Renewals', 'win32'), 'Sales && Renewals');
  assert.equal(menuLabel('Sales & Renewals', 'darwin'), 'Sales & Renewals');
  const sub = findMenuItem(menuFor(coreState({ campaigns: [campaign({ name: 'A&B' })] }), 'win32'), 'campaign:c-1');
  assert.equal(sub?.type === 'submenu' && sub.label, 'A&&B — Auto');
});

test('a problem appears as a disabled status line', () => {
  const state = coreState({ campaigns: [campaign({ lastDecision: { at: iso(NOW), outcome: 'conflict', oldValue: 2, newValue: 2.1, version: 1, message: '' } })] });
  const status = findMenuItem(menuFor(state), 'status');
  assert.ok(status?.type === 'normal' && !status.enabled && /conflict/.test(status.label));
});

test('trayView combines level, icon, tooltip and menu per platform', () => {
  const view = trayView(coreState({ warnings: [{ code: 'X', message: 'careful' }] }), 'darwin', NOW);
  assert.equal(view.level, 'warning');
  assert.equal(view.icon, 'tray/tray-warningTemplate.png');
  assert.match(view.tooltip, /careful/);
  assert.ok(findMenuItem(view.menu, 'quit'));
  const starting = startingTrayView('win32');
  assert.equal(starting.icon, 'tray/tray-paused.ico');
  assert.ok(findMenuItem(starting.menu, 'open-dashboard') && findMenuItem(starting.menu, 'quit'));
});

test('toMenuTemplate keeps structure and routes clicks to the action', () => {
  const menu = menuFor(coreState({ campaigns: [campaign({ mode: 'dry-run' })] }));
  const clicked: ShellAction[] = [];
  const template = toMenuTemplate(menu, (a) => clicked.push(a));
  assert.equal(template.length, menu.length);
  const sub = template.find((t) => t.id === 'campaign:c-1');
  assert.ok(sub && Array.isArray(sub.submenu));
  const dry = (sub.submenu as { id?: string; type?: string; checked?: boolean; click?: () => void }[]).find((t) => t.id === 'campaign:c-1:dry-run');
  assert.equal(dry?.type, 'checkbox');
  assert.equal(dry?.checked, true);
  dry?.click?.();
  const platform = template.find((t) => t.id === 'platform');
  assert.equal(platform?.click, undefined);
  assert.equal(platform?.enabled, false);
  template.find((t) => t.id === 'quit')?.click?.(undefined as never, undefined as never, undefined as never);
  assert.deepEqual(clicked, [{ kind: 'campaign', command: { action: 'dry-run', campaignId: 'c-1', enabled: false } }, { kind: 'quit' }]);
});

function actionOf(menu: MenuModelItem[], id: string): ShellAction | undefined {
  const item = findMenuItem(menu, id);
  return item && (item.type === 'normal' || item.type === 'checkbox') ? item.action : undefined;
}
