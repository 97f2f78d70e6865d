// A real core over the real simulator: settings in a temp dir, secrets in memory (the keychain
// path is tested in test/secrets), sandbox forced. Tests drive it through the bridge dispatcher.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/create-core.ts';
import { ManagedSecretStore } from '../../main/secrets/managed-secret-store.ts';
import { MemoryBackend } from '../../main/secrets/memory-backend.ts';
import { openSettingsStore } from '../../main/settings/settings-store.ts';
import { createMemoryLogger } from '../../main/util/log.ts';
import type { InvokeName, InvokeRequest, InvokeResponse, Result } from '../../preload/contract.ts';

export interface CoreFixture {
  core: Core;
  dir: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startCore(extra: Partial<CoreOptions> = {}): Promise<CoreFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'pk-core-'));
  const logger = createMemoryLogger();
  const settings = openSettingsStore({ cwd: dir, logger });
  const secrets = new ManagedSecretStore({ backend: new MemoryBackend(), logger });
  const core = await createCore({ dataDir: dir, logger, settings, secrets, forceSandbox: true, statePushMs: 200, ...extra });
  await core.start();
  return {
    core,
    dir,
    logs: logger.lines,
    async close() {
      await core.stop('shutdown');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `f` until it returns a value other than undefined (bounded). */
export async function eventually<T>(f: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The bridge dispatcher with the contract's types (dispatch itself takes unknown input). */
export function invoke<K extends InvokeName>(core: Core, name: K, request: InvokeRequest<K>): Promise<Result<InvokeResponse<K>>> {
  return core.dispatch(name, request) as Promise<Result<InvokeResponse<K>>>;
}
