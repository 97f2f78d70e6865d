// Runs evaluation jobs on worker threads (the model is CPU-bound and single-threaded; the machine
// budget is two cores). Each worker takes the next job when it finishes one, so long jobs (the
// 100-agent team) do not leave a core idle. With one worker the jobs run inline, no threads.
import { Worker } from 'node:worker_threads';
import { runEvalJob, type EvalJob, type EvalJobResult } from './job.ts';

export interface PoolOptions {
  workers: number;
  /** Called after each finished job (progress output). */
  onResult?: (r: EvalJobResult, done: number, total: number) => void;
}

const WORKER_URL = new URL('./worker-entry.ts', import.meta.url);

export async function runEvalJobs(jobs: readonly EvalJob[], opts: PoolOptions): Promise<EvalJobResult[]> {
  const results: EvalJobResult[] = new Array(jobs.length);
  let done = 0;
  if (opts.workers <= 1) {
    for (let i = 0; i < jobs.length; i++) {
      results[i] = runEvalJob(jobs[i]!);
      opts.onResult?.(results[i]!, ++done, jobs.length);
    }
    return results;
  }
  let next = 0;
  const runOne = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const pump = () => {
        if (next >= jobs.length) {
          worker.off('message', onMessage);
          resolve();
          return;
        }
        const index = next++;
        worker.postMessage({ index, job: jobs[index] });
      };
      const onMessage = (m: { index: number; result?: EvalJobResult; error?: string }) => {
        if (m.error !== undefined) {
          reject(new Error(`evaluation job ${m.index} failed: ${m.error}`));
          return;
        }
        results[m.index] = m.result!;
        opts.onResult?.(m.result!, ++done, jobs.length);
        pump();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      pump();
    });
  const workers = Array.from({ length: Math.min(opts.workers, jobs.length) }, () => new Worker(WORKER_URL));
  try {
    await Promise.all(workers.map(runOne));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
