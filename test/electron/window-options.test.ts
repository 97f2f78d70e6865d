import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardWindowOptions, secureWebPreferences, webPreferencesViolations } from '../../main/electron/policy/window-options.ts';

const input = { preloadPath: '/app/dist/preload/index.cjs', platform: 'linux' as const, iconPath: '/app/dist/assets/icon.png', devTools: false };

test('the dashboard window is isolated, sandboxed and has no Node', () => {
  const prefs = dashboardWindowOptions(input).webPreferences;
  assert.ok(prefs);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.enableBlinkFeatures, undefined);
  assert.equal(prefs.preload, input.preloadPath);
  assert.equal(prefs.devTools, false);
  assert.deepEqual(webPreferencesViolations(prefs), []);
});

test('the window starts hidden and gets the icon only where the OS uses it', () => {
  const linux = dashboardWindowOptions(input);
  assert.equal(linux.show, false);
  assert.equal(linux.icon, input.iconPath);
  assert.equal(dashboardWindowOptions({ ...input, platform: 'darwin' }).icon, undefined);
  assert.equal(dashboardWindowOptions({ ...input, iconPath: undefined as unknown as string }).icon, undefined);
});

test('devTools follow the dev flag only', () => {
  assert.equal(secureWebPreferences('/p.cjs', true).devTools, true);
  assert.equal(secureWebPreferences('/p.cjs', true).sandbox, true);
});

test('weakening any checklist flag is reported', () => {
  const base = secureWebPreferences('/p.cjs', false);
  const cases: [Partial<typeof base>, RegExp][] = [
    [{ contextIsolation: false }, /contextIsolation/],
    [{ sandbox: false }, /sandbox/],
    [{ nodeIntegration: true }, /nodeIntegration must/],
    [{ nodeIntegrationInWorker: true }, /InWorker/],
    [{ nodeIntegrationInSubFrames: true }, /InSubFrames/],
    [{ webSecurity: false }, /webSecurity/],
    [{ allowRunningInsecureContent: true }, /insecure/i],
    [{ experimentalFeatures: true }, /experimental/],
    [{ enableBlinkFeatures: 'CSSOMSmoothScroll' }, /Blink/],
    [{ webviewTag: true }, /webview/],
    [{ preload: '' }, /preload/],
  ];
  for (const [change, message] of cases) {
    const violations = webPreferencesViolations({ ...base, ...change });
    assert.equal(violations.length, 1, JSON.stringify(change));
    assert.match(violations[0]!, message);
  }
  assert.deepEqual(webPreferencesViolations(undefined), ['webPreferences missing']);
});
