// A deliberately small WebSocket client for the load generator: one socket, text frames only,
// server frames unmasked. The `ws` package is heavier per message, and the generator must receive
// faster than the system under test delivers (notes/wsrelay.md §3, "load generator hygiene").
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface MiniWsOptions {
  host: string;
  port: number;
  path: string;
  headers?: Record<string, string>;
  localAddress?: string;
  onText(payload: Buffer): void;
  onClose(code: number, reason: string): void;
}

// One read buffer shared by every socket of the process: reads are handled synchronously, and
// a partial frame is copied out before the next read, so nothing is allocated per read.
const SHARED = Buffer.allocUnsafe(256 * 1024);

export class MiniWs {
  readonly socket: Socket;
  #o: MiniWsOptions;
  #buf: Buffer | undefined;
  #open = false;
  #closed = false;
  readonly opened: Promise<void>;

  constructor(o: MiniWsOptions) {
    this.#o = o;
    this.socket = connect({
      host: o.host,
      port: o.port,
      ...(o.localAddress ? { localAddress: o.localAddress } : {}),
      onread: { buffer: SHARED, callback: (n: number, buf: Uint8Array) => this.#onRead(Buffer.from(buf.buffer, buf.byteOffset, n)) },
    });
    this.socket.setNoDelay(true);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('connect', () => {
        const key = randomBytes(16).toString('base64');
        const lines = [`GET ${o.path} HTTP/1.1`, `Host: ${o.host}:${o.port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13'];
        for (const [k, v] of Object.entries(o.headers ?? {})) lines.push(`${k}: ${v}`);
        this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      });
      this.#handshake = (chunk: Buffer) => {
        this.#buf = this.#buf ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk);
        const end = this.#buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = this.#buf.subarray(0, end).toString('latin1');
        const rest = this.#buf.subarray(end + 4);
        this.#buf = undefined;
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
        if (status !== 101) {
          this.#closed = true;
          this.socket.destroy();
          reject(new Error(`upgrade refused: ${status}`));
          return;
        }
        this.#open = true;
        resolve();
        if (rest.length) this.#frames(rest);
      };
      this.socket.on('error', (e) => {
        if (!this.#open) reject(e);
      });
      this.socket.on('close', () => {
        if (!this.#open) reject(new Error('closed during handshake'));
        this.#finish(1006, '');
      });
    });
  }

  #handshake: (chunk: Buffer) => void = () => undefined;

  #onRead(chunk: Buffer): boolean {
    if (this.#open) this.#frames(chunk);
    else this.#handshake(chunk);
    return true;
  }

  #finish(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#o.onClose(code, reason);
  }

  #frames(chunk: Buffer): void {
    let buf = this.#buf ? Buffer.concat([this.#buf, chunk]) : chunk;
    this.#buf = undefined;
    for (;;) {
      if (buf.length < 2) break;
      const b0 = buf[0]!;
      const b1 = buf[1]!;
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) break;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) break;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      if (buf.length < off + len) break;
      const payload = buf.subarray(off, off + len);
      const opcode = b0 & 0x0f;
      if (opcode === 1) this.#o.onText(payload);
      else if (opcode === 9) this.#control(0xa, payload);
      else if (opcode === 8) {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
        this.#control(0x8, payload.subarray(0, 2));
        this.socket.end();
        this.#finish(code, reason);
      }
      buf = buf.subarray(off + len);
    }
    if (buf.length) this.#buf = Buffer.from(buf);
  }

  #control(opcode: number, payload: Buffer): void {
    this.socket.write(frame(opcode, payload));
  }

  sendText(text: string): void {
    this.socket.write(frame(0x1, Buffer.from(text)));
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    if (this.#open && !this.#closed) this.#control(0x8, Buffer.from([0x03, 0xe8]));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }
}

/** A masked client frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const headLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(headLen + 4 + len);
  out[0] = 0x80 | opcode;
  if (len < 126) out[1] = 0x80 | len;
  else if (len < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(len), 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, headLen);
  for (let i = 0; i < len; i++) out[headLen + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return out;
}
