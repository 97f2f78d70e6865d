import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ManagedSecretStore } from '../../main/secrets/managed-secret-store.ts';
import { MemoryBackend } from '../../main/secrets/memory-backend.ts';
import { MAX_SECRET_LENGTH, SECRET_NAMES, type SecretName } from '../../main/secrets/secret-names.ts';
import { SecretStoreError } from '../../main/secrets/errors.ts';
import type { SecretChange } from '../../main/secrets/secret-store.ts';
import { Redactor, redactor as processRedactor } from '../../main/util/redact.ts';
import { createMemoryLogger } from '../../main/util/log.ts';

const unique = (label: string) => `${label}-${randomBytes(9).toString('base64url')}`;

function store(initial: [SecretName, string][] = []) {
  const redactor = new Redactor();
  return { redactor, store: new ManagedSecretStore({ backend: new MemoryBackend(initial), redactor }) };
}

test('set, get, has and delete round-trip every secret name', async () => {
  const { store: s } = store();
  for (const name of SECRET_NAMES) {
    const value = unique(name);
    assert.equal(await s.has(name), false);
    await s.set(name, value);
    assert.equal(await s.get(name), value);
    assert.equal(await s.has(name), true);
    assert.equal(await s.delete(name), true);
    assert.equal(await s.get(name), undefined);
    assert.equal(await s.delete(name), false);
  }
});

test('status reports which secrets are set and never their values', async () => {
  const { store: s } = store();
  const value = unique('influx');
  await s.set('influx.token', value);
  const status = await s.status();
  assert.deepEqual(status.secrets, {
    'genesys.clientSecret': false,
    'proxy.password': false,
    'influx.token': true,
    'relay.token': false,
  });
  assert.equal(status.backend.kind, 'memory');
  assert.equal(status.backend.persistent, false);
  assert.equal(status.warning, undefined);
  assert.ok(!JSON.stringify(status).includes(value));
});

test('rejects unknown names and unacceptable values without echoing them', async () => {
  const { store: s } = store();
  const bad: [string, unknown, RegExp][] = [
    ['genesys.clientSecret', '', /empty/],
    ['genesys.clientSecret', 'x'.repeat(MAX_SECRET_LENGTH + 1), /longer than 1024/],
    ['proxy.password', 'hunter2-with-newline\n', /line break/],
    ['proxy.password', 42, /not text/],
  ];
  for (const [name, value, why] of bad) {
    await assert.rejects(s.set(name as SecretName, value as string), (e: unknown) => {
      assert.ok(e instanceof SecretStoreError);
      assert.equal(e.code, 'SECRET_INVALID');
      assert.match(e.message, why);
      assert.ok(e.fix.length > 0);
      if (typeof value === 'string' && value.length > 0) assert.ok(!e.message.includes(value.trim()));
      return true;
    });
  }
  await assert.rejects(s.get('genesys.password' as SecretName), { code: 'SECRET_INVALID' });
  assert.deepEqual(Object.values((await s.status()).secrets), [false, false, false, false]);
  // The limit is inclusive: a value of exactly MAX_SECRET_LENGTH is stored.
  await s.set('influx.token', 'y'.repeat(MAX_SECRET_LENGTH));
  assert.equal((await s.get('influx.token'))?.length, MAX_SECRET_LENGTH);
});

test('values loaded from the backend and values saved are masked by the redactor', async () => {
  const stored = unique('stored');
  const { store: s, redactor } = store([['genesys.clientSecret', stored]]);
  assert.equal(redactor.text(`a ${stored} b`), `a ${stored} b`, 'not registered before it is loaded');
  assert.equal(await s.get('genesys.clientSecret'), stored);
  assert.equal(redactor.text(`a ${stored} b`), 'a [redacted] b');

  const saved = unique('saved: @ % 日本 🎉');
  await s.set('proxy.password', saved);
  assert.equal(redactor.text(`x${saved}x`), 'x[redacted]x');
  assert.equal(redactor.text(encodeURIComponent(saved)), '[redacted]');
});

test('rotation registers the new value and forgets the old one; delete forgets the value', async () => {
  const { store: s, redactor } = store();
  const first = unique('first');
  const second = unique('second');
  await s.set('relay.token', first);
  await s.set('relay.token', second);
  assert.equal(redactor.text(second), '[redacted]');
  assert.equal(redactor.text(first), first);
  await s.delete('relay.token');
  assert.equal(redactor.text(second), second);
});

test('a value shared by two secrets stays masked until neither holds it', async () => {
  const { store: s, redactor } = store();
  const shared = unique('shared');
  await s.set('influx.token', shared);
  await s.set('proxy.password', shared);
  await s.delete('influx.token');
  assert.equal(redactor.text(shared), '[redacted]');
  await s.set('proxy.password', unique('other'));
  assert.equal(redactor.text(shared), shared);
});

test('the default redactor is the process-wide one the logger uses', async () => {
  const s = new ManagedSecretStore({ backend: new MemoryBackend() });
  const value = unique('logged');
  await s.set('genesys.clientSecret', value);
  const log = createMemoryLogger();
  log.error(`token request failed for ${value}`, { detail: `body=${value}` });
  assert.equal(log.lines.length, 1);
  assert.ok(!log.lines[0]!.includes(value));
  assert.match(log.lines[0]!, /\[redacted\]/);
  await s.delete('genesys.clientSecret');
  assert.equal(processRedactor.text(value), value);
});

test('change events name the secret and never carry its value', async () => {
  const { store: s } = store();
  const events: SecretChange[] = [];
  const off = s.onChange((c) => events.push(c));
  s.onChange(() => {
    throw new Error('a broken listener must not break the store');
  });
  const value = unique('evt');
  await s.set('proxy.password', value);
  await s.delete('proxy.password');
  await s.delete('proxy.password');
  off();
  await s.set('proxy.password', unique('after-off'));
  assert.deepEqual(events, [
    { kind: 'set', name: 'proxy.password' },
    { kind: 'deleted', name: 'proxy.password' },
  ]);
  assert.ok(!JSON.stringify(events).includes(value));
});

test('concurrent writes apply in call order', async () => {
  const { store: s, redactor } = store();
  const values = Array.from({ length: 20 }, (_, i) => unique(`v${i}`));
  await Promise.all(values.map((v) => s.set('relay.token', v)));
  assert.equal(await s.get('relay.token'), values.at(-1));
  // Only the last value is still registered; every earlier one was rotated out.
  assert.deepEqual(
    values.map((v) => redactor.text(v) === '[redacted]'),
    values.map((_, i) => i === values.length - 1),
  );
});
