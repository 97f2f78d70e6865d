// CSV export of the audit trail (`pacekeeper audit export --csv`): one row per record, oldest
// first across rotated files, RFC 4180 quoting. Inputs are flattened into fixed columns so a
// spreadsheet sees the same columns for every row.
import { auditFiles, readAuditFile, type AuditRecord } from './audit-log.ts';

export const CSV_COLUMNS = [
  'time', 'kind', 'campaign_id', 'campaign_name', 'field', 'controller', 'mode', 'outcome', 'old_value', 'new_value', 'version',
  'reason', 'from_mode', 'to_mode', 'hold_until', 'live', 'abandoned', 'attempts', 'connects', 'window_abandon_pct',
  'day_abandon_pct', 'connect_ratio', 'idle_agents', 'detail',
] as const;

export interface CsvFilter {
  campaignId?: string;
  /** Only records at or after this epoch ms. */
  sinceMs?: number;
}

/** RFC 4180: quote when needed, double the quotes; neutralise spreadsheet formulas. */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet; reasons come from operators.
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function row(r: AuditRecord): unknown[] {
  if (r.kind === 'mode') {
    return [r.time, r.snapshot ? 'mode-snapshot' : 'mode', r.campaignId, r.campaignName, '', '', r.to, '', '', r.value, '', r.reason, r.from, r.to,
      r.holdUntil != null ? new Date(r.holdUntil).toISOString() : '', '', '', '', '', '', '', '', '', ''];
  }
  const i = r.inputs ?? {};
  return [r.time, 'decision', r.campaignId, r.campaignName, r.field, r.controller, r.mode, r.outcome, r.oldValue, r.newValue, r.version, r.reason,
    '', '', '', i.live, i.abandoned, i.attempts, i.connects, i.windowAbandonPct, i.dayAbandonPct, i.connectRatio, i.idleAgents, r.detail];
}

export function auditToCsv(records: Iterable<AuditRecord>, filter: CsvFilter = {}): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    if (filter.campaignId && r.campaignId !== filter.campaignId) continue;
    if (filter.sinceMs !== undefined && !(Date.parse(r.time) >= filter.sinceMs)) continue;
    lines.push(row(r).map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Reads every audit file in `dir` (rotated ones first) and returns the CSV text. */
export function exportAuditCsv(dir: string, filter: CsvFilter = {}): { csv: string; files: number; rows: number } {
  const files = auditFiles(dir);
  const records = files.flatMap(readAuditFile);
  const csv = auditToCsv(records, filter);
  return { csv, files: files.length, rows: csv.split('\r\n').length - 2 };
}
