// Renderer behaviour that needs a core to misbehave on purpose, so it always runs on the in-test
// core: malformed bridge data becomes a notice and never breaks the page; a tray click's navigate
// event opens the right view; a reconnect refetches what was missed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnlessTools, TOOLS } from '../../helpers/system-tools.ts';
import { card, coreState, eventually, openDashboard, text } from './support/dashboard-page.ts';
import { startFakeStack } from './support/stack.ts';
import { useStackAndBrowser } from './support/suite.ts';

const skip = skipUnlessTools(TOOLS.chromium);

describe('renderer resilience', { skip, timeout: 120_000 }, () => {
  const env = useStackAndBrowser(startFakeStack);

  test('bad data from the bridge is reported without breaking the page', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const c = (await coreState(env.stack)).campaigns[0]!;
    env.stack.core.emitRaw('state', { at: 'now', campaigns: 'lots' });
    env.stack.core.emitRaw('state', { ...env.stack.core.state(), campaigns: [{ ...c, current: 'two point one' }] });
    env.stack.core.emitRaw('log', { id: 'x', kind: 'meltdown' });
    env.stack.core.emitRaw('history', { campaignId: c.id, point: { t: 'yesterday' } });
    env.stack.core.emitRaw('navigate', { view: 'the moon' });
    const notices = page.locator('section.notices');
    await eventually('notices for each bad payload', async () => (await notices.locator('li').count()) >= 4);
    const all = await text(notices);
    for (const where of ['state event', 'log event', 'history event', 'navigate event']) assert.match(all, new RegExp(`Ignored bad data from Pacekeeper \\(${where}\\)`));
    assert.match(all, /campaigns\.0\.current/);
    // The page kept its last good state, and still takes good data.
    assert.equal(await text(card(page, c.id).locator('[data-field="current"]')), c.current?.toFixed(2));
    await env.stack.platform.cycle();
    const now = (await coreState(env.stack)).campaigns[0]!;
    await eventually('the next good state', async () => (await text(card(page, c.id).locator('[data-field="recommended"]'))) === now.recommended?.toFixed(2));
    // Notices are dismissable with the keyboard.
    const shown = await notices.locator('li').count();
    await notices.getByRole('button').first().focus();
    await page.keyboard.press('Enter');
    await eventually('one notice fewer', async () => (await notices.locator('li').count()) === shown - 1);
    g.assertClean();
    await page.close();
  });

  test('a navigate event (a notification click) opens the named view and focuses it', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    env.stack.core.navigate({ view: 'proxy' });
    await page.locator('#view-proxy').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#view-overview').isVisible(), false);
    assert.equal(await page.locator('nav button[aria-current="page"]').innerText(), 'Proxy');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'view-proxy-title');
    const c = (await coreState(env.stack)).campaigns[1]!;
    env.stack.core.navigate({ view: 'campaign', campaignId: c.id });
    await page.locator('#view-campaign').waitFor({ state: 'visible' });
    await eventually('the campaign\'s chart heading to have focus', async () => (await page.evaluate(() => document.activeElement?.textContent)) === c.name);
    g.assertClean();
    await page.close();
  });

  test('after the connection drops, the page reconnects and refetches what it missed', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    g.allow(/WebSocket connection to .* failed/);
    const c = (await coreState(env.stack)).campaigns[0]!;
    const port = env.stack.port;
    // Drop the bridge socket from the server side by restarting the host on the same port.
    await env.stack.host.close();
    const { startHeadlessHost } = await import('../../../main/headless/index.ts');
    const { builtRendererDir } = await import('./support/renderer-build.ts');
    await eventually('the page to notice', async () => /reconnecting/.test(await text(page.locator('[data-field="connection"]'))));
    await env.stack.core.cycle(); // missed while disconnected
    const missed = (await coreState(env.stack)).campaigns[0]!;
    const host = await startHeadlessHost({ core: env.stack.core, rendererDir: await builtRendererDir(), port, token: env.stack.token });
    try {
      await page.locator('[data-field="connection"][data-state="open"]').waitFor({ timeout: 30_000 });
      await eventually('the refetched state', async () => (await text(card(page, c.id).locator('[data-field="recommended"]'))) === missed.recommended?.toFixed(2));
      g.assertClean();
    } finally {
      await page.close();
      await host.close();
    }
  });
});
