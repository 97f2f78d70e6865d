// The keychain backend against a real gnome-keyring Secret Service in a private D-Bus session.
// Each scenario runs in a child process (fixtures/keychain-scenario.ts) so the session bus address,
// HOME and XDG dirs are the child's own; see test/helpers/keyring-session.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { skipUnlessTools } from '../helpers/system-tools.ts';
import { KEYRING_TOOLS, runInKeyringSession, type KeyringMode } from '../helpers/keyring-session.ts';
import { KEYCHAIN_VALUES, PROVISIONED_PROXY_PASSWORD, ROTATED_CLIENT_SECRET } from './fixtures/secret-values.ts';

const SCENARIO = fileURLToPath(new URL('./fixtures/keychain-scenario.ts', import.meta.url));
const linuxOnly = process.platform === 'linux' ? false : 'Secret Service tests run on Linux only';
const skip = linuxOnly || skipUnlessTools(...KEYRING_TOOLS);

// Loose shapes: the child reports JSON and every field is asserted below.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function scenario(name: string, mode: KeyringMode): Promise<Json> {
  const run = await runInKeyringSession<{ ok: boolean; value?: Json; error?: Json; stack?: string }>(SCENARIO, {
    mode,
    args: [name],
    timeoutMs: 90_000,
  });
  assert.equal(run.timedOut, false, `scenario ${name} timed out; stderr:\n${run.stderr}`);
  assert.ok(run.result, `scenario ${name} wrote no result (exit ${run.code}); stderr:\n${run.stderr}`);
  assert.ok(run.result.ok, `scenario ${name} failed: ${JSON.stringify(run.result.error)}\n${run.result.stack}`);
  return run.result.value!;
}

function assertNoValues(text: string, values: string[]): void {
  for (const v of values) assert.ok(!text.includes(v), `found a secret value in: ${text.slice(0, 200)}`);
}

