// Request/response over a child's IPC channel, plus /proc readings (CPU ticks, RSS) for the
// processes under test. Bench-only plumbing.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Child {
  proc: ChildProcess;
  call<T = Record<string, unknown>>(msg: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

const NODE_ARGS = ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];

/**
 * The command line for a benchmark process: pinned to `cpu` (taskset) and, when `nice` is set,
 * at that scheduling priority, so other work on a shared machine disturbs the measurement less.
 * nice and taskset exec the program, so the spawned pid is the program's.
 */
export function placed(argv: string[], cpu: number | undefined, nice = 0): [string, string[]] {
  const pinned = cpu === undefined ? argv : ['taskset', '-c', String(cpu), ...argv];
  const full = nice !== 0 ? ['nice', '-n', String(nice), ...pinned] : pinned;
  return [full[0] as string, full.slice(1)];
}

/** Process priority for every benchmark child (set once by the bench from --nice). */
export const placement = { nice: 0 };

/** Starts a TypeScript child pinned to `cpu` (taskset), with an IPC channel. */
export function startChild(file: string, cpu: number | undefined, extraNodeArgs: string[] = [], env: Record<string, string> = {}): Child {
  const nodeArgs = [...NODE_ARGS, ...extraNodeArgs, file];
  const [cmd, args] = placed([process.execPath, ...nodeArgs], cpu, placement.nice);
  const proc = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  let next = 0;
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  proc.on('message', (m: { id?: number; error?: string }) => {
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p) return;
    pending.delete(m.id as number);
    clearTimeout(p.timer);
    if (m.error) p.reject(new Error(m.error));
    else p.resolve(m as never);
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code) => {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${file} exited (${code})`));
      }
      pending.clear();
      resolve(code);
    });
  });
  return {
    proc,
    exited,
    call<T>(msg: Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${file}: ${String(msg.cmd)} timed out`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: never) => void, reject, timer });
        proc.send({ ...msg, id });
      });
    },
    kill(signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
  };
}

/** In a child: answers requests with `handler`, echoing the id. */
export function serve(handler: (msg: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>): void {
  process.on('message', (msg: Record<string, unknown>) => {
    void (async () => {
      try {
        const out = await handler(msg);
        process.send?.({ ...out, id: msg.id });
      } catch (e) {
        process.send?.({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  // The parent going away must never leave a child behind.
  process.on('disconnect', () => process.exit(0));
}

/** Real (not the taskset wrapper) pid: taskset execs node, so the pid is the same. */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100/s)
  } catch {
    return 0;
  }
}

export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export const TICKS_PER_SEC = 100;
