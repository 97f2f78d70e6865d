import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowWebviewAttach,
  BLOCKED_REQUEST_URL_PATTERNS,
  isAllowedExternalUrl,
  isAppUrl,
  navigationDecision,
  permissionDecision,
  windowOpenDecision,
} from '../../main/electron/policy/web-guards.ts';

test('isAppUrl accepts only app://pacekeeper with no port or credentials', () => {
  assert.equal(isAppUrl('app://pacekeeper/index.html'), true);
  assert.equal(isAppUrl('app://pacekeeper/'), true);
  assert.equal(isAppUrl('app://pacekeeper.evil/index.html'), false);
  assert.equal(isAppUrl('app://evil/'), false);
  assert.equal(isAppUrl('app://pacekeeper:1/'), false);
  assert.equal(isAppUrl('app://x@pacekeeper/'), false);
  assert.equal(isAppUrl('https://pacekeeper/'), false);
  assert.equal(isAppUrl('file:///app/index.html'), false);
  assert.equal(isAppUrl('about:blank'), false);
  assert.equal(isAppUrl(''), false);
});

test('window.open is always denied; allowlisted https help links open in the browser', () => {
  assert.deepEqual(windowOpenDecision('https://evil.example/'), { action: 'deny' });
  assert.deepEqual(windowOpenDecision('app://pacekeeper/index.html'), { action: 'deny' });
  assert.deepEqual(windowOpenDecision('javascript:alert(1)'), { action: 'deny' });
  assert.deepEqual(windowOpenDecision('https://developer.genesys.cloud/routing/outbound/'), {
    action: 'deny',
    openExternal: 'https://developer.genesys.cloud/routing/outbound/',
  });
});

test('external links need https, an allowlisted host, no port and no credentials', () => {
  assert.equal(isAllowedExternalUrl('https://help.mypurecloud.com/articles/x'), true);
  assert.equal(isAllowedExternalUrl('http://help.mypurecloud.com/'), false);
  assert.equal(isAllowedExternalUrl('https://help.mypurecloud.com.evil.example/'), false);
  assert.equal(isAllowedExternalUrl('https://help.mypurecloud.com:8443/'), false);
  assert.equal(isAllowedExternalUrl('https://a:b@help.mypurecloud.com/'), false);
  assert.equal(isAllowedExternalUrl('file:///etc/passwd'), false);
  assert.equal(isAllowedExternalUrl('smb://share/x'), false);
});

test('navigation is always prevented, including to the app itself', () => {
  for (const url of ['app://pacekeeper/other.html', 'https://evil.example/', 'file:///etc/passwd', 'https://help.mypurecloud.com/']) {
    assert.equal(navigationDecision(url).prevent, true, url);
  }
  assert.equal(navigationDecision('https://evil.example/').openExternal, undefined);
  assert.equal(navigationDecision('https://help.mypurecloud.com/a').openExternal, 'https://help.mypurecloud.com/a');
});

test('every permission is denied and webviews never attach', () => {
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
    assert.equal(permissionDecision(p, 'app://pacekeeper'), false, p);
  }
  assert.equal(allowWebviewAttach(), false);
});

test('pages cannot make web or file requests at the session level', () => {
  for (const scheme of ['http', 'https', 'ws', 'wss', 'file']) {
    assert.ok(BLOCKED_REQUEST_URL_PATTERNS.some((p) => p.startsWith(`${scheme}://`)), scheme);
  }
  assert.ok(!BLOCKED_REQUEST_URL_PATTERNS.some((p) => p.startsWith('app:')));
});
