// `pacekeeper sim`: runs the Genesys Cloud simulator standalone. When it is ready it prints exactly
// one JSON line on stdout: {"url","clientId","clientSecret"} plus "caPem" (a file path) with
// --https. Logs are JSON lines on stderr. SIGINT/SIGTERM shut it down cleanly (exit 0).
import { createLogger } from '../util/log.ts';
import { startSimulator, type SimulatorOptions } from '../sim/index.ts';
import { parseCommand, parseOptions, UsageError, untilStopSignal } from './command-args.ts';

export const SIM_USAGE = `usage: pacekeeper sim [options]

Runs the Genesys Cloud platform simulator (the sandbox) on loopback.

options:
  --port N             listen port (default 0: any free port)
  --host H             listen address (default 127.0.0.1)
  --https              serve HTTPS with a generated CA; prints its PEM path as "caPem"
  --seed S             seed for the sandbox org and its traffic (default 1)
  --speed X            simulated seconds per real second (default 1)
  --token-lifetime S   access token lifetime in seconds (default 86400)
  --rate-limit N       requests per minute per token (default 300)
  --event-rate R       synthetic notification events per second (default 1)
  --data-dir DIR       where to write the CA PEM (default: a temp dir)
  --help               show this help

On ready, stdout gets one JSON line: {"url","clientId","clientSecret"[,"caPem"]}.
The admin endpoint is under <url>/__sim/ (loopback only; Basic auth with the client id and secret).`;


function num(name: string, raw: string | undefined, opts: { int?: boolean; min?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    throw new UsageError(`--${name} needs ${opts.int ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, got '${raw}'`);
  }
  return n;
}

export function parseSimArgs(argv: string[]): SimulatorOptions | 'help' {
  const { values } = parseOptions({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      https: { type: 'boolean' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      'token-lifetime': { type: 'string' },
      'rate-limit': { type: 'string' },
      'event-rate': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const port = num('port', values.port, { int: true, min: 0 });
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const speed = num('speed', values.speed);
  if (speed !== undefined && !(speed > 0)) throw new UsageError(`--speed must be greater than 0, got ${speed}`);
  const opts: SimulatorOptions = {
    https: values.https ?? false,
    ...(port !== undefined ? { port } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values.seed !== undefined ? { seed: num('seed', values.seed, { int: true }) as number } : {}),
    ...(speed !== undefined ? { speed } : {}),
    ...(values['token-lifetime'] !== undefined ? { tokenLifetimeSec: num('token-lifetime', values['token-lifetime'], { int: true, min: 1 }) as number } : {}),
    ...(values['rate-limit'] !== undefined ? { rateLimitPerMinute: num('rate-limit', values['rate-limit'], { int: true, min: 1 }) as number } : {}),
    ...(values['event-rate'] !== undefined ? { eventRatePerSec: num('event-rate', values['event-rate'], { min: 0 }) as number } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  };
  return opts;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('sim', SIM_USAGE, () => parseSimArgs(argv));
  if ('exit' in parsed) return parsed.exit;
  const opts = parsed.options;
  const logger = createLogger({ bindings: { cmd: 'sim' } });
  let sim;
  try {
    sim = await startSimulator({ ...opts, logger });
  } catch (e) {
    logger.error('simulator failed to start', { error: e instanceof Error ? e.message : String(e) });
    return 1;
  }
  const ready: Record<string, string> = { url: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret };
  if (sim.caPem) ready.caPem = sim.caPem;
  process.stdout.write(JSON.stringify(ready) + '\n');

  const signal = await untilStopSignal();
  logger.info('simulator stopping', { signal });
  try {
    await sim.close();
    return 0;
  } catch (e) {
    logger.error('simulator did not close cleanly', { error: e instanceof Error ? e.message : String(e) });
    return 1;
  }
}
