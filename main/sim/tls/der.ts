// Minimal ASN.1 DER encoder: exactly the types an X.509 v3 certificate needs. Hand-written so the
// sandbox can mint its CA with node:crypto alone on Windows, macOS and Linux (no openssl binary,
// no native module). Tested against node's own X509Certificate parser and a real TLS handshake.

export type Der = Buffer;

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
export const nullValue = (): Der => Buffer.from([0x05, 0x00]);
export const boolean = (v: boolean): Der => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
export const octetString = (b: Buffer): Der => tlv(0x04, b);
export const utf8String = (s: string): Der => tlv(0x0c, Buffer.from(s, 'utf8'));

/** Constructed, context-specific `[n]` (EXPLICIT tagging). */
export const explicit = (n: number, inner: Der): Der => tlv(0xa0 | n, inner);
/** Primitive, context-specific `[n]` (IMPLICIT tagging of a primitive value). */
export const implicitPrimitive = (n: number, content: Buffer): Der => tlv(0x80 | n, content);

/** Unsigned big-endian integer: minimal length, with a 0x00 pad when the high bit is set. */
export function integer(value: Buffer | number): Der {
  let b: Buffer;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`DER integer must be a non-negative safe integer, got ${value}`);
    const bytes: number[] = [];
    for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    b = Buffer.from(bytes.length ? bytes : [0]);
  } else {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    b = value.subarray(start);
    if (b.length === 0) b = Buffer.from([0]);
  }
  if ((b[0] as number) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

/** BIT STRING with the given count of unused trailing bits in the last byte. */
export function bitString(bytes: Buffer, unusedBits = 0): Der {
  if (unusedBits < 0 || unusedBits > 7) throw new RangeError('unused bits must be 0..7');
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

export function oid(dotted: string): Der {
  const arcs = dotted.split('.').map((s) => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(n)) throw new RangeError(`bad OID arc '${s}' in ${dotted}`);
    return n;
  });
  if (arcs.length < 2 || (arcs[0] as number) > 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  const push128 = (n: number) => {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  };
  push128((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const a of arcs.slice(2)) push128(a);
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). Seconds precision. */
export function time(d: Date): Der {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = d.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new RangeError(`certificate time out of range: ${iso}`);
  return year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2) + 'Z', 'ascii')) : tlv(0x18, Buffer.from(digits + 'Z', 'ascii'));
}

export function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
