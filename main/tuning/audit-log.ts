// The tuning audit trail: an append-only JSONL file per data directory, rotated by size.
//
// - Every cycle's decision is one `decision` record (time, campaign, inputs, controller, old and
//   new value, outcome, version); every mode change is one `mode` record with its reason.
// - Appends are synchronous: a record is on disk before the loop moves on, so a crash loses at
//   most the line being written, and a half-written last line is skipped on read.
// - Rotation renames tuning-audit.jsonl → .1.jsonl → .2.jsonl …, keeps `maxFiles` files, and
//   starts the new file with a snapshot of every campaign's mode, so recovery only needs the newest
//   file that mentions a campaign.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TuningMode } from './guards.ts';

export const AUDIT_FILE = 'tuning-audit.jsonl';

export interface DecisionRecord {
  kind: 'decision';
  /** ISO time. */
  time: string;
  campaignId: string;
  campaignName?: string;
  /** The platform field written: always maxCallsPerAgentDecimal (maxCallsPerAgent follows it). */
  field: 'maxCallsPerAgentDecimal';
  controller: string;
  mode: TuningMode;
  reason: string;
  oldValue: number | null;
  /** The value written, or recommended when nothing was written. */
  newValue: number | null;
  outcome: 'applied' | 'unchanged' | 'dry-run' | 'skipped' | 'conflict' | 'rate-limited' | 'breaker-open' | 'error';
  version: number | null;
  /** What the controller saw: this cycle's counts, the windows, and its own terms. */
  inputs: Record<string, number | null>;
  detail?: string;
}

export interface ModeRecord {
  kind: 'mode';
  time: string;
  campaignId: string;
  campaignName?: string;
  from: TuningMode | null;
  to: TuningMode;
  reason: string;
  /** Override value and hold end (epoch ms), for `override`. */
  value?: number;
  holdUntil?: number | null;
  /** The settings' mode when this record was written (an operator's mode survives only while it holds). */
  settingsMode?: Exclude<TuningMode, 'override'>;
  /** Written at the top of a rotated file; not a change. */
  snapshot?: boolean;
}

export type AuditRecord = DecisionRecord | ModeRecord;

export interface AuditLogOptions {
  dir: string;
  /** Rotate once the current file reaches this size (default 5 MiB). */
  maxBytes?: number;
  /** Files kept, including the current one (default 5). */
  maxFiles?: number;
}

export interface RecoveredMode {
  mode: TuningMode;
  value: number | undefined;
  holdUntil: number | undefined;
  time: string;
  reason: string;
  settingsMode: Exclude<TuningMode, 'override'> | undefined;
}

export function auditFiles(dir: string, maxFiles = 50): string[] {
  const files: string[] = [];
  for (let i = maxFiles; i >= 1; i--) {
    const p = join(dir, `tuning-audit.${i}.jsonl`);
    if (existsSync(p)) files.push(p);
  }
  const cur = join(dir, AUDIT_FILE);
  if (existsSync(cur)) files.push(cur);
  return files; // oldest first
}

/** Parses one file; malformed lines (a torn last write, a hand edit) are skipped, not fatal. */
export function readAuditFile(path: string): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as AuditRecord;
      if (r && (r.kind === 'decision' || r.kind === 'mode') && typeof r.campaignId === 'string') out.push(r);
    } catch {
      // skipped: see above
    }
  }
  return out;
}

export class AuditLog {
  readonly dir: string;
  readonly path: string;
  readonly #maxBytes: number;
  readonly #maxFiles: number;
  #size: number;
  /** Latest mode record per campaign, for the rotation snapshot. */
  readonly #modes = new Map<string, ModeRecord>();

  constructor(o: AuditLogOptions) {
    this.dir = o.dir;
    this.path = join(o.dir, AUDIT_FILE);
    this.#maxBytes = o.maxBytes ?? 5 * 1024 * 1024;
    this.#maxFiles = Math.max(1, o.maxFiles ?? 5);
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    this.#size = existsSync(this.path) ? statSync(this.path).size : 0;
  }

  append(record: AuditRecord): void {
    const line = JSON.stringify(record) + '\n';
    // The snapshot is the state before this record, which follows it: a mode record that causes
    // the rotation is not written twice.
    if (this.#size > 0 && this.#size + Buffer.byteLength(line) > this.#maxBytes) this.#rotate();
    if (record.kind === 'mode') this.#modes.set(record.campaignId, record);
    this.#write(line);
  }

  /**
   * The last mode of each campaign, newest file first, falling back to older files only for
   * campaigns the newer ones do not mention.
   */
  recoverModes(): Map<string, RecoveredMode> {
    const found = new Map<string, RecoveredMode>();
    for (const file of auditFiles(this.dir, this.#maxFiles).reverse()) {
      const latest = new Map<string, ModeRecord>();
      for (const r of readAuditFile(file)) if (r.kind === 'mode') latest.set(r.campaignId, r);
      for (const [id, r] of latest) {
        if (found.has(id)) continue;
        found.set(id, { mode: r.to, value: r.value, holdUntil: r.holdUntil ?? undefined, time: r.time, reason: r.reason, settingsMode: r.settingsMode });
        this.#modes.set(id, r);
      }
    }
    return found;
  }

  #write(line: string): void {
    appendFileSync(this.path, line, { mode: 0o600 });
    this.#size += Buffer.byteLength(line);
  }

  #rotate(): void {
    const oldest = join(this.dir, `tuning-audit.${this.#maxFiles - 1}.jsonl`);
    if (this.#maxFiles === 1) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(oldest, { force: true });
      for (let i = this.#maxFiles - 2; i >= 1; i--) {
        const from = join(this.dir, `tuning-audit.${i}.jsonl`);
        if (existsSync(from)) renameSync(from, join(this.dir, `tuning-audit.${i + 1}.jsonl`));
      }
      renameSync(this.path, join(this.dir, 'tuning-audit.1.jsonl'));
    }
    this.#size = 0;
    // One write for the whole snapshot, not one per campaign.
    const snapshot = [...this.#modes.values()].map((r) => JSON.stringify({ ...r, snapshot: true }) + '\n').join('');
    if (snapshot) this.#write(snapshot);
  }
}
