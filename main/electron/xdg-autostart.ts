// Writes or removes the Linux XDG autostart entry planned by policy/login-item.ts. No electron
// import, so tests run it against a temporary config folder.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type AutostartChange = 'written' | 'removed' | 'unchanged';

/** Idempotent: rewrites only when the content differs (e.g. the AppImage moved). */
export async function applyAutostartEntry(path: string, content: string | null): Promise<AutostartChange> {
  if (content === null) {
    const existed = await readFile(path, 'utf8').then(() => true, () => false);
    await rm(path, { force: true });
    return existed ? 'removed' : 'unchanged';
  }
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) return 'unchanged';
  await mkdir(dirname(path), { recursive: true });
  // Write-then-rename so a session manager never reads half a file.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o644 });
  await rename(tmp, path);
  return 'written';
}
