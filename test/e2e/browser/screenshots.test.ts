// Screenshots of every view (light, plus the overview in dark), saved as test artifacts under
// test-results/screenshots/. docs/screenshot.png (the README's) is copied from the overview when it
// is missing or when UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the docs alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { skipUnlessTools, TOOLS } from '../../helpers/system-tools.ts';
import { launchBrowser, screenshot, type Browser } from './support/browser.ts';
import { answerDialog, card, coreState, eventually, openDashboard, showView } from './support/dashboard-page.ts';
import { startStack, type Stack } from './support/stack.ts';

const skip = skipUnlessTools(TOOLS.chromium);
const DOCS_SCREENSHOT = resolve(import.meta.dirname, '../../../docs/screenshot.png');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function assertPng(path: string): void {
  const bytes = readFileSync(path);
  assert.ok(bytes.subarray(0, 8).equals(PNG), `${path} is a PNG`);
  assert.ok(bytes.length > 10_000, `${path} has content (${bytes.length} bytes)`);
}

describe('screenshots', { skip, timeout: 120_000 }, () => {
  let stack: Stack;
  let light: Browser;
  let dark: Browser;
  before(async () => {
    stack = await startStack({ campaigns: 4 });
    [light, dark] = await Promise.all([launchBrowser({ colorScheme: 'light' }), launchBrowser({ colorScheme: 'dark' })]);
    // Some history in the log: a few cycles, a conflict.
    const first = (await coreState(stack)).campaigns.find((c) => c.mode === 'auto');
    if (first) await stack.platform.injectConflict(first.id);
    for (let i = 0; i < 3; i++) await stack.platform.cycle();
  });
  after(async () => {
    await light?.close();
    await dark?.close();
    await stack?.close();
  });

  test('every view, light and dark', async () => {
    const g = await openDashboard(light, stack);
    const { page } = g;
    const shots: string[] = [];
    // An override in flight on one card, so the overview shows an outcome.
    const c = (await coreState(stack)).campaigns.find((x) => x.mode === 'auto' && x.recommended !== null);
    if (c) {
      await card(page, c.id).locator('button[data-action="apply-now"]').click();
      await answerDialog(page, 'confirm');
      await eventually('the outcome', async () => ['applied', 'unchanged', 'conflict', 'rate-limited'].includes((await card(page, c.id).locator('[data-field="command-outcome"]').getAttribute('data-outcome')) ?? ''));
    }
    shots.push(await screenshot(page, 'overview'));
    await showView(page, 'campaign');
    await page.waitForTimeout(300); // one frame for the charts after layout
    shots.push(await screenshot(page, 'drift'));
    const proxy = await showView(page, 'proxy');
    await proxy.getByRole('button', { name: 'Run doctor' }).click();
    await proxy.locator('[data-field="doctor-status"]:not([data-outcome="pending"])').waitFor();
    shots.push(await screenshot(page, 'proxy'));
    await showView(page, 'relay');
    shots.push(await screenshot(page, 'relay'));
    await showView(page, 'events');
    shots.push(await screenshot(page, 'events'));
    const settings = await showView(page, 'settings');
    await eventually('the form to load', async () => (await settings.getByLabel('Proxy mode').inputValue()) !== '');
    await settings.getByLabel('Proxy mode').selectOption('explicit');
    await settings.getByLabel('Proxy URL').fill('');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.locator('[data-error-for="proxy.url"]').waitFor();
    shots.push(await screenshot(page, 'settings'));
    g.assertClean();
    await page.close();

    const d = await openDashboard(dark, stack);
    assert.equal(await d.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true);
    const bg = await d.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(246, 248, 250)', 'dark mode follows the OS preference');
    shots.push(await screenshot(d.page, 'overview-dark'));
    await showView(d.page, 'campaign');
    await d.page.waitForTimeout(300);
    shots.push(await screenshot(d.page, 'drift-dark'));
    d.assertClean();
    await d.page.close();

    for (const s of shots) assertPng(s);
    if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(DOCS_SCREENSHOT)) copyFileSync(shots[0] as string, DOCS_SCREENSHOT);
    assertPng(DOCS_SCREENSHOT);
  });
});
