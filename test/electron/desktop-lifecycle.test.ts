// The pre-`ready` steps of the Electron glue (main/electron/desktop-app.ts). Without the Electron
// binary they cannot run, so the order Electron requires is checked in the source: the
// single-instance lock, app.enableSandbox(), the privileged app:// scheme and the Windows
// AppUserModelID all come before app.whenReady(), and a second launch shows the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { APP_ID, appUserModelId } from '../../main/electron/policy/app-identity.ts';

/** desktop-app.ts's runDesktop body, comments removed (so a commented-out call does not count). */
function runDesktopSource(): string {
  const text = readFileSync('main/electron/desktop-app.ts', 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const start = text.indexOf('export function runDesktop(');
  const end = text.indexOf('\nasync function start(');
  assert.ok(start >= 0 && end > start, 'runDesktop and start are found');
  return text.slice(start, end);
}

const at = (src: string, needle: string) => {
  const i = src.indexOf(needle);
  assert.ok(i >= 0, `${needle} is called in runDesktop`);
  return i;
};

test('before ready: single-instance lock, then enableSandbox, the app:// scheme and the AUMID', () => {
  const src = runDesktopSource();
  const ready = at(src, 'app.whenReady()');
  const lock = at(src, 'app.requestSingleInstanceLock()');
  const sandbox = at(src, 'app.enableSandbox()');
  const scheme = at(src, 'registerAppScheme()');
  const aumid = at(src, 'app.setAppUserModelId(');
  assert.ok(lock < sandbox, 'a second instance leaves before doing anything else');
  for (const [name, i] of Object.entries({ sandbox, scheme, aumid })) assert.ok(i < ready, `${name} before ready`);
});

test('a second launch shows the existing window (the way in where no tray is visible)', () => {
  const src = runDesktopSource();
  const handler = src.slice(at(src, "app.on('second-instance'"));
  assert.match(handler.slice(0, 200), /window\?\.show\(\)/);
  assert.match(src, /app\.on\('window-all-closed', \(\) => \{\}\)/, 'closing the window does not quit the tray app');
});

test('the AppUserModelID is set on Windows only, and equals the appId', () => {
  assert.equal(appUserModelId('win32'), APP_ID);
  assert.equal(appUserModelId('darwin'), undefined);
  assert.equal(appUserModelId('linux'), undefined);
});
