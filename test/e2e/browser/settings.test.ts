// Settings in real Chromium: main's validation messages shown inline next to the field, nothing
// saved on a rejection, and secrets that go in one way only: no bridge answer, event, page, storage
// or log line ever carries one back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { skipUnlessTools, TOOLS } from '../../helpers/system-tools.ts';
import { validateSettings } from '../../../main/settings/load-settings.ts';
import { applyMergePatch } from '../../../main/settings/merge-patch.ts';
import { INVOKE_NAMES, WS_BRIDGE_PROTOCOL, type SettingsView } from '../../../preload/contract.ts';
import { coreState, eventually, openDashboard, showView, text } from './support/dashboard-page.ts';
import { startStack, type Stack } from './support/stack.ts';
import { useStackAndBrowser } from './support/suite.ts';

const skip = skipUnlessTools(TOOLS.chromium);

async function settingsView(stack: Stack): Promise<SettingsView> {
  const r = await stack.core.dispatch('settings:get', undefined);
  assert.ok(r.ok);
  return r.value as SettingsView;
}

/** What main's own validation says about `patch` applied to the current settings, per path. */
async function expectedIssues(stack: Stack, patch: Record<string, unknown>): Promise<Map<string, string>> {
  const doc = applyMergePatch((await settingsView(stack)).settings, patch);
  const v = validateSettings(doc);
  assert.equal(v.ok, false, 'the test patch must be invalid');
  return new Map(v.ok ? [] : v.issues.map((i) => [i.path, i.message]));
}

