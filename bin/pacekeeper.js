#!/usr/bin/env node
// `pacekeeper` command. Runs the TypeScript sources directly (Node strips types); on Node
// versions that still need the flag for that, re-executes itself with it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const source = new URL('../main/cli.ts', import.meta.url);
const built = new URL('../dist/cli.mjs', import.meta.url);

async function run(href) {
  const { main } = await import(href);
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    console.error(`pacekeeper: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

if (existsSync(fileURLToPath(source))) {
  if (!process.features.typescript) {
    const r = spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...process.argv.slice(1)], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  await run(source.href);
} else if (existsSync(fileURLToPath(built))) {
  await run(built.href);
} else {
  console.error(`pacekeeper: neither the sources nor a build were found next to ${here}`);
  process.exit(1);
}
