import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../main/electron/policy/csp.ts';
import { DASHBOARD_CSP_DIRECTIVES as CSP_DIRECTIVES, serializeCsp } from '../../main/util/dashboard-headers.ts';

function parse(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...src]) => [name!, src]));
}

test('the CSP denies by default and allows only the app itself', () => {
  const csp = parse(CONTENT_SECURITY_POLICY);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), ["'self'"]);
  assert.deepEqual(csp.get('style-src'), ["'self'"]);
  assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  for (const d of ['object-src', 'frame-src', 'worker-src', 'base-uri', 'form-action', 'frame-ancestors']) {
    assert.deepEqual(csp.get(d), ["'none'"], d);
  }
});

test('the CSP has no unsafe keywords, wildcards or remote schemes', () => {
  for (const [name, sources] of parse(CONTENT_SECURITY_POLICY)) {
    for (const s of sources) {
      assert.ok(!/unsafe|\*|^https?:|^wss?:|^blob:|^filesystem:/.test(s), `${name} allows ${s}`);
    }
  }
});

test('serializeCsp writes every directive once, separated by semicolons', () => {
  const text = serializeCsp({ 'default-src': ["'none'"], 'img-src': ["'self'", 'data:'] });
  assert.equal(text, "default-src 'none'; img-src 'self' data:");
  assert.equal(parse(CONTENT_SECURITY_POLICY).size, Object.keys(CSP_DIRECTIVES).length);
});

test('every app:// response carries the CSP and hardening headers', () => {
  const h = securityHeaders();
  assert.equal(h['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
  assert.equal(h['X-Content-Type-Options'], 'nosniff');
  assert.equal(h['Cross-Origin-Opener-Policy'], 'same-origin');
  assert.equal(h['Referrer-Policy'], 'no-referrer');
  assert.match(h['Permissions-Policy'] ?? '', /camera=\(\)/);
  assert.match(h['Permissions-Policy'] ?? '', /geolocation=\(\)/);
});