describe('settings', { skip, timeout: 120_000 }, () => {
  const env = useStackAndBrowser(startStack);

  test('invalid settings are rejected with main\'s message next to each field, and nothing is saved', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const before = await settingsView(env.stack);
    const view = await showView(page, 'settings');
    await view.getByLabel('Relay port').waitFor();
    await eventually('the form to load', async () => (await view.getByLabel('Proxy mode').inputValue()) !== '');

    await view.getByLabel('Relay port').fill('70000');
    await view.getByLabel('Proxy mode').selectOption('explicit');
    await view.getByLabel('Proxy URL').fill('');
    await view.getByRole('button', { name: 'Save settings' }).click();

    const expected = await expectedIssues(env.stack, { relay: { port: 70000 }, proxy: { mode: 'explicit' } });
    const portError = view.locator('[data-error-for="relay.port"]');
    await portError.waitFor();
    assert.equal(await text(portError), expected.get('relay.port'));
    assert.equal(await text(view.locator('[data-error-for="proxy.url"]')), expected.get('proxy.url'));
    assert.equal(await view.getByLabel('Relay port').getAttribute('aria-invalid'), 'true');
    // The error is tied to its field for assistive tech.
    const describedBy = (await view.getByLabel('Relay port').getAttribute('aria-describedby')) ?? '';
    assert.ok(describedBy.split(' ').includes((await portError.getAttribute('id')) as string));
    assert.match(await text(view.locator('[data-field="settings-errors"]')), /2 settings need attention/);
    assert.match(await text(view.locator('[data-field="settings-status"]')), /^✕ Not saved/);
    assert.deepEqual((await settingsView(env.stack)).settings, before.settings, 'a rejected update changes nothing');

    // Fixing the fields saves, and clears the errors.
    await view.getByLabel('Relay port').fill('0');
    await view.getByLabel('Proxy mode').selectOption('direct');
    await view.getByRole('button', { name: 'Save settings' }).click();
    await eventually('saved', async () => /^✓ Saved/.test(await text(view.locator('[data-field="settings-status"]'))));
    assert.equal(await portError.isVisible(), false);
    const after = (await settingsView(env.stack)).settings as { relay: { port: number }; proxy: { mode: string } };
    assert.equal(after.relay.port, 0);
    assert.equal(after.proxy.mode, 'direct');
    g.assertClean();
    await page.close();
  });

  test('tuning bounds from the form reach every campaign; crossed bounds are refused at the field', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const view = await showView(page, 'settings');
    const min = view.getByLabel('Lowest pacing value');
    const max = view.getByLabel('Highest pacing value');
    await eventually('the form to load', async () => (await max.inputValue()) !== '');
    const before = await settingsView(env.stack);

    await min.fill('3.5');
    await max.fill('2.5');
    await view.getByRole('button', { name: 'Save settings' }).click();
    const expected = await expectedIssues(env.stack, { tuning: { defaults: { min: 3.5, max: 2.5 } } });
    const minError = view.locator('[data-error-for="tuning.defaults.min"]');
    await minError.waitFor();
    assert.equal(await text(minError), expected.get('tuning.defaults.min'));
    assert.deepEqual((await settingsView(env.stack)).settings, before.settings, 'a rejected update changes nothing');

    await min.fill('1');
    await view.getByRole('button', { name: 'Save settings' }).click();
    await eventually('saved', async () => /^✓ Saved/.test(await text(view.locator('[data-field="settings-status"]'))));
    await eventually('every campaign bounded at 2.5', async () => {
      const cs = (await coreState(env.stack)).campaigns;
      return cs.length > 0 && cs.every((c) => c.max === 2.5 && c.min === 1);
    });
    // Back to the default for the other tests.
    await max.fill('3');
    await view.getByRole('button', { name: 'Save settings' }).click();
    await eventually('restored', async () => (await coreState(env.stack)).campaigns.every((c) => c.max === 3));
    g.assertClean();
    await page.close();
  });

  test('no secret can be read back through the bridge, the page, storage or the logs', async () => {
    const g = await openDashboard(env.browser, env.stack);
    const { page } = g;
    const secrets = {
      'genesys.clientSecret': `cs-${randomBytes(12).toString('hex')}`,
      'proxy.password': `pw-${randomBytes(12).toString('hex')}`,
      'influx.token': `it-${randomBytes(12).toString('hex')}`,
    };
    const view = await showView(page, 'settings');
    await eventually('the form to load', async () => (await view.getByLabel('Proxy mode').inputValue()) !== '');
    await view.getByLabel('OAuth client secret').fill(secrets['genesys.clientSecret']);
    await view.getByLabel('Proxy password').fill(secrets['proxy.password']);
    await view.getByLabel('Token (v2) or password (v1)').fill(secrets['influx.token']);
    await view.getByRole('button', { name: 'Save settings' }).click();
    await eventually('saved', async () => /^✓ Saved/.test(await text(view.locator('[data-field="settings-status"]'))));
    for (const name of Object.keys(secrets)) {
      assert.equal(await view.locator(`[data-secret-status="${name}"]`).getAttribute('data-state'), 'set', name);
      assert.equal(await view.locator(`[data-setting="${name}"]`).inputValue(), '', `${name} input cleared`);
    }
    const sv = await settingsView(env.stack);
    assert.equal(sv.secrets['proxy.password'], 'set');

    // Everything the bridge can answer or push, read with the page's own token from the page.
    const state = await coreState(env.stack);
    const calls: [string, unknown][] = [
      ['state:get', undefined],
      ['settings:get', undefined],
      ['events:get', { limit: 1000 }],
      ['doctor:run', undefined],
      ...state.campaigns.map((c) => ['history:get', { campaignId: c.id }] as [string, unknown]),
    ];
    assert.ok(INVOKE_NAMES.every((n) => n === 'campaign:command' || n === 'settings:update' || calls.some(([m]) => m === n)), 'every read method is covered');
    const frames = await page.evaluate(
      async ({ token, protocol, calls }) => {
        const ws = new WebSocket(`ws://${location.host}/bridge`, [protocol, token]);
        const got: string[] = [];
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = reject;
        });
        ws.onmessage = (e) => got.push(String(e.data));
        calls.forEach(([method, request], i) => ws.send(JSON.stringify({ id: 1000 + i, method, request })));
        const deadline = Date.now() + 10_000;
        while (got.filter((f) => f.includes('"type":"result"')).length < calls.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        ws.close();
        return got;
      },
      { token: env.stack.token, protocol: WS_BRIDGE_PROTOCOL, calls },
    );
    await env.stack.platform.cycle(); // events pushed after the save, to the dashboard's own socket too
    assert.ok(frames.filter((f) => f.includes('"type":"result"')).length >= calls.length, 'all answered');
    const storage = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
    const haystacks = { frames: frames.join('\n'), dom: await page.content(), storage, logs: env.stack.logs.join('\n'), dispatch: JSON.stringify(await Promise.all(calls.map(([m, r]) => env.stack.core.dispatch(m, r)))) };
    for (const [where, hay] of Object.entries(haystacks)) {
      for (const [name, value] of Object.entries(secrets)) assert.ok(!hay.includes(value), `${name} leaked in ${where}`);
    }

    // Removing a secret is also write-only: the status flips to "not set".
    await view.locator('[data-secret-clear="proxy.password"]').check();
    await view.getByRole('button', { name: 'Save settings' }).click();
    await eventually('not set', async () => (await view.locator('[data-secret-status="proxy.password"]').getAttribute('data-state')) === 'not-set');
    assert.equal((await settingsView(env.stack)).secrets['proxy.password'], 'not-set');
    g.assertClean();
    await page.close();
  });
});
