// The main process log file (<userData>/logs/main.log). A GUI app's stderr goes nowhere, so the
// JSON-lines logger also writes here. Rotated once at start-up when it has grown past the cap.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;

export interface LogFile {
  write(line: string): void;
  close(): void;
}

export function openLogFile(path: string, maxBytes = LOG_FILE_MAX_BYTES): LogFile {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (existsSync(path) && statSync(path).size > maxBytes) renameSync(path, `${path}.1`);
  let fd: number | undefined = openSync(path, 'a', 0o600);
  return {
    write(line) {
      if (fd === undefined) return;
      try {
        writeSync(fd, line.endsWith('\n') ? line : `${line}\n`);
      } catch {
        // A full disk must not take the app down; the line still went to stderr.
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
