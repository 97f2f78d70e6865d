// Runs the test suite with Node's built-in runner. `--electron` runs only the Playwright
// `_electron` tests (under xvfb-run when available); they skip themselves without an Electron binary.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { cpus } from 'node:os';

const electron = process.argv.includes('--electron');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const all = globSync('test/**/*.test.ts').sort();
let files = electron
  ? all.filter((f) => f.startsWith('test/e2e/electron/'))
  : all.filter((f) => !f.startsWith('test/e2e/electron/'));
if (filters.length) files = files.filter((f) => filters.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const nodeArgs = [
  '--experimental-strip-types',
  '--disable-warning=ExperimentalWarning',
  '--test',
  `--test-concurrency=${Math.max(2, cpus().length)}`,
  '--test-timeout=180000',
  '--test-reporter=spec',
  ...files,
];

let cmd = process.execPath;
let args = nodeArgs;
if (electron && process.platform === 'linux' && !process.env.DISPLAY && spawnSync('which', ['xvfb-run']).status === 0) {
  cmd = 'xvfb-run';
  args = ['--auto-servernum', '--server-args=-screen 0 1280x800x24', process.execPath, ...nodeArgs];
}
const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, PACEKEEPER_TEST: '1' } });
process.exit(r.status ?? 1);
