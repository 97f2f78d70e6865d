// Page-level helpers shared by the browser tests: open the dashboard connected to a stack, find a
// campaign's card, switch views, answer the confirmation dialog, and poll with a bounded wait.
import type { Locator, Page } from 'playwright-core';
import type { CoreState } from '../../../../preload/contract.ts';
import { openGuardedPage, type Browser, type GuardedPage } from './browser.ts';
import type { Stack } from './stack.ts';

/** Polls `f` until it returns something other than undefined/false; bounded so a bug fails instead of hanging. */
export async function eventually<T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v as T;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function coreState(stack: Stack): Promise<CoreState> {
  const r = await stack.core.dispatch('state:get', undefined);
  if (!r.ok) throw new Error(`state:get failed: ${r.error.message}`);
  return r.value as CoreState;
}

export async function openDashboard(browser: Browser, stack: Stack): Promise<GuardedPage> {
  const g = await openGuardedPage(browser.context);
  await g.page.goto(stack.url);
  await g.page.locator('[data-field="connection"][data-state="open"]').waitFor();
  const n = (await coreState(stack)).campaigns.length;
  await eventually(`${n} campaign cards`, async () => (await g.page.locator('.campaign-card').count()) === n);
  return g;
}

export function card(page: Page, campaignId: string): Locator {
  return page.locator(`.campaign-card[data-campaign-id="${campaignId}"]`);
}

export async function showView(page: Page, view: 'overview' | 'campaign' | 'proxy' | 'relay' | 'events' | 'settings'): Promise<Locator> {
  await page.locator(`nav button[data-view="${view}"]`).click();
  const section = page.locator(`#view-${view}`);
  await section.waitFor({ state: 'visible' });
  return section;
}

/** The open confirmation dialog; `answer` clicks Confirm or Cancel. */
export async function answerDialog(page: Page, answer: 'confirm' | 'cancel'): Promise<string> {
  const dialog = page.locator('dialog.confirm[open]');
  await dialog.waitFor();
  const text = await dialog.innerText();
  await dialog.locator(`button[value="${answer}"]`).click();
  await page.locator('dialog.confirm[open]').waitFor({ state: 'detached' });
  return text;
}

export function text(locator: Locator): Promise<string> {
  return locator.innerText().then((t) => t.trim());
}
