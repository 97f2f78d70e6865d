// The spool's durable acknowledgement cursor: everything before (segment, offset) has been
// accepted by the database (or dropped at the size cap) and will not be sent again.
//
// Written as a whole file to `cursor.json.tmp`, fsynced, renamed over `cursor.json`, and the
// directory fsynced, so a crash leaves either the old cursor or the new one — never a mix. An old
// cursor only means some points are sent twice, which InfluxDB absorbs (same series and timestamp
// overwrite), so the cursor may lag but must never run ahead of what the database acknowledged.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export interface SpoolPosition {
  segment: number;
  offset: number;
}

export interface SpoolCursorState extends SpoolPosition {
  /** Points dropped at the size cap since the spool was created. */
  dropped: number;
  /** Points the database refused as bad data (moved to the rejected file) since the spool was created. */
  rejected: number;
}

const CURSOR_FILE = 'cursor.json';
const TMP_FILE = 'cursor.json.tmp';

const StateSchema = z.object({
  segment: z.number().int().min(0),
  offset: z.number().int().min(0),
  dropped: z.number().int().min(0).default(0),
  rejected: z.number().int().min(0).default(0),
});

export const comparePositions = (a: SpoolPosition, b: SpoolPosition): number =>
  a.segment !== b.segment ? a.segment - b.segment : a.offset - b.offset;

export type CursorRead =
  | { kind: 'ok'; state: SpoolCursorState }
  | { kind: 'missing' }
  | { kind: 'invalid'; reason: string };

export async function readCursor(dir: string): Promise<CursorRead> {
  await rm(join(dir, TMP_FILE), { force: true });
  let text: string;
  try {
    text = await readFile(join(dir, CURSOR_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  const parsed = StateSchema.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', reason: parsed.error.issues[0]?.message ?? 'invalid' };
  return { kind: 'ok', state: parsed.data };
}

export async function writeCursor(dir: string, state: SpoolCursorState): Promise<void> {
  const tmp = join(dir, TMP_FILE);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(state));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, CURSOR_FILE));
  await fsyncDir(dir);
}

/** Makes a rename or unlink in `dir` durable. Not supported on Windows, where rename is already ordered. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
