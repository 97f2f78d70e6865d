// Tests that drive real system programs call `skipUnlessTools` at definition time.
// Locally a missing program skips the test with an install hint; with CI=true it is a failure,
// because CI installs every tool (.ci/run) and a silent skip would hide a broken rig.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ToolSpec {
  /** Executable name looked up on PATH, or an absolute path. */
  bin: string;
  /** Debian package that provides it. */
  apt: string;
}

export const TOOLS = {
  squid: { bin: 'squid', apt: 'squid-openssl' },
  certgen: { bin: '/usr/lib/squid/security_file_certgen', apt: 'squid-openssl' },
  tinyproxy: { bin: 'tinyproxy', apt: 'tinyproxy' },
  htpasswd: { bin: 'htpasswd', apt: 'apache2-utils' },
  openssl: { bin: 'openssl', apt: 'openssl' },
  influxd: { bin: 'influxd', apt: 'influxdb' },
  victoriaMetrics: { bin: 'victoria-metrics', apt: 'victoria-metrics' },
  gnomeKeyring: { bin: 'gnome-keyring-daemon', apt: 'gnome-keyring' },
  secretTool: { bin: 'secret-tool', apt: 'libsecret-tools' },
  dbusRunSession: { bin: 'dbus-run-session', apt: 'dbus' },
  chromium: { bin: '/usr/bin/chromium', apt: 'chromium' },
  xvfbRun: { bin: 'xvfb-run', apt: 'xvfb' },
  nginx: { bin: 'nginx', apt: 'nginx' },
} as const satisfies Record<string, ToolSpec>;

export function findExecutable(bin: string): string | undefined {
  const candidates = bin.includes('/')
    ? [bin]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'].map((dir) => join(dir, bin));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export function isCI(): boolean {
  return /^(1|true|yes)$/i.test(process.env.CI ?? '');
}

/**
 * Returns a skip reason (for `test(name, { skip })`) when a tool is missing, or `false` when all are present.
 * Under CI=true a missing tool throws instead, failing the test file.
 */
export function skipUnlessTools(...tools: ToolSpec[]): string | false {
  const missing = tools.filter((t) => !findExecutable(t.bin));
  if (missing.length === 0) return false;
  const pkgs = [...new Set(missing.map((t) => t.apt))].join(' ');
  const reason = `needs ${missing.map((t) => t.bin).join(', ')}; install with: sudo apt-get install ${pkgs}`;
  if (isCI()) throw new Error(`CI=true and a required system tool is missing: ${reason}`);
  return reason;
}
