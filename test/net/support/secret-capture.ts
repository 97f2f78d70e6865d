// Collects what the net/genesys tests produce — log lines, errors, health snapshots, doctor JSON —
// and the secrets they configured, so they can be scanned for leaks: locally at the end of each
// file (assertClean), and across the whole suite by secret-scan.test.ts, which reruns the suites
// with PACEKEEPER_SECRET_CAPTURE_DIR set and scans the files written here.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inspect } from 'node:util';
import { createMemoryLogger, type Logger } from '../../../main/util/log.ts';

export const CAPTURE_ENV = 'PACEKEEPER_SECRET_CAPTURE_DIR';

export interface Capture {
  logger: Logger & { lines: string[] };
  /** Records an output (error, snapshot, report, text) for the scan. */
  record(label: string, value: unknown): void;
  /** Registers a secret value the outputs must never contain. */
  secret(...values: Array<string | undefined>): void;
  /** Fails when a registered secret (or its URL/base64 encoding) appears in any recorded output. */
  assertClean(): void;
}

/** Every form a secret could leak in. */
export function secretForms(s: string): string[] {
  return [...new Set([s, encodeURIComponent(s), Buffer.from(s, 'utf8').toString('base64')])].filter((x) => x.length >= 6);
}

export function serialise(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const json = (() => {
      try {
        return JSON.stringify(value);
      } catch {
        return '';
      }
    })();
    return `${String(value)}\n${json}\n${inspect(value, { depth: 6 })}`;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return inspect(value, { depth: 6 });
  }
}

export function createCapture(testFile: string): Capture {
  const name = basename(testFile).replace(/\.test\.ts$/, '');
  const dir = process.env[CAPTURE_ENV];
  if (dir) mkdirSync(dir, { recursive: true });
  const outFile = dir ? join(dir, `${name}-${process.pid}.out`) : undefined;
  const secretFile = dir ? join(dir, `${name}-${process.pid}.secrets`) : undefined;
  const outputs: string[] = [];
  const secrets = new Set<string>();
  const write = (text: string) => {
    outputs.push(text);
    if (outFile) appendFileSync(outFile, text + '\n');
  };
  const logger = createMemoryLogger({ level: 'debug' });
  const lines = logger.lines;
  // Mirror every log line to the capture as it is written.
  const push = lines.push.bind(lines);
  lines.push = (...items: string[]) => {
    for (const l of items) write(`log ${l}`);
    return push(...items);
  };
  return {
    logger,
    record(label, value) {
      write(`${label} ${serialise(value)}`);
    },
    secret(...values) {
      for (const v of values) {
        if (!v || secrets.has(v)) continue;
        secrets.add(v);
        if (secretFile) appendFileSync(secretFile, JSON.stringify(v) + '\n');
      }
    },
    assertClean() {
      for (const s of secrets) {
        for (const form of secretForms(s)) {
          const hit = outputs.find((o) => o.includes(form));
          assert.equal(hit, undefined, `a configured secret leaked into a recorded output: ${hit?.slice(0, 200).split(form).join('«SECRET»')}`);
        }
      }
    },
  };
}
