import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autostartDesktopEntry, launchCommand, loginItemPlan, quoteExecArg, xdgConfigHome, type LoginItemEnvironment } from '../../main/electron/policy/login-item.ts';
import { applyAutostartEntry } from '../../main/electron/xdg-autostart.ts';

const linux: LoginItemEnvironment = {
  platform: 'linux',
  execPath: '/opt/Pacekeeper/pacekeeper',
  isPackaged: true,
  appPath: '/opt/Pacekeeper/resources/app.asar',
  configHome: '/home/ops/.config',
};

test('macOS and Windows use setLoginItemSettings; Windows starts hidden', () => {
  assert.deepEqual(loginItemPlan(true, { ...linux, platform: 'darwin' }), { kind: 'login-item-settings', settings: { openAtLogin: true } });
  assert.deepEqual(loginItemPlan(true, { ...linux, platform: 'win32', execPath: 'C:\\P\\Pacekeeper.exe' }), {
    kind: 'login-item-settings',
    settings: { openAtLogin: true, path: 'C:\\P\\Pacekeeper.exe', args: ['--hidden'] },
  });
  const dev = loginItemPlan(false, { ...linux, platform: 'win32', isPackaged: false, execPath: 'C:\\e\\electron.exe', appPath: 'C:\\src\\pacekeeper' });
  assert.deepEqual(dev, { kind: 'login-item-settings', settings: { openAtLogin: false, path: 'C:\\e\\electron.exe', args: ['C:\\src\\pacekeeper', '--hidden'] } });
});

test('Linux writes ~/.config/autostart/pacekeeper.desktop, or removes it', () => {
  const on = loginItemPlan(true, linux);
  assert.equal(on.kind, 'xdg-autostart');
  if (on.kind !== 'xdg-autostart') return;
  assert.equal(on.path, '/home/ops/.config/autostart/pacekeeper.desktop');
  assert.match(on.content ?? '', /^Exec="\/opt\/Pacekeeper\/pacekeeper" "--hidden"$/m);
  assert.deepEqual(loginItemPlan(false, linux), { kind: 'xdg-autostart', path: on.path, content: null });
});

test('the launch command prefers the AppImage and passes the app folder in dev', () => {
  assert.deepEqual(launchCommand({ ...linux, appImage: '/home/ops/Apps/Pacekeeper.AppImage', execPath: '/tmp/.mount_Pace/pacekeeper' }), ['/home/ops/Apps/Pacekeeper.AppImage', '--hidden']);
  assert.deepEqual(launchCommand({ ...linux, appImage: 'relative.AppImage' }), ['/opt/Pacekeeper/pacekeeper', '--hidden']);
  assert.deepEqual(launchCommand({ ...linux, isPackaged: false, execPath: '/repo/node_modules/electron/dist/electron', appPath: '/repo' }), [
    '/repo/node_modules/electron/dist/electron',
    '/repo',
    '--hidden',
  ]);
});

test('the desktop entry has the fields session managers need', () => {
  const text = autostartDesktopEntry(['/usr/bin/pacekeeper', '--hidden']);
  const lines = text.split('\n');
  assert.equal(lines[0], '[Desktop Entry]');
  for (const l of ['Type=Application', 'Name=Pacekeeper', 'Icon=pacekeeper', 'Terminal=false', 'X-GNOME-Autostart-enabled=true']) assert.ok(lines.includes(l), l);
  assert.ok(text.endsWith('\n'));
});

/** Reads an Exec value back per the Desktop Entry spec: string unescaping first, then quoting rules. */
function parseExec(value: string): string[] {
  const unescaped = value.replace(/\\(.)/g, (_m, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? `\\${c}`);
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(unescaped))) args.push(m[1]!.replace(/\\(["`$\\])/g, '$1').replace(/%%/g, '%'));
  return args;
}

test('Exec quoting round-trips awkward paths', () => {
  const paths = ['/opt/My Apps/Pace keeper', '/home/o\'brien/$HOME/a`b`', '/weird\\back\\slash', '/100%/done', '/quote"inside'];
  for (const p of paths) {
    const exec = quoteExecArg(p);
    assert.deepEqual(parseExec(exec), [p], `${p} → ${exec}`);
  }
  assert.equal(quoteExecArg('/100%'), '"/100%%"');
  assert.equal(quoteExecArg('a"b'), '"a\\\\"b"');
  assert.throws(() => quoteExecArg('bad\npath'), RangeError);
});

test('XDG_CONFIG_HOME is used only when absolute', () => {
  assert.equal(xdgConfigHome({ XDG_CONFIG_HOME: '/cfg' }, '/home/ops'), '/cfg');
  assert.equal(xdgConfigHome({ XDG_CONFIG_HOME: 'rel/cfg' }, '/home/ops'), '/home/ops/.config');
  assert.equal(xdgConfigHome({}, '/home/ops'), '/home/ops/.config');
});

test('applyAutostartEntry writes, leaves unchanged, rewrites on change and removes', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pk-autostart-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const plan = loginItemPlan(true, { ...linux, configHome: dir });
  assert.equal(plan.kind, 'xdg-autostart');
  if (plan.kind !== 'xdg-autostart' || plan.content === null) return;
  assert.equal(await applyAutostartEntry(plan.path, plan.content), 'written');
  assert.equal(await readFile(plan.path, 'utf8'), plan.content);
  assert.equal(await applyAutostartEntry(plan.path, plan.content), 'unchanged');
  await writeFile(plan.path, 'stale');
  assert.equal(await applyAutostartEntry(plan.path, plan.content), 'written');
  assert.equal(await applyAutostartEntry(plan.path, null), 'removed');
  await assert.rejects(stat(plan.path), { code: 'ENOENT' });
  assert.equal(await applyAutostartEntry(plan.path, null), 'unchanged');
});
