// The dashboard in real Chromium, served by the headless host over the stack from support/stack.ts
// (the in-test core today; the real core and simulator with a one-line switch there): values,
// overrides through the loop, conflicts in the event log, keyboard operation, drift charts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnlessTools, TOOLS } from '../../helpers/system-tools.ts';
import type { CampaignView } from '../../../preload/contract.ts';
import { answerDialog, card, coreState, eventually, openDashboard, showView, text } from './support/dashboard-page.ts';
import { startStack } from './support/stack.ts';
import { useStackAndBrowser } from './support/suite.ts';

const skip = skipUnlessTools(TOOLS.chromium);
const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

describe('dashboard', { skip, timeout: 120_000 }, () => {
  const env = useStackAndBrowser(startStack);

  const tunable = async (): Promise<CampaignView[]> => (await coreState(env.stack)).campaigns.filter((c) => c.recommended !== null && c.mode === 'auto' && c.campaignStatus === 'on');

  test("the overview shows each campaign's values as the platform and the loop report them", async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const state = await coreState(env.stack);
    assert.ok(state.campaigns.length > 0);
    for (const c of state.campaigns) {
      const el = card(page, c.id);
      // The pacing value on the card is the one the platform holds (maxCallsPerAgentDecimal).
      await eventually(`${c.name}: card shows the platform's pacing value`, async () => (await text(el.locator('[data-field="current"]'))) === fmt(await env.stack.platform.pacingValue(c.id)));
      const now = (await coreState(env.stack)).campaigns.find((x) => x.id === c.id) as CampaignView;
      assert.equal(await text(el.locator('h3')), c.name);
      assert.equal(await text(el.locator('[data-field="recommended"]')), fmt(now.recommended));
      assert.equal(await text(el.locator('[data-field="status"]')), `Status: ${now.campaignStatus}`);
      assert.match(await text(el.locator('[data-field="mode"]')), new RegExp(`^Mode: (Auto|Paused|Dry run|Override)$`));
      assert.equal(await text(el.locator('[data-field="connectRatio"]')), now.connectRatio === null ? '—' : `${(now.connectRatio * 100).toFixed(1)}%`);
      assert.equal(await text(el.locator('[data-field="abandonWindow"]')), pct(now.abandonWindowPct));
      assert.equal(await text(el.locator('[data-field="abandonDay"]')), pct(now.abandonDayPct));
      if (now.abandonWindowPct !== null) assert.match(await text(el.locator('[data-field="abandonWindowLevel"]')), new RegExp(`${now.ceilingPct}% line`));
      assert.equal(await text(el.locator('[data-field="counters"]')), `Conflicts ${now.counters.conflicts} · 429s ${now.counters.rateLimited} · Applied ${now.counters.applied} · Errors ${now.counters.errors}`);
      assert.match(await text(el), /maxCallsPerAgentDecimal/);
    }
    // Sandbox banner and the warnings list are visible above every view.
    if (state.platform.mode === 'sandbox') {
      assert.equal(await text(page.locator('.sandbox-banner')), 'Sandbox: simulated Genesys Cloud — no real campaigns are changed');
    }
    for (const w of state.warnings) assert.match(await text(page.locator('.warnings')), new RegExp(w.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // The token left the address bar once the page had it.
    assert.ok(!page.url().includes(env.stack.token), page.url());
    g.assertClean();
    await page.close();
  });

  test('an override set on a card is written to the platform through the loop, and released', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const c = (await tunable())[0] as CampaignView;
    const el = card(page, c.id);
    const before = await env.stack.platform.pacingValue(c.id);
    const value = before !== null && Math.abs(before - 1.75) < 0.01 ? 1.85 : 1.75;

    // Cancel sends nothing.
    await el.locator('button[data-action="pause"]').click();
    await answerDialog(page, 'cancel');
    assert.equal((await coreState(env.stack)).campaigns.find((x) => x.id === c.id)?.mode, 'auto');

    await el.getByLabel('Pacing value', { exact: true }).fill(String(value));
    await el.getByLabel('Hold (minutes)', { exact: true }).fill('20');
    await el.locator('button[data-action="override"]').click();
    const question = await answerDialog(page, 'confirm');
    assert.match(question, new RegExp(`${value.toFixed(2)}.*20 minutes`, 's'));
    const outcome = el.locator('[data-field="command-outcome"]');
    await eventually('the loop\'s outcome', async () => (await outcome.getAttribute('data-outcome')) === 'applied');
    assert.match(await text(outcome), new RegExp(`Applied .*→ ${value.toFixed(2)}`));
    assert.equal(await env.stack.platform.pacingValue(c.id), value);
    await eventually('the card to show the override', async () => (await text(el.locator('[data-field="mode"]'))) === 'Mode: Override');
    assert.match(await text(el.locator('[data-field="hold"]')), new RegExp(`^${value.toFixed(2)} held until `));
    assert.equal(await text(el.locator('[data-field="current"]')), value.toFixed(2));

    await el.locator('button[data-action="release"]').click();
    await answerDialog(page, 'confirm');
    await eventually('the release outcome', async () => (await outcome.getAttribute('data-outcome')) === 'done');
    await eventually('mode back to auto', async () => (await coreState(env.stack)).campaigns.find((x) => x.id === c.id)?.mode === 'auto');
    await eventually('the card to show auto', async () => (await text(el.locator('[data-field="mode"]'))) === 'Mode: Auto');
    g.assertClean();
    await page.close();
  });

  test('a conflict injected on the platform appears in the event log and the counters', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const c = (await tunable()).at(-1) as CampaignView;
    const conflictsBefore = c.counters.conflicts;
    await env.stack.platform.injectConflict(c.id);
    await env.stack.platform.cycle();
    const events = await showView(page, 'events');
    const row = events.locator(`tr[data-kind="conflict"]`).filter({ hasText: c.name });
    await eventually('a conflict row for the campaign', async () => (await row.count()) > 0);
    assert.match(await text(row.first()), /\b4(09|12)\b/);
    assert.match(await text(row.first().locator('time')), /^\d{2}:\d{2}:\d{2}$/);
    assert.equal(await row.first().getAttribute('data-severity'), 'warning');
    // Filtering by kind keeps it and hides the rest.
    await events.getByLabel('Show').selectOption('conflict');
    assert.equal(await events.locator('tbody tr:not([data-kind="conflict"])').count(), 0);
    await showView(page, 'overview');
    await eventually('the conflict counter to rise', async () => {
      const m = /Conflicts (\d+)/.exec(await text(card(page, c.id).locator('[data-field="counters"]')));
      return Number(m?.[1]) > conflictsBefore;
    });
    g.assertClean();
    await page.close();
  });

  test('keyboard only: tab through a card\'s override controls and trigger one', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const c = (await tunable())[0] as CampaignView;
    const el = card(page, c.id);
    // Every control has an accessible name.
    for (const name of [/^Pause tuning…$/, /^Dry run: off \(turn on…\)$/, /^Apply recommendation now/, /^Release override$/, /^Set value and hold…$/]) {
      assert.equal(await el.getByRole('button', { name }).count(), 1, String(name));
    }
    assert.equal(await el.getByRole('spinbutton', { name: 'Pacing value' }).count(), 1);
    assert.equal(await el.getByRole('spinbutton', { name: 'Hold (minutes)' }).count(), 1);

    await el.locator('h3').focus();
    const order: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a?.dataset.action ?? a?.dataset.field ?? a?.tagName ?? '';
      }));
    }
    // Release is disabled (no override), so Tab skips it.
    assert.deepEqual(order.slice(0, 6), ['pause', 'dry-run', 'apply-now', 'override-value', 'override-hold', 'override']);

    // Back to the dry-run toggle and trigger it with the keyboard: Enter opens the dialog with
    // focus on Cancel; Tab to Confirm; Enter.
    await el.locator('button[data-action="dry-run"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('dialog.confirm[open]').waitFor();
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLButtonElement).value), 'cancel');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLButtonElement).value), 'confirm');
    await page.keyboard.press('Enter');
    await eventually('dry run on', async () => (await coreState(env.stack)).campaigns.find((x) => x.id === c.id)?.mode === 'dry-run');
    await eventually('the toggle to say so', async () => (await el.locator('button[data-action="dry-run"]').getAttribute('aria-pressed')) === 'true');
    // Focus comes back to the control that opened the dialog once the command has finished (the
    // core may report the new mode before the command's reply reaches the page).
    await eventually('focus back on the dry-run toggle', async () => (await page.evaluate(() => (document.activeElement as HTMLElement).dataset.action)) === 'dry-run');
    assert.equal(await el.locator('section.overrides').getAttribute('aria-busy'), 'false');

    // Escape cancels: nothing is sent.
    await page.keyboard.press('Enter');
    await page.locator('dialog.confirm[open]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('dialog.confirm[open]').waitFor({ state: 'detached' });
    assert.equal((await coreState(env.stack)).campaigns.find((x) => x.id === c.id)?.mode, 'dry-run');
    // Turn it back off for the other tests.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await eventually('dry run off', async () => (await coreState(env.stack)).campaigns.find((x) => x.id === c.id)?.mode === 'auto');
    g.assertClean();
    await page.close();
  });

  test('the drift charts hold each campaign\'s history and take live points', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const state = await coreState(env.stack);
    const view = await showView(page, 'campaign');
    assert.equal(await view.locator('canvas').count(), state.campaigns.length);
    const c = state.campaigns[0] as CampaignView;
    const summary = view.locator(`.chart-panel[data-campaign-id="${c.id}"] [data-field="drift-summary"]`);
    const history = await env.stack.core.dispatch('history:get', { campaignId: c.id, sinceMs: Date.now() - 86_400_000 });
    assert.ok(history.ok);
    const n = (history.value as { points: unknown[] }).points.length;
    await eventually('the summary to count the history', async () => (await text(summary)).startsWith(`${n.toLocaleString('en-US')} cycles`));
    await env.stack.platform.cycle();
    await eventually('a live point', async () => (await text(summary)).startsWith(`${(n + 1).toLocaleString('en-US')} cycles`));
    assert.match(await text(summary), new RegExp(`applied ${fmt(await env.stack.platform.pacingValue(c.id)).replace('.', '\\.')}`));
    // The canvas really drew something: not a blank bitmap.
    const inked = await view.locator('canvas').first().evaluate((cv: HTMLCanvasElement) => {
      const d = cv.getContext('2d')?.getImageData(0, 0, cv.width, cv.height).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `inked pixels: ${inked}`);
    g.assertClean();
    await page.close();
  });

  test('proxy and relay health, and the doctor\'s per-hop results', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const state = await coreState(env.stack);
    const proxy = await showView(page, 'proxy');
    assert.equal(await text(proxy.locator('[data-field="route"]')), state.proxy.route);
    assert.equal(await text(proxy.locator('[data-field="source"]')), state.proxy.source);
    assert.match(await text(proxy.locator('[data-field="tunnels"]')), new RegExp(`${state.proxy.tunnelsOpened} opened · ${state.proxy.active} active · ${state.proxy.idle} idle`));
    if (state.proxy.lastError) assert.match(await text(proxy.locator('[data-field="proxy-last-error"]')), new RegExp(`Fix: ${state.proxy.lastError.fix.slice(0, 20)}`));
    await proxy.getByRole('button', { name: 'Run doctor' }).click();
    const status = proxy.locator('[data-field="doctor-status"]');
    await eventually('the doctor to finish', async () => ['ok', 'failed'].includes((await status.getAttribute('data-outcome')) ?? ''));
    const rows = proxy.locator('table.hops').last().locator('tbody tr[data-hop]');
    assert.ok((await rows.count()) > 0);
    const failed = await proxy.locator('table.hops').last().locator('tbody tr[data-ok="false"]').count();
    assert.match(await text(status), failed ? new RegExp(`${failed} of \\d+ hops failed`) : /All \d+ hops OK/);
    if (failed) assert.match(await text(proxy.locator('table.hops').last().locator('tr[data-ok="false"]').first()), /✕ Failed/);

    const relay = await showView(page, 'relay');
    const r = (await coreState(env.stack)).relay;
    assert.equal(await text(relay.locator('[data-field="sessions"]')), String(r.sessions));
    assert.equal(await text(relay.locator('[data-field="channels"]')), String(r.upstreamChannels));
    assert.equal(await text(relay.locator('[data-field="topics"]')), String(r.topics));
    g.assertClean();
    await page.close();
  });
});
