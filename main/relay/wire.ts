// WebSocket text frames built once and written as-is to every recipient (notes/wsrelay.md §2.1
// "encode once, send N"; ws made Sender.frame static for the same reason). Server frames are not
// masked, so one buffer serves all clients; the per-send cost is then one write of one buffer.
// Pure.

/** A complete unmasked FIN text frame carrying `payload`. */
export function textFrame(payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? 2 : len < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + len);
  out[0] = 0x81;
  if (len < 126) out[1] = len;
  else if (len < 65_536) {
    out[1] = 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(len), 2);
  }
  payload.copy(out, head);
  return out;
}

/** The payload of a frame built by `textFrame` (for the fallback path through ws.send). */
export function framePayload(frame: Buffer): Buffer {
  const len7 = (frame[1] ?? 0) & 0x7f;
  return frame.subarray(len7 < 126 ? 2 : len7 === 126 ? 4 : 10);
}

export function textFrameOf(text: string): Buffer {
  return textFrame(Buffer.from(text));
}
