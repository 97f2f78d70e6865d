// JSON-lines logger. Every record passes through the redactor, so a secret in a message,
// a field or an error is masked before it is written.
import { redactor as defaultRedactor, type Redactor } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const RESERVED = { time: true, level: true, msg: true };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; defaults to stderr so stdout stays clean for machine output. */
  write?: (line: string) => void;
  redactor?: Redactor;
  now?: () => number;
  bindings?: LogFields;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = RANK[opts.level ?? (process.env.PACEKEEPER_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? RANK.info;
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const red = opts.redactor ?? defaultRedactor;
  const now = opts.now ?? Date.now;
  const bindings = opts.bindings ?? {};

  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    const record: Record<string, unknown> = { time: new Date(now()).toISOString(), level, msg };
    // The record's own keys win; a field with the same name is kept under a prefixed key.
    for (const [k, v] of Object.entries({ ...bindings, ...fields })) record[k in RESERVED ? `field.${k}` : k] = v;
    let line: string;
    try {
      line = JSON.stringify(red.value(record));
    } catch {
      line = JSON.stringify({ time: record['time'], level, msg: red.text(msg), note: 'fields not serialisable' });
    }
    write(line);
  };

  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (b) => createLogger({ ...opts, bindings: { ...bindings, ...b } }),
  };
}

/** A logger that records lines in memory, for tests and diagnostics export. */
export function createMemoryLogger(opts: Omit<LoggerOptions, 'write'> = {}): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', ...opts, write: (l) => lines.push(l) });
  return Object.assign(logger, { lines });
}

export const silentLogger: Logger = createLogger({ write: () => {}, level: 'error' });
