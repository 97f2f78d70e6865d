// Worker-thread entry for the evaluation pool: runs one job per message and answers with its
// result (or the error text, so the pool can fail the run with a clear message).
import { parentPort } from 'node:worker_threads';
import { runEvalJob, type EvalJob } from './job.ts';

parentPort?.on('message', (m: { index: number; job: EvalJob }) => {
  try {
    parentPort!.postMessage({ index: m.index, result: runEvalJob(m.job) });
  } catch (e) {
    parentPort!.postMessage({ index: m.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
