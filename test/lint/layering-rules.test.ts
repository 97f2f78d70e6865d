// The layering rules of ARCHITECTURE.md are enforced by eslint.config.js. This runs the real
// config on small snippets placed at paths inside and outside each allowed area, so a rule that
// stops firing (a typo in a glob, an ignore that is too wide) fails here rather than silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, filePath);
  const layering = new Set(['no-restricted-imports', 'no-restricted-globals', 'no-restricted-syntax']);
  return result.messages.filter((m) => m.ruleId && layering.has(m.ruleId)).map((m) => m.ruleId as string);
}

const ELECTRON = "import { app } from 'electron';\nexport const a = app;\n";
const FETCH = "export const r = fetch('https://api.mypurecloud.com/');\n";
const AGENT = "import { Agent, ProxyAgent } from 'undici';\nexport const a = new Agent();\nexport const p = new ProxyAgent('http://proxy:3128');\n";

test('electron is imported only in main/electron/** and main/index.ts', async () => {
  for (const f of ['main/tuning/x.ts', 'main/core/x.ts', 'main/net/x.ts', 'main/cli.ts', 'renderer/x.ts']) {
    assert.deepEqual(await ruleHits(f, ELECTRON), ['no-restricted-imports'], f);
  }
  for (const f of ['main/electron/x.ts', 'main/index.ts']) assert.deepEqual(await ruleHits(f, ELECTRON), [], f);
});

test('renderer/** imports nothing from main/**', async () => {
  const code = "import { createCore } from '../main/core/create-core.ts';\nexport const c = createCore;\n";
  assert.deepEqual(await ruleHits('renderer/x.ts', code), ['no-restricted-imports']);
  assert.deepEqual(await ruleHits('renderer/views/x.ts', code.replace('../main', '../../main')), ['no-restricted-imports']);
  const contract = "import type { Bridge } from '../preload/contract.ts';\nexport type B = Bridge;\n";
  assert.deepEqual(await ruleHits('renderer/x.ts', contract), []);
});

test('no global fetch and no own Agent/ProxyAgent outside main/net/**', async () => {
  for (const f of ['main/genesys/x.ts', 'main/tuning/x.ts', 'main/relay/x.ts', 'main/electron/x.ts', 'main/index.ts']) {
    assert.deepEqual(await ruleHits(f, FETCH), ['no-restricted-globals'], `${f} fetch`);
    const hits = await ruleHits(f, AGENT);
    assert.ok(hits.includes('no-restricted-imports'), `${f} undici import`);
    assert.equal(hits.filter((h) => h === 'no-restricted-syntax').length, 2, `${f} new Agent / new ProxyAgent`);
  }
  assert.deepEqual(await ruleHits('main/net/x.ts', AGENT), []);
  assert.deepEqual(await ruleHits('main/net/x.ts', "import { fetch, Agent } from 'undici';\nexport const r = fetch('https://x/', { dispatcher: new Agent() });\n"), []);
});
