// End to end through the real Electron app (`electron .` on the unpackaged build: Playwright needs
// the nodeCliInspect fuse the release turns off), under xvfb-run via `npm run test:electron`.
// Tray, menus and notifications are native, so they are read and driven through the test hook
// (globalThis.__pacekeeperTest, installed only with PACEKEEPER_TEST=1). Skips where no Electron
// binary exists, with the reason from scripts/electron-binary.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import type { CoreState, PacekeeperBridge, Result } from '../../../preload/contract.ts';
import { findElectronBinary } from '../../../scripts/electron-binary.ts';

declare global {
  interface Window {
    pacekeeper: PacekeeperBridge;
  }
}

type Hook = {
  tray(): { level: string; tooltip: string; icon: string; menu: { id: string; type: string; enabled?: boolean; items?: unknown[] }[] } | null;
  clickMenuItem(id: string): boolean;
  window(): { visible: boolean; url: string | null };
  secondInstances(): number;
};

const ROOT = resolve(import.meta.dirname, '../../..');
const binary = findElectronBinary({ root: ROOT, env: process.env, platform: process.platform });
const skip = binary.ok ? false : `no Electron binary: ${binary.reason}`;

/** Polls `fn` until it returns a truthy value; bounded so a broken app fails instead of hanging. */
async function until<T>(what: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}`);
}

describe('Pacekeeper desktop app', { timeout: 180_000 }, () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;
  let env: Record<string, string>;
  // Functions given to app.evaluate run in the main process and may not close over test variables.
  const hook = {
    tray: () => app.evaluate(() => ((globalThis as Record<string, unknown>).__pacekeeperTest as Hook).tray()),
    clickMenuItem: (id: string) => app.evaluate((_e, itemId) => ((globalThis as Record<string, unknown>).__pacekeeperTest as Hook).clickMenuItem(itemId), id),
    window: () => app.evaluate(() => ((globalThis as Record<string, unknown>).__pacekeeperTest as Hook).window()),
    secondInstances: () => app.evaluate(() => ((globalThis as Record<string, unknown>).__pacekeeperTest as Hook).secondInstances()),
  };
  const invoke = <T>(name: string, request?: unknown) =>
    page.evaluate(([n, r]) => window.pacekeeper.invoke(n as never, r as never), [name, request] as const) as Promise<Result<T>>;

  before(async () => {
    if (!binary.ok) return;
    if (!existsSync(join(ROOT, 'dist/main/index.mjs')) || !existsSync(join(ROOT, 'dist/preload/index.cjs'))) {
      const built = spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'scripts/build.ts'], { cwd: ROOT, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run build failed');
    }
    dataDir = await mkdtemp(join(tmpdir(), 'pk-e2e-electron-'));
    // XDG_CONFIG_HOME too: the login-item code must not touch the runner's real ~/.config/autostart.
    env = {
      ...(process.env as Record<string, string>),
      PACEKEEPER_TEST: '1',
      PACEKEEPER_DATA_DIR: join(dataDir, 'profile'),
      XDG_CONFIG_HOME: join(dataDir, 'xdg-config'),
      PACEKEEPER_LOG_LEVEL: 'info',
    };
    app = await _electron.launch({ executablePath: binary.path, args: [ROOT], cwd: ROOT, env, timeout: 60_000 });
    page = await app.firstWindow({ timeout: 60_000 });
  });

  after(async () => {
    await app?.close().catch(() => {});
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('launches and exposes the tray state through the test hook (sandbox mode)', { skip }, async () => {
    const tray = await until('the tray to leave "starting"', async () => {
      const t = await hook.tray();
      return t && !t.tooltip.includes('starting') ? t : null;
    });
    assert.ok(['ok', 'warning', 'error', 'paused'].includes(tray.level), tray.level);
    assert.match(tray.tooltip, /Sandbox/);
    assert.match(tray.icon, new RegExp(`tray-${tray.level}`));
    const ids = tray.menu.map((i) => i.id);
    for (const id of ['platform', 'open-dashboard', 'run-doctor', 'quit']) assert.ok(ids.includes(id), id);
  });

  test('the dashboard loads from app:// with the bridge, the CSP and no Node', { skip }, async () => {
    await page.waitForLoadState('load');
    assert.equal(page.url(), 'app://pacekeeper/index.html');
    const probe = await page.evaluate(async () => ({
      keys: Object.keys(window.pacekeeper).sort(),
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      csp: (await fetch('app://pacekeeper/index.html')).headers.get('content-security-policy'),
    }));
    assert.deepEqual(probe.keys, ['invoke', 'on']);
    assert.equal(probe.require, 'undefined');
    assert.equal(probe.process, 'undefined');
    assert.match(probe.csp ?? '', /default-src 'none'/);
    const state = await invoke<CoreState>('state:get');
    assert.ok(state.ok, JSON.stringify(state));
    assert.equal(state.value.platform.mode, 'sandbox');
    const bad = await invoke('no-such-method');
    assert.equal(bad.ok, false);
    assert.equal((await hook.window()).visible, true);
  });

  test('an override round trip against the simulator, released from the tray menu', { skip }, async () => {
    const state = await until('a predictive campaign', async () => {
      const s = await invoke<CoreState>('state:get');
      return s.ok && s.value.campaigns.some((c) => c.mode === 'auto') ? s.value : null;
    });
    const target = state.campaigns.find((c) => c.mode === 'auto')!;
    const value = Number(((target.min + target.max) / 2).toFixed(2));
    const set = await invoke<{ mode: string }>('campaign:command', { action: 'override', campaignId: target.id, value, holdMinutes: 15 });
    assert.ok(set.ok, JSON.stringify(set));
    assert.equal(set.value.mode, 'override');
    const held = await until('the hold in state', async () => {
      const s = await invoke<CoreState>('state:get');
      const c = s.ok ? s.value.campaigns.find((x) => x.id === target.id) : undefined;
      return c?.hold ? c : null;
    });
    assert.equal(held.hold?.value, value);

    await until('the tray to offer "Release override"', async () => {
      const t = await hook.tray();
      return JSON.stringify(t?.menu ?? []).includes(`"id":"campaign:${target.id}:release","label":"Release override (`);
    });
    assert.equal(await hook.clickMenuItem(`campaign:${target.id}:release`), true);
    const released = await until('the override to be released', async () => {
      const s = await invoke<CoreState>('state:get');
      const c = s.ok ? s.value.campaigns.find((x) => x.id === target.id) : undefined;
      return c && c.mode !== 'override' && c.hold === null ? c : null;
    });
    assert.equal(released.hold, null);
  });

  test('a second launch hands over to the running instance and exits', { skip }, async () => {
    const second = spawn(binary.ok ? binary.path : '', [ROOT], { cwd: ROOT, env, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolveExit, reject) => {
      const timer = setTimeout(() => {
        second.kill();
        reject(new Error('the second instance did not exit'));
      }, 30_000);
      second.on('exit', (c) => {
        clearTimeout(timer);
        resolveExit(c);
      });
    });
    assert.equal(code, 0);
    await until('the first instance to see it', async () => (await hook.secondInstances()) >= 1);
    assert.equal((await hook.window()).visible, true);
  });
});
