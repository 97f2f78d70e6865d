// Headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser) driven by
// playwright-core, with a guard that turns any page console error, uncaught exception or CSP
// violation into a test failure. CSP violations are caught twice: Chromium logs them to the
// console, and an init script forwards `securitypolicyviolation` events with their details.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TOOLS } from '../../../helpers/system-tools.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../../../test-results/screenshots');

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { colorScheme?: 'light' | 'dark'; extraArgs?: string[] } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'pk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: TOOLS.chromium.bin,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
    viewport: { width: 1360, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    timeout: 60_000,
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PageProblem {
  kind: 'console' | 'pageerror' | 'csp';
  text: string;
}

export interface GuardedPage {
  page: Page;
  problems: PageProblem[];
  /** Problems matching these patterns are expected in this test and not counted. */
  allow(pattern: RegExp): void;
  /** Throws listing every unexpected problem. */
  assertClean(): void;
}

const CSP_TAG = '[pacekeeper-test csp]';

export async function openGuardedPage(context: BrowserContext): Promise<GuardedPage> {
  const page = await context.newPage();
  const problems: PageProblem[] = [];
  const allowed: RegExp[] = [];
  await page.addInitScript((tag: string) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`${tag} ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  }, CSP_TAG);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    problems.push({ kind: text.startsWith(CSP_TAG) || /Content Security Policy/i.test(text) ? 'csp' : 'console', text });
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: `${err.name}: ${err.message}` }));
  return {
    page,
    problems,
    allow: (p) => allowed.push(p),
    assertClean() {
      const unexpected = problems.filter((p) => !allowed.some((a) => a.test(p.text)));
      if (unexpected.length) throw new Error(`page problems:\n${unexpected.map((p) => `  [${p.kind}] ${p.text}`).join('\n')}`);
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
