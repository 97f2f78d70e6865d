// Command-line flags of `npm run bench <name> [--flag[=value]]`, shared by every benchmark.

/** The value of `--name=value`, '' for a bare `--name`, undefined when absent. */
export function flag(flags: string[], name: string): string | undefined {
  const hit = flags.find((f) => f === `--${name}` || f.startsWith(`--${name}=`));
  if (!hit) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : '';
}

/** A positive integer flag, or `def` when absent or not a positive number. */
export function countFlag(flags: string[], name: string, def: number): number {
  const n = Number(flag(flags, name) ?? def);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : def;
}
