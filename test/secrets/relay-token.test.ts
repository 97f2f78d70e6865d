import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRelayToken, rotateRelayToken } from '../../main/secrets/relay-token.ts';
import { openSecretStore } from '../../main/secrets/open-secret-store.ts';
import { ManagedSecretStore } from '../../main/secrets/managed-secret-store.ts';
import { MemoryBackend } from '../../main/secrets/memory-backend.ts';
import { Redactor } from '../../main/util/redact.ts';
import { createAesGcmEncryptor } from './aes-gcm-encryptor.ts';

test('the relay token is created once, persisted, and reused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pk-relay-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const encryptedFile = { path: join(dir, 'secrets.json'), encryptor: createAesGcmEncryptor() };
  const redactor = new Redactor();

  const first = await openSecretStore({ store: 'encrypted-file', encryptedFile, redactor });
  assert.equal(await first.has('relay.token'), false);
  const token = await ensureRelayToken(first);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await ensureRelayToken(first), token);
  assert.equal(redactor.text(`token=${token}`), 'token=[redacted]');

  const afterRestart = await openSecretStore({ store: 'encrypted-file', encryptedFile, redactor });
  assert.equal(await ensureRelayToken(afterRestart), token);

  const rotated = await rotateRelayToken(afterRestart);
  assert.notEqual(rotated, token);
  assert.equal(await ensureRelayToken(afterRestart), rotated);
  assert.equal(redactor.text(token), token, 'the old token is no longer registered');
});

test('two installs get different tokens', async () => {
  const a = await ensureRelayToken(new ManagedSecretStore({ backend: new MemoryBackend(), redactor: new Redactor() }));
  const b = await ensureRelayToken(new ManagedSecretStore({ backend: new MemoryBackend(), redactor: new Redactor() }));
  assert.notEqual(a, b);
});
