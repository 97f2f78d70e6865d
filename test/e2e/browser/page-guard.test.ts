// Every browser test fails on a page console error, an uncaught exception or a CSP violation
// (support/browser.ts). These tests prove the guard catches each of them, and that the dashboard
// itself, visiting every view, produces none: no inline script or style, no eval (zod runs
// jitless), nothing remote.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnlessTools, TOOLS } from '../../helpers/system-tools.ts';
import { eventually, openDashboard, showView } from './support/dashboard-page.ts';
import { startFakeStack } from './support/stack.ts';
import { useStackAndBrowser } from './support/suite.ts';

const skip = skipUnlessTools(TOOLS.chromium);

describe('page guard', { skip, timeout: 120_000 }, () => {
  const env = useStackAndBrowser(startFakeStack);

  test('the dashboard, through every view and a doctor run, logs no error and violates no CSP rule', async () => {
    const g = await openDashboard(env.browser, env.stack);
    for (const v of ['campaign', 'proxy', 'relay', 'events', 'settings', 'overview'] as const) await showView(g.page, v);
    await showView(g.page, 'proxy');
    await g.page.getByRole('button', { name: 'Run doctor' }).click();
    await g.page.locator('[data-field="doctor-status"][data-outcome="failed"], [data-field="doctor-status"][data-outcome="ok"]').waitFor();
    await env.stack.platform.cycle();
    assert.deepEqual(g.problems, []);
    g.assertClean();
    await g.page.close();
  });

  test('a console error fails the test', async () => {
    const g = await openDashboard(env.browser, env.stack);
    await g.page.evaluate(() => console.error('something broke'));
    await eventually('the console error', () => g.problems.length > 0);
    assert.throws(() => g.assertClean(), /\[console\] something broke/);
    await g.page.close();
  });

  test('an uncaught exception fails the test', async () => {
    const g = await openDashboard(env.browser, env.stack);
    await g.page.evaluate(() => setTimeout(() => {
      throw new Error('kaboom');
    }));
    await eventually('the page error', () => g.problems.some((p) => p.kind === 'pageerror'));
    assert.throws(() => g.assertClean(), /\[pageerror\] Error: kaboom/);
    await g.page.close();
  });

  test('CSP violations fail the test: inline script, inline style, eval, a remote script', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const ran = await g.page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.head.append(s);
      const st = document.createElement('style');
      st.textContent = 'body { background: red }';
      document.head.append(st);
      // Later, in a page task: DevTools' own evaluate is exempt from the eval rule, page code is not.
      setTimeout(() => {
        try {
          w.evalRan = (0, eval)('true');
        } catch {
          w.evalRan = false;
        }
      });
      const remote = document.createElement('script');
      remote.src = 'https://cdn.example.com/x.js';
      document.head.append(remote);
      return { inline: w.inlineRan === true };
    });
    assert.deepEqual(ran, { inline: false }, 'the policy blocked the inline script');
    assert.equal(await g.page.waitForFunction(() => (window as unknown as Record<string, unknown>).evalRan !== undefined).then((h) => h.evaluate(() => (window as unknown as Record<string, unknown>).evalRan)), false, 'eval blocked');
    await eventually('four CSP reports', () => g.problems.filter((p) => p.kind === 'csp' && p.text.startsWith('[pacekeeper-test csp]')).length >= 4);
    const reports = g.problems.filter((p) => p.text.startsWith('[pacekeeper-test csp]')).map((p) => p.text).join('\n');
    assert.match(reports, /script-src-elem blocked inline/);
    assert.match(reports, /style-src-elem blocked inline/);
    assert.match(reports, /script-src blocked eval/);
    assert.match(reports, /script-src-elem blocked https:\/\/cdn\.example\.com\/x\.js/);
    assert.throws(() => g.assertClean(), /\[csp\]/);
    await g.page.close();
  });
});
