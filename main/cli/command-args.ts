// What every `pacekeeper` command shares: usage errors (exit 2 with the usage text), `--help`
// (exit 0), and waiting for SIGINT/SIGTERM before a clean shutdown.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { redactor } from '../util/redact.ts';

/** A bad option: the command prints it with its usage and exits 2. */
export class UsageError extends Error {}

/** `node:util` parseArgs, with its complaints (unknown option, missing value…) as UsageError. */
export function parseOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Runs a command's argument parser. Returns the parsed options, or the exit code when the command
 * is done already (help printed: 0; usage error printed: 2).
 */
export function parseCommand<T>(name: string, usage: string, parse: () => T | 'help'): { options: T } | { exit: number } {
  let parsed: T | 'help';
  try {
    parsed = parse();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`pacekeeper ${name}: ${redactor.text(e.message)}\n\n${usage}`);
    return { exit: 2 };
  }
  if (parsed === 'help') {
    console.log(usage);
    return { exit: 0 };
  }
  return { options: parsed };
}

/** Resolves with the first SIGINT or SIGTERM. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
