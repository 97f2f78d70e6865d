import { test } from 'node:test';
import assert from 'node:assert/strict';
import { framePayload, textFrame } from '../../main/relay/wire.ts';

test('text frames carry 7-, 16- and 64-bit lengths, unmasked, FIN set', () => {
  for (const len of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
    const payload = Buffer.alloc(len, 0x61);
    const frame = textFrame(payload);
    assert.equal(frame[0], 0x81, 'FIN + text opcode');
    assert.equal((frame[1] as number) & 0x80, 0, 'server frames are not masked');
    const len7 = (frame[1] as number) & 0x7f;
    const declared = len7 < 126 ? len7 : len7 === 126 ? frame.readUInt16BE(2) : Number(frame.readBigUInt64BE(2));
    assert.equal(declared, len, `length ${len}`);
    assert.equal(frame.length, (len < 126 ? 2 : len < 65_536 ? 4 : 10) + len);
    assert.ok(framePayload(frame).equals(payload));
  }
});
