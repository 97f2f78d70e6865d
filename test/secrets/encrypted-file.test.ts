import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSecretStore } from '../../main/secrets/open-secret-store.ts';
import { SECRETS_FILE_NAME } from '../../main/secrets/encrypted-file-backend.ts';
import type { Encryptor } from '../../main/secrets/encryptor.ts';
import { Redactor } from '../../main/util/redact.ts';
import { createAesGcmEncryptor } from './aes-gcm-encryptor.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'pk-secrets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const VALUES = {
  'genesys.clientSecret': 'gC-secret: @ % space 😀',
  'proxy.password': 'p@ss:w%rd 日本語 🎉',
  'influx.token': 'x'.repeat(900) + '漢字',
} as const;

test('encrypted-file store persists secrets as ciphertext only, in a 0600 file', async (t) => {
  const path = join(tempDir(t), 'nested', SECRETS_FILE_NAME);
  const encryptor = createAesGcmEncryptor();
  const redactor = new Redactor();
  const s = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor }, redactor });
  assert.equal(s.backend.kind, 'encrypted-file');
  assert.equal(s.backend.persistent, true);
  assert.equal(s.warning, undefined);
  for (const [name, value] of Object.entries(VALUES)) await s.set(name as keyof typeof VALUES, value);

  const text = readFileSync(path, 'utf8');
  for (const value of Object.values(VALUES)) {
    assert.ok(!text.includes(value));
    assert.ok(!text.includes(Buffer.from(value).toString('base64')));
  }
  assert.deepEqual(Object.keys(JSON.parse(text).entries).sort(), Object.keys(VALUES).sort());
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);

  const reopened = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor }, redactor });
  for (const [name, value] of Object.entries(VALUES)) assert.equal(await reopened.get(name as keyof typeof VALUES), value);
  assert.equal(await reopened.delete('proxy.password'), true);
  const again = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor }, redactor });
  assert.deepEqual((await again.status()).secrets, {
    'genesys.clientSecret': true,
    'proxy.password': false,
    'influx.token': true,
    'relay.token': false,
  });
});

test('a basic_text encryptor is refused: memory store with an ENCRYPTION_INSECURE warning, no file', async (t) => {
  const path = join(tempDir(t), SECRETS_FILE_NAME);
  const encryptor = createAesGcmEncryptor({ backendName: 'basic_text' });
  const s = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor }, redactor: new Redactor() });
  assert.equal(s.backend.kind, 'memory');
  assert.equal(s.warning?.code, 'ENCRYPTION_INSECURE');
  assert.match(s.warning?.fix ?? '', /keyring/);
  await s.set('relay.token', 'in-memory-only-token');
  assert.equal(await s.get('relay.token'), 'in-memory-only-token');
  assert.equal(existsSync(path), false);
  assert.equal((await s.status()).warning?.code, 'ENCRYPTION_INSECURE');
});

test('an unavailable or missing encryptor falls back to memory with ENCRYPTION_UNAVAILABLE', async (t) => {
  const path = join(tempDir(t), SECRETS_FILE_NAME);
  const unavailable = await openSecretStore({
    store: 'encrypted-file',
    encryptedFile: { path, encryptor: createAesGcmEncryptor({ available: false }) },
    redactor: new Redactor(),
  });
  assert.equal(unavailable.backend.kind, 'memory');
  assert.equal(unavailable.warning?.code, 'ENCRYPTION_UNAVAILABLE');
  const missing = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor: undefined } });
  assert.equal(missing.warning?.code, 'ENCRYPTION_UNAVAILABLE');
  const beforeReady = await openSecretStore({
    store: 'encrypted-file',
    encryptedFile: { path, encryptor: createAesGcmEncryptor({ backendName: 'unknown' }) },
  });
  assert.equal(beforeReady.warning?.code, 'ENCRYPTION_UNAVAILABLE');
  assert.match(beforeReady.warning?.fix ?? '', /ready/);
  assert.equal(existsSync(path), false);
});

test('a corrupt secrets file is left untouched and reported', async (t) => {
  const path = join(tempDir(t), SECRETS_FILE_NAME);
  const corrupt = '{"format":"pacekeeper-secrets","version":1,"entries":{"proxy.password":';
  writeFileSync(path, corrupt);
  const s = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor: createAesGcmEncryptor() } });
  assert.equal(s.backend.kind, 'memory');
  assert.equal(s.warning?.code, 'SECRET_FILE_ERROR');
  await s.set('proxy.password', 'session-only-password');
  assert.equal(readFileSync(path, 'utf8'), corrupt);
});

test('a changed OS key or a tampered file makes the item unreadable, not silently empty', async (t) => {
  const path = join(tempDir(t), SECRETS_FILE_NAME);
  const first = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor: createAesGcmEncryptor() } });
  await first.set('genesys.clientSecret', VALUES['genesys.clientSecret']);
  await first.set('influx.token', VALUES['influx.token']);

  const second = createAesGcmEncryptor();
  const otherKey = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor: second } });
  await assert.rejects(otherKey.get('genesys.clientSecret'), { code: 'SECRET_UNREADABLE' });
  const status = await otherKey.status();
  assert.equal(status.secrets['genesys.clientSecret'], true);
  assert.equal(status.unreadable?.['genesys.clientSecret']?.code, 'SECRET_UNREADABLE');
  assert.equal(status.secrets['proxy.password'], false);
  // Re-entering the secret repairs it.
  await otherKey.set('genesys.clientSecret', 'fresh');
  assert.equal(await otherKey.get('genesys.clientSecret'), 'fresh');

  // Flip one ciphertext byte: with the right key, GCM authentication must still reject it.
  const file = JSON.parse(readFileSync(path, 'utf8'));
  const bytes = Buffer.from(file.entries['genesys.clientSecret'], 'base64');
  bytes[bytes.length - 1]! ^= 0x01;
  file.entries['genesys.clientSecret'] = bytes.toString('base64');
  writeFileSync(path, JSON.stringify(file));
  const tampered = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor: second } });
  await assert.rejects(tampered.get('genesys.clientSecret'), { code: 'SECRET_UNREADABLE' });
});

test('decrypt asking for re-encryption stores a fresh ciphertext', async (t) => {
  const path = join(tempDir(t), SECRETS_FILE_NAME);
  const base = createAesGcmEncryptor();
  const s = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor: base } });
  await s.set('proxy.password', VALUES['proxy.password']);
  const before = JSON.parse(readFileSync(path, 'utf8')).entries['proxy.password'];
  const reEncrypting: Encryptor = {
    ...base,
    decrypt: async (c) => ({ ...(await base.decrypt(c)), shouldReEncrypt: true }),
  };
  const reopened = await openSecretStore({ store: 'encrypted-file', encryptedFile: { path, encryptor: reEncrypting } });
  assert.equal(await reopened.get('proxy.password'), VALUES['proxy.password']);
  const after = JSON.parse(readFileSync(path, 'utf8')).entries['proxy.password'];
  assert.notEqual(after, before);
  assert.equal((await base.decrypt(Buffer.from(after, 'base64'))).plaintext, VALUES['proxy.password']);
});
