// The spool's public shapes: options, the batches it hands out, and its figures for health.
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import type { LineBatch } from './line-batch.ts';
import type { SpoolPosition } from './spool-state.ts';

export interface SpoolOptions {
  dir: string;
  /** Cap on unacknowledged record bytes. At the cap the oldest points are dropped (docs/telemetry.md). */
  maxBytes: number;
  /** Soft size of one segment file. Default: maxBytes / 16, between 64 KiB and 8 MiB. */
  segmentBytes?: number;
  /** Longest time an appended record waits for fsync. Default 1000 ms. */
  fsyncIntervalMs?: number;
  clock?: Clock;
  log?: Logger;
  /** Told each time points are dropped at the cap (count of points in this drop). */
  onDrop?: (points: number) => void;
  /** Told after each group of appends reached the file (count of points), before their promises resolve. */
  onAppended?: (points: number) => void;
  /** Turns a failed append's I/O error into the error its callers see. */
  mapError?: (e: unknown) => Error;
}

export interface SpoolBatch {
  /** The points' lines, as one newline-separated buffer. */
  records: LineBatch;
  /** Cursor position just past the last record of the batch. */
  end: SpoolPosition;
  /** Record bytes (including checksums) covered by the batch. */
  bytes: number;
}

/** A batch's lines as text (for tests, diagnostics and the rejected file). */
export function batchLines(batch: Pick<SpoolBatch, 'records'>): string[] {
  return batch.records.lines();
}

export interface SpoolStats {
  backlogPoints: number;
  backlogBytes: number;
  /** Bytes of segment files on disk (backlog plus acknowledged bytes not yet deleted). */
  diskBytes: number;
  droppedPoints: number;
  rejectedPoints: number;
  /** Corrupt or torn records skipped since open. */
  corruptRecords: number;
}
