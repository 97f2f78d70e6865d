// `pacekeeper <command>`: the headless host, the simulator and operator tools.
// Each command lives in its own module and is loaded only when used.
import { parseArgs } from 'node:util';

type CommandModule = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  headless: { summary: 'run the core without Electron and serve the dashboard on 127.0.0.1', load: () => import('./cli/headless-command.ts') },
  doctor: { summary: 'check each network hop to Genesys Cloud (proxy, TLS, OAuth, WebSocket)', load: () => import('./cli/doctor-command.ts') },
  audit: { summary: 'export the tuning audit trail (audit export --csv)', load: () => import('./cli/audit-command.ts') },
  sim: { summary: 'run the Genesys Cloud simulator (sandbox platform)', load: () => import('./cli/sim-command.ts') },
};

export function usage(): string {
  const lines = ['usage: pacekeeper <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', "run 'pacekeeper <command> --help' for a command's options");
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv.slice(0, 1), allowPositionals: true, strict: false });
  const name = positionals[0];
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`pacekeeper: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return (await cmd.load()).run(argv.slice(1));
}
