// `npm start`: launches the built app in Electron. Requiring the `electron` package would try to
// download a missing binary and fail with a stack trace; this finds the binary first and, where
// there is none, says so and points at the headless host instead.
import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary.ts';

const found = findElectronBinary({ root: process.cwd(), env: process.env, platform: process.platform });
if (!found.ok) {
  process.stderr.write(
    `Pacekeeper cannot start the desktop app: ${found.reason}.\n` +
      'Without Electron, run the same app headless and open the dashboard URL it prints:\n\n  npm run headless\n\n',
  );
  process.exit(1);
}
const child = spawn(found.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
