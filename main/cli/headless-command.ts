// `pacekeeper headless`: the whole core without Electron. It serves the dashboard and the bridge on
// 127.0.0.1, prints one JSON line on stdout when ready ({"dashboard": URL with the token in the
// fragment, "relay", "mode"}), logs JSON lines on stderr, and drains on SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core/create-core.ts';
import { defaultDataDir } from '../core/data-dir.ts';
import { startHeadlessHost, type HeadlessHost } from '../headless/index.ts';
import { createLogger, type LogLevel } from '../util/log.ts';
import { redactor } from '../util/redact.ts';
import { parseCommand, parseOptions, UsageError, untilStopSignal } from './command-args.ts';

export const HEADLESS_USAGE = `usage: pacekeeper headless [options]

Runs Pacekeeper's core (tuning loop, relay, telemetry) without Electron and serves the
dashboard on 127.0.0.1. With no Genesys credentials configured it uses the embedded simulator.

options:
  --sandbox            use the embedded Genesys Cloud simulator even if credentials are set
  --port N             dashboard port (default 0: any free port)
  --relay-port N       local relay port (default: the settings' relay.port)
  --data-dir DIR       settings, audit trail and telemetry spool (default: ${defaultDataDir()})
  --renderer-dir DIR   the built dashboard (default: dist/renderer, built on demand)
  --log-level L        debug | info | warn | error (default info)
  --help               show this help

When ready, stdout gets one JSON line: {"dashboard","relay","mode","dataDir"}.
Open the dashboard URL in a browser; its #token=… fragment is the access token.`;


export interface HeadlessArgs {
  sandbox: boolean;
  port: number;
  relayPort: number | undefined;
  dataDir: string;
  rendererDir: string | undefined;
  logLevel: LogLevel;
}

function port(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} needs a port number 0–65535, got '${raw}'`);
  return n;
}

export function parseHeadlessArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): HeadlessArgs | 'help' {
  const { values } = parseOptions({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      sandbox: { type: 'boolean' },
      port: { type: 'string' },
      'relay-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const level = values['log-level'] ?? env.PACEKEEPER_LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn or error, got '${level}'`);
  return {
    sandbox: values.sandbox ?? false,
    port: port('port', values.port) ?? 0,
    relayPort: port('relay-port', values['relay-port']),
    dataDir: resolve(values['data-dir'] ?? defaultDataDir(env)),
    rendererDir: values['renderer-dir'] ? resolve(values['renderer-dir']) : undefined,
    logLevel: level as LogLevel,
  };
}

/**
 * The built dashboard: dist/renderer next to the bundled CLI (dist/cli.mjs), or, from a source
 * checkout, <repo>/dist/renderer, built from renderer/ on first use.
 */
async function rendererDir(explicit: string | undefined): Promise<string> {
  if (explicit) return explicit;
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'renderer');
  if (existsSync(join(bundled, 'index.html'))) return bundled;
  const root = resolve(here, '..', '..');
  const dir = join(root, 'dist', 'renderer');
  if (!existsSync(join(dir, 'index.html')) && existsSync(join(root, 'scripts', 'build-renderer.ts'))) {
    const { buildRenderer } = (await import('../../scripts/build-renderer.ts')) as { buildRenderer(outDir: string): Promise<unknown> };
    await buildRenderer(dir);
  }
  return dir;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('headless', HEADLESS_USAGE, () => parseHeadlessArgs(argv));
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.options;
  const logger = createLogger({ level: args.logLevel });
  let core: Core | undefined;
  let host: HeadlessHost | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (why: string) =>
    (stopping ??= (async () => {
      logger.info('stopping', { why });
      const hard = setTimeout(() => process.exit(1), 10_000);
      hard.unref();
      await host?.close().catch(() => undefined);
      await core?.stop('shutdown').catch((e: unknown) => logger.error('stop failed', { error: e }));
      clearTimeout(hard);
      logger.info('stopped');
    })());
  try {
    core = await createCore({
      dataDir: args.dataDir,
      logger,
      forceSandbox: args.sandbox,
      ...(args.relayPort !== undefined ? { relayPort: args.relayPort } : {}),
    });
    await core.start();
    host = await startHeadlessHost({ core, rendererDir: await rendererDir(args.rendererDir), port: args.port, logger });
  } catch (e) {
    const err = e as { message?: string; fix?: string; code?: string };
    logger.error('headless host failed to start', { code: err.code, error: err.message, fix: err.fix });
    console.error(`pacekeeper headless: ${redactor.text(err.message ?? String(e))}${err.fix ? `\n  fix: ${err.fix}` : ''}`);
    await stop('start failed');
    return 1;
  }
  const state = core.state();
  const relay = core.relayPort();
  console.log(JSON.stringify({ dashboard: host.url, relay: relay === null ? null : `ws://127.0.0.1:${relay}`, mode: state.platform.mode, dataDir: args.dataDir }));
  logger.info('headless host ready', { dashboard: host.origin, mode: state.platform.mode, campaigns: state.campaigns.length });
  await stop(await untilStopSignal());
  return 0;
}
