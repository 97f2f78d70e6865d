// Opening a spool after a clean stop, a crash or a power cut: find the segments, read the cursor,
// delete what a crash left behind the cursor, cut a torn last record, and count the backlog.
import { readdir, stat, truncate, unlink } from 'node:fs/promises';
import type { Logger } from '../util/log.ts';
import { readRecords, scanTornTail, SEGMENT_NAME, segmentPath, type Segment } from './spool-reader.ts';
import { readCursor, type SpoolCursorState } from './spool-state.ts';

export interface RecoveredSpool {
  /** Segments at or after the cursor, oldest first. */
  segments: Segment[];
  state: SpoolCursorState;
  backlogPoints: number;
  /** Torn or corrupt records found (they are skipped). */
  corrupt: number;
}

/** Recovers the spool in `dir`, which the caller has created and locked. */
export async function recoverSpool(dir: string, log: Logger): Promise<RecoveredSpool> {
  const ids = (await readdir(dir)).flatMap((n) => {
    const m = SEGMENT_NAME.exec(n);
    return m ? [Number(m[1])] : [];
  }).sort((a, b) => a - b);
  let segments: Segment[] = [];
  for (const id of ids) segments.push({ id, size: (await stat(segmentPath(dir, id))).size });

  const read = await readCursor(dir);
  if (read.kind === 'invalid') log.warn('telemetry spool: cursor file unreadable; resending from the oldest segment', { reason: read.reason });
  const state: SpoolCursorState = read.kind === 'ok' ? read.state : { segment: segments[0]?.id ?? 0, offset: 0, dropped: 0, rejected: 0 };

  // Segments wholly behind the cursor were acknowledged; a crash stopped their deletion.
  for (const s of segments.filter((x) => x.id < state.segment)) await unlink(segmentPath(dir, s.id));
  segments = segments.filter((s) => s.id >= state.segment);

  let corrupt = 0;
  const last = segments.at(-1);
  if (last) {
    const keep = await scanTornTail(segmentPath(dir, last.id), last.size);
    if (keep < last.size) {
      log.warn('telemetry spool: discarded a torn record at the end of the spool', { segment: last.id, bytes: last.size - keep });
      await truncate(segmentPath(dir, last.id), keep);
      last.size = keep;
      corrupt++;
    }
  }
  const cur = segments.find((s) => s.id === state.segment);
  if (!cur) {
    // The cursor's segment is gone (deleted after a drop at the cap): everything left is newer.
    const next = segments[0];
    if (next) Object.assign(state, { segment: next.id, offset: 0 });
  } else if (state.offset > cur.size) {
    state.offset = cur.size; // data lost to a power cut after the cursor was written
  }

  const all = await readRecords(dir, segments, state, { collect: false });
  if (all.corrupt) log.warn('telemetry spool: skipping corrupt records (checksum mismatch)', { count: all.corrupt });
  return { segments, state, backlogPoints: all.count, corrupt: corrupt + all.corrupt };
}