describe('keychain: unlocked gnome-keyring', { skip }, () => {
  let r: Json;
  test('runs the round-trip scenario', async () => {
    r = await scenario('roundtrip', 'unlocked');
    assert.equal(r.backend.kind, 'keychain');
    assert.equal(r.backend.description, 'Secret Service (service "pacekeeper")');
    assert.equal(r.warning, null);
  });

  test('set then get returns unicode and long values unchanged', () => {
    assert.deepEqual(r.read, KEYCHAIN_VALUES);
  });

  test('values are real Secret Service items (secret-tool lookup service pacekeeper username <name>)', () => {
    for (const [name, value] of Object.entries(KEYCHAIN_VALUES)) {
      assert.deepEqual(r.secretTool[name], { found: true, value }, name);
    }
    assert.deepEqual(r.relay.secretTool, { found: true, value: r.relay.token });
  });

  test('overwrite rotates the value in the keychain and in the redactor', () => {
    assert.equal(r.rotated.read, ROTATED_CLIENT_SECRET);
    assert.deepEqual(r.rotated.secretTool, { found: true, value: ROTATED_CLIENT_SECRET });
    assert.equal(r.redaction.rotatedMasked, 'x [redacted] x');
    assert.equal(r.redaction.oldMasked, `x ${KEYCHAIN_VALUES['genesys.clientSecret']} x`);
  });

  test('a second store (as after a restart) reads what was saved', () => {
    assert.deepEqual(r.reopened, {
      backend: 'keychain',
      clientSecret: ROTATED_CLIENT_SECRET,
      influxToken: KEYCHAIN_VALUES['influx.token'],
    });
  });

  test('the relay token is created once and persisted', () => {
    assert.match(r.relay.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(r.relay.again, r.relay.token);
  });

  test('delete removes the item from the Secret Service', () => {
    assert.deepEqual(r.deleted, { first: true, second: false });
    assert.equal(r.afterDelete.read, undefined);
    assert.equal(r.afterDelete.secretTool.found, false);
  });

  test('an item provisioned with secret-tool is read by the app', () => {
    assert.equal(r.provisioned, PROVISIONED_PROXY_PASSWORD);
  });

  test('status lists what is set and never contains a value; logs are masked', () => {
    const values = [...Object.values(KEYCHAIN_VALUES), ROTATED_CLIENT_SECRET, r.relay.token as string];
    assert.deepEqual(r.statusAfterSet.secrets, {
      'genesys.clientSecret': true,
      'proxy.password': true,
      'influx.token': true,
      'relay.token': false,
    });
    assert.deepEqual(r.finalStatus.secrets, {
      'genesys.clientSecret': true,
      'proxy.password': true,
      'influx.token': true,
      'relay.token': true,
    });
    assertNoValues(JSON.stringify([r.statusAfterSet, r.finalStatus, r.events]), values);
    const line = (r.logLines as string[]).find((l) => l.includes('request failed'));
    assert.ok(line);
    assert.equal(JSON.parse(line).msg, 'request failed with [redacted] and [redacted]');
  });
});

describe('keychain: locked mid-session', { skip }, () => {
  test('switches to memory with a KEYCHAIN_UNAVAILABLE warning and keeps known values', async () => {
    const r = await scenario('lock-mid-session', 'unlocked');
    assert.equal(r.before, 'keychain');
    assert.equal(r.after.kind, 'memory');
    assert.equal(r.after.persistent, false);
    assert.equal(r.warning.code, 'KEYCHAIN_UNAVAILABLE');
    assert.match(r.warning.message, /unlock prompt was dismissed/);
    assert.equal(r.proxyPassword, KEYCHAIN_VALUES['proxy.password']);
    assert.equal(r.influxToken, KEYCHAIN_VALUES['influx.token']);
    assert.equal(r.status.warning.code, 'KEYCHAIN_UNAVAILABLE');
    assert.deepEqual(
      r.events.map((e: Json) => e.kind),
      ['set', 'backend', 'set'],
    );
    assertNoValues(JSON.stringify([r.status, r.events, r.logLines]), Object.values(KEYCHAIN_VALUES));
  });
});

const unavailableCases: [KeyringMode, RegExp, string | false][] = [
  ['no-dbus', /DBUS_SESSION_BUS_ADDRESS|D-?Bus/i, linuxOnly],
  ['no-secret-service', /org\.freedesktop\.secrets/, skip],
  ['no-collection', /no result found|prompt/i, skip],
];
// These cases also prove the Secret Service pin: without `linux.store: 'secret-service'` the library
// silently stores in the kernel keyutils keyring (lost at reboot), and no-dbus / no-secret-service
// would report a working 'keychain' backend instead of the warning.
for (const [mode, detail, skipCase] of unavailableCases) {
  describe(`keychain: ${mode}`, { skip: skipCase }, () => {
    test('falls back to memory with KEYCHAIN_UNAVAILABLE, a fix line and a warning in status()', async () => {
      const r = await scenario('unavailable', mode);
      assert.equal(r.backend.kind, 'memory');
      assert.equal(r.warning.code, 'KEYCHAIN_UNAVAILABLE');
      assert.match(r.warning.message, detail);
      assert.match(r.warning.fix, /gnome-keyring/);
      assert.deepEqual(r.status.warning, r.warning);
      assert.equal(r.status.backend.persistent, false);
      assert.equal(r.read, KEYCHAIN_VALUES['genesys.clientSecret']);
      assert.match(r.relayToken, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(r.status.secrets['genesys.clientSecret'], true);
      assert.equal(r.masked, '[redacted]');
      const warnLine = (r.logLines as string[]).map((l) => JSON.parse(l)).find((l) => l.level === 'warn');
      assert.equal(warnLine?.code, 'KEYCHAIN_UNAVAILABLE');
      assertNoValues(JSON.stringify([r.status, r.logLines]), [KEYCHAIN_VALUES['genesys.clientSecret'], r.relayToken]);
    });
  });
}
