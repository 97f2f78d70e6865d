import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE, drainClose, truncateReason } from '../../main/relay/close-codes.ts';

test('drain closes map restart to 1012 and shutdown to 1001', () => {
  assert.deepEqual(drainClose('restart'), { code: 1012, reason: 'relay restarting' });
  assert.deepEqual(drainClose('shutdown'), { code: 1001, reason: 'relay shutting down' });
  assert.deepEqual(drainClose('restart', 'update 1.4'), { code: 1012, reason: 'relay restarting: update 1.4' });
});

test('every close code is one a server may send, and every reason fits a control frame', () => {
  for (const [name, spec] of Object.entries(CLOSE)) {
    const c = spec.code;
    // RFC 6455 §7.4: 1004-1006 and 1015 are never sent; 1000-1014 and 3000-4999 are.
    assert.ok((c >= 1000 && c <= 1014 && ![1004, 1005, 1006].includes(c)) || (c >= 3000 && c <= 4999), name);
    assert.ok(Buffer.byteLength(spec.reason) <= 123, name);
  }
  assert.equal(CLOSE.slowConsumer.code, 4008);
  assert.equal(CLOSE.tooBig.code, 1009);
  assert.equal(CLOSE.rateLimited.code, 1008);
  assert.equal(CLOSE.malformed.code, 1008);
});

test('long reasons are truncated to fit', () => {
  const r = truncateReason(`relay restarting: ${'é'.repeat(200)}`);
  assert.ok(Buffer.byteLength(r) <= 123);
  assert.ok(r.endsWith('...'));
});
