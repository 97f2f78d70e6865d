// Points the database refused as malformed are set aside in `rejected.lp` next to the spool, one
// comment line with the time and the database's reason, then the line itself, so they can be
// inspected, fixed and replayed by hand. The file is capped: past `maxBytes` it is rotated to
// `rejected.lp.1` (one generation kept), because a misbehaving source must not fill the disk.
import { appendFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RejectedPoint } from './batch-sender.ts';

export const REJECTED_FILE = 'rejected.lp';

export class DeadLetterFile {
  readonly path: string;
  readonly #maxBytes: number;

  constructor(dir: string, maxBytes = 1 << 20) {
    this.path = join(dir, REJECTED_FILE);
    this.#maxBytes = maxBytes;
  }

  async add(points: readonly RejectedPoint[], nowMs: number): Promise<void> {
    if (points.length === 0) return;
    const at = new Date(nowMs).toISOString();
    const text = points.map((p) => `# ${at} ${p.error.code}: ${p.error.message.replace(/[\r\n]+/g, ' ')}\n${p.line}\n`).join('');
    const size = await stat(this.path).then((s) => s.size, () => 0);
    if (size > 0 && size + text.length > this.#maxBytes) await rename(this.path, `${this.path}.1`);
    await appendFile(this.path, text, { mode: 0o600 });
  }
}
