// Reading the settings file's bytes and moving a bad file aside. conf is not used for the read:
// it silently reads a file holding `[]` or `"text"` as an empty store, and the next write would
// then replace the user's file without a trace.
import { existsSync, readFileSync, renameSync } from 'node:fs';

export type RawSettingsRead =
  | { kind: 'absent' }
  | { kind: 'text'; text: string }
  | { kind: 'unreadable'; code: string };

export function readSettingsText(path: string): RawSettingsRead {
  try {
    return { kind: 'text', text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    // ENOTDIR: a parent is a file, so there is no settings file (writing will report the real problem).
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'absent' } : { kind: 'unreadable', code };
  }
}

/** `20260105T080000Z`: sortable, and valid in file names on every OS (no colons). */
export function backupStamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Renames `path` to `<path>.corrupt-<stamp>` (adding `-2`, `-3`… if taken) and returns the new
 * path. Renaming keeps the bytes exactly and works for a directory squatting on the name too.
 * Throws when the file cannot be moved; the caller must then not write over it.
 */
export function backupSettingsFile(path: string, nowMs: number): string {
  const base = `${path}.corrupt-${backupStamp(nowMs)}`;
  let target = base;
  for (let n = 2; existsSync(target); n++) target = `${base}-${n}`;
  renameSync(path, target);
  return target;
}
