import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSender } from '../../main/electron/policy/sender-policy.ts';

const trusted = new Set([7]);
const mainFrame = { url: 'app://pacekeeper/index.html', parent: null };

test('the app page in the main frame of our window is served', () => {
  assert.deepEqual(checkSender({ frame: mainFrame, webContentsId: 7 }, trusted), { ok: true });
  assert.deepEqual(checkSender({ frame: { ...mainFrame, url: 'app://pacekeeper/index.html#/campaign/c-1' }, webContentsId: 7 }, trusted), { ok: true });
});

test('other web contents are refused even from the app origin', () => {
  const v = checkSender({ frame: mainFrame, webContentsId: 8 }, trusted);
  assert.equal(v.ok, false);
  assert.equal(checkSender({ frame: mainFrame, webContentsId: 7 }, new Set()).ok, false);
});

test('sub-frames are refused', () => {
  const v = checkSender({ frame: { url: 'app://pacekeeper/index.html', parent: { url: 'app://pacekeeper/index.html' } }, webContentsId: 7 }, trusted);
  assert.deepEqual(v, { ok: false, reason: 'not the main frame' });
});

test('a gone frame (null/undefined senderFrame) is refused', () => {
  assert.deepEqual(checkSender({ frame: null, webContentsId: 7 }, trusted), { ok: false, reason: 'sender frame is gone' });
  assert.equal(checkSender({ frame: undefined, webContentsId: 7 }, trusted).ok, false);
});

test('other origins in our window are refused', () => {
  for (const url of ['https://evil.example/', 'app://evil/index.html', 'file:///tmp/x.html', 'about:blank', 'devtools://devtools/bundled/x.html', 'app://pacekeeper:99/']) {
    assert.deepEqual(checkSender({ frame: { url, parent: null }, webContentsId: 7 }, trusted), { ok: false, reason: 'not the app origin' }, url);
  }
});
