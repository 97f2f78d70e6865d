// The setup most browser suites share: one stack and one browser for the whole `describe`,
// started before its tests and closed after them.
import { after, before } from 'node:test';
import { launchBrowser, type Browser } from './browser.ts';
import type { Stack } from './stack.ts';

export interface SuiteEnv<S extends Stack> {
  /** Set once the suite's `before` hook has run. */
  readonly stack: S;
  readonly browser: Browser;
}

/** Call inside `describe`: registers the hooks and returns the suite's stack and browser. */
export function useStackAndBrowser<S extends Stack>(start: () => Promise<S>): SuiteEnv<S> {
  const env = {} as { stack?: S; browser?: Browser };
  before(async () => {
    env.stack = await start();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.stack?.close();
  });
  return env as SuiteEnv<S>;
}
