// `npm run bench [name…]`: runs side-by-side benchmarks. Each `bench/<name>.bench.ts` exports
// `run(args)`, measures Pacekeeper and its baseline in the same run, and prints ratios.
import { globSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const all = globSync('bench/*.bench.ts').sort();
const names = all.map((f) => basename(f, '.bench.ts'));
const chosen = wanted.length ? wanted : names;

for (const name of chosen) {
  if (!names.includes(name)) {
    console.error(`unknown benchmark '${name}'; available: ${names.join(', ')}`);
    process.exit(2);
  }
}

let failed = false;
for (const name of chosen) {
  console.log(`\n### bench ${name}\n`);
  const mod = (await import(pathToFileURL(`bench/${name}.bench.ts`).href)) as { run(flags: string[]): Promise<boolean | void> };
  try {
    const ok = await mod.run(flags);
    if (ok === false) failed = true;
  } catch (e) {
    failed = true;
    console.error(`bench ${name} failed:`, e);
  }
}
process.exitCode = failed ? 1 : 0;
