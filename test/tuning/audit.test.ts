import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, auditFiles, readAuditFile, type DecisionRecord, type ModeRecord } from '../../main/tuning/audit-log.ts';
import { auditToCsv, csvCell, exportAuditCsv } from '../../main/tuning/audit-csv.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pk-audit-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const decision = (i: number, campaignId = 'c1'): DecisionRecord => ({
  kind: 'decision', time: new Date(Date.UTC(2026, 0, 5, 8, 0, i)).toISOString(), campaignId, campaignName: 'Renewals, "Q3"',
  field: 'maxCallsPerAgentDecimal', controller: 'compliance-pi', mode: 'auto', reason: 'pi', oldValue: 2, newValue: 2.1,
  outcome: 'applied', version: i, inputs: { live: 5, abandoned: 0, windowAbandonPct: 2.4, connectRatio: 0.2 },
});
const mode = (to: ModeRecord['to'], extra: Partial<ModeRecord> = {}, campaignId = 'c1'): ModeRecord => ({
  kind: 'mode', time: new Date(Date.UTC(2026, 0, 5, 9)).toISOString(), campaignId, from: 'auto', to, reason: 'because', settingsMode: 'auto', ...extra,
});

describe('audit log', () => {
  test('appends JSONL and recovers the last mode of each campaign after a restart', () => {
    const dir = tmp();
    const a = new AuditLog({ dir });
    a.append(decision(1));
    a.append(mode('paused', {}, 'c2'));
    a.append(mode('override', { value: 2.4, holdUntil: 123 }));
    const b = new AuditLog({ dir });
    const m = b.recoverModes();
    assert.deepEqual(m.get('c1'), { mode: 'override', value: 2.4, holdUntil: 123, time: mode('auto').time, reason: 'because', settingsMode: 'auto' });
    assert.equal(m.get('c2')!.mode, 'paused');
    assert.equal(readAuditFile(join(dir, 'tuning-audit.jsonl')).length, 3);
  });

  test('rotates by size, keeps maxFiles, and the new file carries a mode snapshot', () => {
    const dir = tmp();
    const a = new AuditLog({ dir, maxBytes: 2_000, maxFiles: 3 });
    a.append(mode('dry-run', {}, 'c9'));
    for (let i = 0; i < 60; i++) a.append(decision(i));
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['tuning-audit.1.jsonl', 'tuning-audit.2.jsonl', 'tuning-audit.jsonl']);
    for (const f of files) assert.ok(readFileSync(join(dir, f)).length <= 2_000 + 600, `${f} near the size cap`);
    // The mode set before many rotations is still recoverable from the newest file alone.
    const first = readAuditFile(join(dir, 'tuning-audit.jsonl'))[0]!;
    assert.equal(first.kind === 'mode' && first.snapshot, true);
    assert.equal(new AuditLog({ dir, maxFiles: 3 }).recoverModes().get('c9')!.mode, 'dry-run');
    assert.equal(auditFiles(dir, 3).at(-1), join(dir, 'tuning-audit.jsonl'), 'oldest first, current last');
  });

  test('a mode record that triggers rotation follows the snapshot of the state before it, once', () => {
    const dir = tmp();
    const a = new AuditLog({ dir, maxBytes: 1_000, maxFiles: 2 });
    a.append(mode('dry-run', {}, 'c1'));
    while (readdirSync(dir).length === 1) a.append(decision(1));
    // The last decision rotated; fill the new file up to the cap, then let a mode change rotate it.
    const current = join(dir, 'tuning-audit.jsonl');
    const bytes = (r: unknown) => Buffer.byteLength(JSON.stringify(r) + '\n');
    const pause = mode('paused', { reason: `operator pause: ${'list reload and DNC scrub; '.repeat(12)}` }, 'c1');
    assert.ok(bytes(pause) >= bytes(decision(2)), 'precondition: the mode line is the longer one');
    while (readFileSync(current).length + bytes(decision(2)) <= 1_000) a.append(decision(2));
    a.append(pause);
    const records = readAuditFile(current);
    const modes = records.filter((r) => r.kind === 'mode');
    assert.deepEqual(modes.map((r) => [r.kind === 'mode' && r.to, r.kind === 'mode' && Boolean(r.snapshot)]), [['dry-run', true], ['paused', false]]);
    assert.equal(records.length, 2, 'the new file holds the snapshot and the record, nothing twice');
    assert.equal(new AuditLog({ dir, maxFiles: 2 }).recoverModes().get('c1')!.mode, 'paused');
  });

  test('a torn last line is skipped, not fatal', () => {
    const dir = tmp();
    const a = new AuditLog({ dir });
    a.append(mode('paused'));
    appendFileSync(join(dir, 'tuning-audit.jsonl'), '{"kind":"mode","campaignId":"c1","to":"au');
    assert.equal(new AuditLog({ dir }).recoverModes().get('c1')!.mode, 'paused');
  });
});

describe('audit CSV export', () => {
  test('one row per record, quoted per RFC 4180, formulas neutralised', () => {
    const csv = auditToCsv([decision(1), mode('override', { value: 2.4, holdUntil: Date.UTC(2026, 0, 5, 10), reason: '=HYPERLINK("x")' })]);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    assert.ok(lines[0]!.startsWith('time,kind,campaign_id,campaign_name'));
    assert.ok(lines[1]!.includes('"Renewals, ""Q3"""'), 'commas and quotes are quoted');
    assert.ok(lines[1]!.includes(',applied,2,2.1,1,pi,'));
    assert.ok(lines[2]!.includes(`"'=HYPERLINK(""x"")"`), 'a formula is defused');
    assert.ok(lines[2]!.includes('2026-01-05T10:00:00.000Z'));
    assert.equal(csvCell(Number.NaN), '');
    assert.equal(csvCell('a\nb'), '"a\nb"');
  });

  test('exports across rotated files, oldest first, with filters', () => {
    const dir = tmp();
    const a = new AuditLog({ dir, maxBytes: 1_500, maxFiles: 5 });
    for (let i = 0; i < 20; i++) a.append(decision(i, i % 2 ? 'c1' : 'c2'));
    const all = exportAuditCsv(dir);
    assert.ok(all.files > 1);
    const versions = all.csv.trimEnd().split('\r\n').slice(1).filter((l) => l.includes(',decision,')).map((l) => Number(l.split(',')[12]));
    assert.deepEqual(versions, [...versions].sort((x, y) => x - y), 'chronological');
    const only = exportAuditCsv(dir, { campaignId: 'c1', sinceMs: Date.UTC(2026, 0, 5, 8, 0, 10) });
    assert.equal(only.rows, 5);
  });

  test('`pacekeeper audit export --csv` prints the CSV; bad usage exits 2', () => {
    const dir = tmp();
    new AuditLog({ dir }).append(decision(3));
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '-e',
        `import('./main/cli/audit-command.ts').then(async (m) => { process.exitCode = await m.run(${JSON.stringify(args)}); })`], { encoding: 'utf8', timeout: 30_000 });
    const ok = cli(['export', '--csv', '--dir', dir]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^time,kind,campaign_id/);
    assert.match(ok.stdout, /,decision,c1,/);
    assert.equal(cli(['export', '--dir', dir]).status, 2, 'a format is required');
    assert.equal(cli(['import', '--csv']).status, 2);
    assert.equal(cli(['export', '--csv', '--since', 'yesterday']).status, 2);
  });
});
