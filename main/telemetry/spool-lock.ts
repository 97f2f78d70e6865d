// One process per spool folder: two writers appending to the same segments would interleave
// records and race on the cursor. The lock is a file holding the owner's pid, created exclusively.
// A lock whose process is gone (a crash, `kill -9`) is stale and taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TelemetryError } from './errors.ts';

const LOCK_FILE = 'spool.lock';
/** Folders locked by this process: the pid in the file cannot tell two spools of one process apart. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock; resolves to a function that releases it. Throws TELEMETRY_SPOOL when another live process holds it. */
export async function lockSpool(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  if (held.has(path)) {
    throw new TelemetryError('TELEMETRY_SPOOL', `the telemetry spool ${dir} is already open in this process`, 'close the other writer first; one writer per spool folder');
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      held.add(path);
      return async () => {
        held.delete(path);
        await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw new TelemetryError('TELEMETRY_SPOOL', `the telemetry spool ${dir} is in use by process ${owner}`,
        'run one Pacekeeper per data folder (the desktop app and a headless host need separate ones); if no other Pacekeeper runs, delete spool.lock in that folder');
    }
    await rm(path, { force: true }); // stale: its process is gone
  }
  throw new TelemetryError('TELEMETRY_SPOOL', `could not lock the telemetry spool ${dir}`, 'check the permissions of the spool folder');
}
