// `pacekeeper audit export --csv`: writes the tuning audit trail as CSV to stdout or a file.
// The trail lives in <data dir>/audit (PACEKEEPER_DATA_DIR or the per-user config directory).
import { writeFileSync } from 'node:fs';
import { auditDirOf, defaultDataDir } from '../core/data-dir.ts';
import { exportAuditCsv } from '../tuning/audit-csv.ts';
import { parseCommand, parseOptions, UsageError } from './command-args.ts';

export const USAGE = `usage: pacekeeper audit export --csv [options]

Exports the tuning audit trail (every pacing decision and mode change) as CSV.

options:
  --csv              CSV output (the only format)
  --dir <path>       audit directory (default: <data dir>/audit)
  --out <file>       write to a file instead of stdout
  --campaign <id>    only this campaign
  --since <time>     only records at or after this ISO-8601 time
  -h, --help         this help`;

function parseAuditArgs(argv: string[]) {
  const { values, positionals } = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      csv: { type: 'boolean' },
      dir: { type: 'string' },
      out: { type: 'string' },
      campaign: { type: 'string' },
      since: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals[0] !== 'export' || positionals.length > 1) throw new UsageError("expected 'export'");
  return values;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('audit', USAGE, () => parseAuditArgs(argv));
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.options;
  if (!values.csv) {
    console.error('pacekeeper audit export: choose a format: --csv');
    return 2;
  }
  let sinceMs: number | undefined;
  if (values.since !== undefined) {
    sinceMs = Date.parse(values.since);
    if (Number.isNaN(sinceMs)) {
      console.error(`pacekeeper audit export: --since is not an ISO-8601 time: ${values.since.slice(0, 60)}`);
      return 2;
    }
  }
  const dir = values.dir ?? auditDirOf(defaultDataDir());
  const { csv, files, rows } = exportAuditCsv(dir, { ...(values.campaign ? { campaignId: values.campaign } : {}), ...(sinceMs !== undefined ? { sinceMs } : {}) });
  if (files === 0) console.error(`pacekeeper audit export: no audit trail in ${dir} (nothing tuned yet?)`);
  if (values.out) {
    writeFileSync(values.out, csv);
    console.error(`wrote ${rows} rows to ${values.out}`);
  } else {
    process.stdout.write(csv);
  }
  return 0;
}
