// Runs a Node script inside a private, headless D-Bus session with a real gnome-keyring Secret
// Service, so keychain tests never touch the developer's own keyring and behave the same in CI.
//
// Isolation:
// - a fresh temp HOME / XDG_* tree (the keyring files live there and are deleted afterwards);
// - our own bus config with no service directories, so nothing is D-Bus-activated behind our back
//   (no real gnome-keyring, no GUI unlock prompter: an unlock prompt fails at once, as on a server);
// - DISPLAY / WAYLAND_DISPLAY / DBUS_SESSION_BUS_ADDRESS removed from the child's environment.
//
// The child reports by writing JSON to the file named by $PACEKEEPER_RESULT (stdout is shared with
// gnome-keyring's chatter). Every run has a hard timeout and kills its whole process group.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOLS, type ToolSpec } from './system-tools.ts';

export const DBUS_SEND: ToolSpec = { bin: 'dbus-send', apt: 'dbus' };

/** Tools a keychain test needs; pass to `skipUnlessTools(...KEYRING_TOOLS)`. */
export const KEYRING_TOOLS: ToolSpec[] = [TOOLS.dbusRunSession, TOOLS.gnomeKeyring, TOOLS.secretTool, DBUS_SEND];

/**
 * - `unlocked`: gnome-keyring started with a login keyring created and unlocked (a desktop login).
 * - `no-collection`: gnome-keyring running, but no keyring was ever created or unlocked.
 * - `no-secret-service`: a session bus with nothing providing org.freedesktop.secrets.
 * - `no-dbus`: no session bus at all (DBUS_SESSION_BUS_ADDRESS unset, empty XDG_RUNTIME_DIR).
 */
export type KeyringMode = 'unlocked' | 'no-collection' | 'no-secret-service' | 'no-dbus';

export interface KeyringRun<T> {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
  /** What the child wrote to $PACEKEEPER_RESULT, parsed; undefined when it wrote nothing. */
  result: T | undefined;
}

/** A non-empty password: gnome-keyring will not create an unlocked login keyring without one. */
const KEYRING_PASSWORD = 'pacekeeper-test-keyring';

const BUS_CONFIG = (dir: string) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

export async function runInKeyringSession<T = unknown>(
  script: string,
  options: { mode: KeyringMode; args?: string[]; timeoutMs?: number },
): Promise<KeyringRun<T>> {
  const root = mkdtempSync(join(tmpdir(), 'pk-keyring-'));
  try {
    const dirs = {
      home: join(root, 'home'),
      data: join(root, 'data'),
      config: join(root, 'config'),
      cache: join(root, 'cache'),
      runtime: join(root, 'run'),
      bus: join(root, 'bus'),
    };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true, mode: 0o700 });
    const busConfig = join(root, 'session.conf');
    writeFileSync(busConfig, BUS_CONFIG(dirs.bus));
    const resultPath = join(root, 'result.json');

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: dirs.home,
      XDG_DATA_HOME: dirs.data,
      XDG_CONFIG_HOME: dirs.config,
      XDG_CACHE_HOME: dirs.cache,
      XDG_RUNTIME_DIR: dirs.runtime,
      PACEKEEPER_TEST: '1',
      PACEKEEPER_RESULT: resultPath,
      ...(process.env.CI ? { CI: process.env.CI } : {}),
    };
    const node = [process.execPath, '--experimental-strip-types', '--disable-warning=ExperimentalWarning', script, ...(options.args ?? [])];

    let cmd: string;
    let args: string[];
    if (options.mode === 'no-dbus') {
      [cmd, ...args] = node as [string, ...string[]];
    } else {
      const start = {
        unlocked: 'printf %s "$PK_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ',
        'no-collection': 'gnome-keyring-daemon --start --components=secrets >/dev/null && ',
        'no-secret-service': '',
      }[options.mode];
      cmd = 'dbus-run-session';
      args = ['--config-file', busConfig, '--', 'sh', '-c', `${start}unset PK_KEYRING_PASSWORD; exec "$@"`, 'sh', ...node];
      env.PK_KEYRING_PASSWORD = KEYRING_PASSWORD;
    }

    const child = spawn(cmd, args, { env, cwd: root, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 64_000) stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs ?? 60_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve([c, s]));
    }).finally(() => clearTimeout(timer));
    // gnome-keyring daemonizes into our process group; make sure nothing outlives the run.
    killGroup(child.pid);

    let result: T | undefined;
    try {
      result = JSON.parse(readFileSync(resultPath, 'utf8')) as T;
    } catch {
      result = undefined;
    }
    return { code, signal, timedOut, stderr, result };
  } finally {
    rmSync(root, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** For child scripts: writes the scenario's observations where the parent will read them. */
export function writeKeyringResult(value: unknown): void {
  const path = process.env.PACEKEEPER_RESULT;
  if (!path) throw new Error('PACEKEEPER_RESULT is not set; run this script through runInKeyringSession');
  writeFileSync(path, JSON.stringify(value));
}
