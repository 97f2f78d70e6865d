// The headless transport from the browser's side: the token arrives in the fragment and leaves the
// address bar, a page without it does not connect, a wrong token is refused, and a page from any
// other origin cannot open the bridge even with the right token. (The Host, query-string and
// no-Origin cases need forged headers and are in test/headless/bridge-socket.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { skipUnlessTools, TOOLS } from '../../helpers/system-tools.ts';
import { WS_BRIDGE_PROTOCOL } from '../../../preload/contract.ts';
import { launchBrowser, openGuardedPage } from './support/browser.ts';
import { eventually, openDashboard, text } from './support/dashboard-page.ts';
import { startStack } from './support/stack.ts';
import { useStackAndBrowser } from './support/suite.ts';

const skip = skipUnlessTools(TOOLS.chromium);
const REFUSED_SOCKET = /WebSocket connection to .* failed/;

describe('bridge transport in the browser', { skip, timeout: 120_000 }, () => {
  const env = useStackAndBrowser(startStack);
  let foreign: Server;
  before(async () => {
    // Another local web page, on another port: a different origin.
    foreign = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    await new Promise((r) => foreign?.close(r));
  });

  test('the token comes in the fragment, leaves the address bar, and survives a reload of the tab', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    assert.equal(page.url(), `${env.stack.origin}/`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('pacekeeper.bridgeToken')), env.stack.token);
    const accepted = env.stack.host.stats().acceptedSessions;
    await page.reload();
    await page.locator('[data-field="connection"][data-state="open"]').waitFor();
    assert.equal(env.stack.host.stats().acceptedSessions, accepted + 1);
    g.assertClean();
    await page.close();
  });

  test('served with the strict CSP and companion headers', async () => {
    const g = await openGuardedPage(env.browser.context);
    const res = await g.page.goto(env.stack.url);
    const h = res?.headers() ?? {};
    assert.match(h['content-security-policy'] ?? '', /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.match(h['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.equal(h['referrer-policy'], 'no-referrer');
    g.assertClean();
    await g.page.close();
  });

  test('without a token the page does not try to connect, and says where to get the link', async () => {
    const b = await launchBrowser(); // fresh profile: no token kept from another test
    try {
      const g = await openGuardedPage(b.context);
      const sockets: string[] = [];
      g.page.on('websocket', (ws) => sockets.push(ws.url()));
      await g.page.goto(`${env.stack.origin}/`);
      const conn = g.page.locator('[data-field="connection"]');
      await eventually('the hint', async () => /open the link printed by `pacekeeper headless`/.test(await text(conn)));
      assert.equal(await conn.getAttribute('data-state'), 'closed');
      assert.deepEqual(sockets, []);
      g.assertClean();
    } finally {
      await b.close();
    }
  });

  test('a wrong token is refused, and the page says so', async () => {
    const g = await openGuardedPage(env.browser.context);
    g.allow(REFUSED_SOCKET);
    const refusedBefore = env.stack.host.stats().refusedUpgrades.bad_token ?? 0;
    await g.page.goto(`${env.stack.origin}/#token=${'W'.repeat(43)}`);
    await eventually('the refusal hint', async () => /Cannot connect: the access token may be wrong/.test(await text(g.page.locator('[data-field="connection"]'))), 20_000);
    assert.ok((env.stack.host.stats().refusedUpgrades.bad_token ?? 0) >= refusedBefore + 3);
    assert.ok(g.problems.some((p) => REFUSED_SOCKET.test(p.text)), 'the browser saw the refusal');
    g.assertClean();
    await g.page.close();
  });

  test('a page from another origin cannot open the bridge, even with the right token', async () => {
    const g = await openGuardedPage(env.browser.context);
    g.allow(REFUSED_SOCKET);
    const foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    await g.page.goto(`${foreignOrigin}/`);
    const before = env.stack.host.stats();
    const outcome = await g.page.evaluate(
      ({ url, protocols }) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url, protocols);
          ws.onopen = () => resolve('open');
          ws.onclose = (e) => resolve(`closed ${e.code}`);
        }),
      { url: `ws://127.0.0.1:${env.stack.port}/bridge`, protocols: [WS_BRIDGE_PROTOCOL, env.stack.token] },
    );
    assert.equal(outcome, 'closed 1006');
    const after = env.stack.host.stats();
    assert.equal((after.refusedUpgrades.bad_origin ?? 0) - (before.refusedUpgrades.bad_origin ?? 0), 1);
    assert.equal(after.acceptedSessions, before.acceptedSessions);
    g.assertClean();
    await g.page.close();
  });

  test('the dashboard also works when opened as localhost (its own origin under that name)', async () => {
    const g = await openGuardedPage(env.browser.context);
    await g.page.goto(env.stack.url.replace('127.0.0.1', 'localhost'));
    await g.page.locator('[data-field="connection"][data-state="open"]').waitFor();
    await g.page.locator('.campaign-card').first().waitFor();
    assert.equal(new URL(g.page.url()).host, `localhost:${env.stack.port}`);
    g.assertClean();
    await g.page.close();
  });
});
