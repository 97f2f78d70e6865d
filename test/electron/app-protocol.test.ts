import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { APP_SCHEME_PRIVILEGES, mimeTypeFor, resolveAppRequest } from '../../main/electron/policy/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/policy/csp.ts';

const ROOT = join(sep, 'opt', 'Pacekeeper', 'resources', 'app.asar', 'dist', 'renderer');

test('the root and index.html map to the renderer index, with the CSP header', () => {
  for (const url of ['app://pacekeeper/', 'app://pacekeeper', 'app://pacekeeper/index.html', 'app://pacekeeper/index.html?x=1#/campaign/c-1']) {
    const d = resolveAppRequest(url, 'GET', ROOT);
    assert.equal(d.kind, 'file', url);
    if (d.kind !== 'file') continue;
    assert.equal(d.filePath, join(ROOT, 'index.html'));
    assert.equal(d.headers['Content-Type'], 'text/html; charset=utf-8');
    assert.equal(d.headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
  }
});

test('bundle files are served with their MIME type', () => {
  const d = resolveAppRequest('app://pacekeeper/renderer/app.js', 'HEAD', ROOT);
  assert.equal(d.kind, 'file');
  if (d.kind === 'file') {
    assert.equal(d.filePath, join(ROOT, 'renderer', 'app.js'));
    assert.equal(d.headers['Content-Type'], 'text/javascript; charset=utf-8');
  }
  assert.equal(mimeTypeFor('styles.CSS'), 'text/css; charset=utf-8');
  assert.equal(mimeTypeFor('blob.bin'), 'application/octet-stream');
});

test('paths that climb out of the renderer folder are refused', () => {
  for (const url of [
    'app://pacekeeper/..%2fmain%2findex.mjs',
    'app://pacekeeper/..%5c..%5cpackage.json',
    'app://pacekeeper/index.html%00.png',
  ]) {
    const d = resolveAppRequest(url, 'GET', ROOT);
    assert.equal(d.kind, 'error', url);
    if (d.kind === 'error') assert.ok(d.status === 403 || d.status === 400, `${url} → ${d.status}`);
  }
});

test('whatever the URL, a served file stays inside the root', () => {
  // The URL parser already resolves dot segments (even %2e%2e) against the root, so these cannot climb.
  const tricky = ['/./index.html', '/a/b/../c.js', '/%2e%2e/main/index.mjs', '/a/%2E%2E/%2E%2E/package.json', '//double//slash.js', '/%20space.css'];
  for (const p of tricky) {
    const d = resolveAppRequest(`app://pacekeeper${p}`, 'GET', ROOT);
    assert.equal(d.kind, 'file', p);
    if (d.kind === 'file') assert.ok(d.filePath.startsWith(ROOT + sep), `${p} → ${d.filePath}`);
  }
});

test('other hosts, ports, credentials and methods are refused', () => {
  assert.deepEqual(pick(resolveAppRequest('app://evil/index.html', 'GET', ROOT)), { kind: 'error', status: 403 });
  assert.deepEqual(pick(resolveAppRequest('app://pacekeeper:8080/index.html', 'GET', ROOT)), { kind: 'error', status: 403 });
  assert.deepEqual(pick(resolveAppRequest('app://u:p@pacekeeper/index.html', 'GET', ROOT)), { kind: 'error', status: 403 });
  assert.deepEqual(pick(resolveAppRequest('file:///etc/passwd', 'GET', ROOT)), { kind: 'error', status: 403 });
  assert.deepEqual(pick(resolveAppRequest('app://pacekeeper/index.html', 'POST', ROOT)), { kind: 'error', status: 405 });
  assert.deepEqual(pick(resolveAppRequest('not a url', 'GET', ROOT)), { kind: 'error', status: 400 });
  assert.deepEqual(pick(resolveAppRequest('app://pacekeeper/assets/', 'GET', ROOT)), { kind: 'error', status: 404 });
});

test('error responses carry the security headers too', () => {
  const d = resolveAppRequest('app://evil/', 'GET', ROOT);
  assert.equal(d.headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
});

test('the scheme is standard and secure, and never bypasses the CSP', () => {
  assert.equal(APP_SCHEME_PRIVILEGES.standard, true);
  assert.equal(APP_SCHEME_PRIVILEGES.secure, true);
  assert.equal(APP_SCHEME_PRIVILEGES.bypassCSP, false);
  assert.equal(APP_SCHEME_PRIVILEGES.allowServiceWorkers, false);
  assert.equal(APP_SCHEME_PRIVILEGES.corsEnabled, false);
});

function pick(d: ReturnType<typeof resolveAppRequest>) {
  return d.kind === 'error' ? { kind: d.kind, status: d.status } : { kind: d.kind };
}
