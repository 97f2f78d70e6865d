// Static serving of the built dashboard: the URL → file mapping refuses every way out of the
// directory, and the server answers only GET/HEAD, with the security headers on every response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { contentSecurityPolicy, loopbackOrigins } from '../../main/headless/http-policy.ts';
import { resolveStaticTarget } from '../../main/headless/static-files.ts';
import { startHost, type HostFixture } from './host-fixture.ts';

test('URL → file: the index, assets, and nothing outside or hidden', () => {
  assert.deepEqual(resolveStaticTarget('/'), { ok: true, relative: 'index.html', contentType: 'text/html; charset=utf-8' });
  assert.deepEqual(resolveStaticTarget('/app.js?v=1#x'), { ok: true, relative: 'app.js', contentType: 'text/javascript; charset=utf-8' });
  assert.equal((resolveStaticTarget('/app.js.LEGAL.txt') as { relative: string }).relative, 'app.js.LEGAL.txt');
  const refused: [string, number][] = [
    ['/../outside.txt', 404],
    ['/%2e%2e/outside.txt', 404],
    ['/..%2foutside.txt', 404],
    ['/nested/../../outside.txt', 404],
    ['/./index.html', 404],
    ['/%5c..%5coutside.txt', 400],
    ['/index.html%00.js', 400],
    ['/%E0%A4%A', 400],
    ['/.hidden.js', 404],
    ['/nested/.git/config', 404],
    ['/main.ts', 404],
    ['/server.mjs', 404],
    ['relative.js', 400],
    ['//etc/passwd', 404],
    [`/${'a/'.repeat(9)}x.js`, 404],
  ];
  for (const [url, status] of refused) assert.deepEqual(resolveStaticTarget(url), { ok: false, status }, url);
});

test('the CSP allows only this origin: no inline script or style, no eval, nothing remote', () => {
  const csp = contentSecurityPolicy(loopbackOrigins(4100));
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /style-src 'self'(;|$)/);
  assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:4100 ws:\/\/localhost:4100(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(fx: HostFixture, path: string, o: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: fx.host.port, path, method: o.method ?? 'GET', headers: { host: o.host ?? `127.0.0.1:${fx.host.port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends the request line exactly as written (no client-side path normalisation). */
function raw(fx: HostFixture, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netConnect(fx.host.port, '127.0.0.1', () => s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${fx.host.port}\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d) => (data += String(d)));
    s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    s.on('error', reject);
  });
}

test('serves the dashboard with the security headers; HEAD has no body; other methods get 405', async (t) => {
  const fx = await startHost(t);
  const index = await get(fx, '/');
  assert.equal(index.status, 200);
  assert.match(index.body, /<title>t<\/title>/);
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['content-security-policy'], contentSecurityPolicy(loopbackOrigins(fx.host.port)));
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  assert.equal(index.headers['referrer-policy'], 'no-referrer');
  assert.equal(index.headers['x-frame-options'], 'DENY');
  const js = await get(fx, '/app.js');
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal((await get(fx, '/nested/deep.css')).status, 200);

  const head = await get(fx, '/app.js', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.equal(head.headers['content-length'], String(js.body.length));

  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
    const r = await get(fx, '/', { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.allow, 'GET, HEAD');
    assert.ok(r.headers['content-security-policy'], 'headers on errors too');
  }
  const missing = await get(fx, '/nope.js');
  assert.equal(missing.status, 404);
  assert.ok(missing.headers['content-security-policy']);
});

test('no path traversal over the wire, and a symlink out of the directory is not followed', async (t) => {
  const fx = await startHost(t);
  symlinkSync(join(fx.dir, 'outside.txt'), join(fx.rendererDir, 'link.txt'));
  for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/nested/../../outside.txt', '/..%2f..%2foutside.txt', '/%2e%2e%5coutside.txt', '/.hidden.js', '/link.txt']) {
    const status = await raw(fx, path);
    assert.ok(status === 404 || status === 400, `${path} → ${status}`);
  }
  assert.equal(await raw(fx, '/styles.css'), 200);
});

test('a foreign Host gets 403 even for static files (DNS rebinding)', async (t) => {
  const fx = await startHost(t);
  for (const host of ['evil.example', `evil.example:${fx.host.port}`, `127.0.0.1:${fx.host.port + 1}`]) {
    assert.equal((await get(fx, '/', { host })).status, 403, host);
  }
  assert.equal((await get(fx, '/', { host: `localhost:${fx.host.port}` })).status, 200);
  assert.equal(fx.host.stats().refusedRequests, 3);
});
