// `pacekeeper doctor [--json]`: checks each network hop to Genesys Cloud separately and prints one
// line per hop with ok/FAIL and the fix. Exit code 0 when every check passed, 1 when one failed,
// 2 on bad usage. Secrets come from the environment (PACEKEEPER_CLIENT_SECRET,
// PACEKEEPER_PROXY_PASSWORD) or the keychain; the output never contains them.
import { createLogger } from '../util/log.ts';
import { redactor } from '../util/redact.ts';
import { runDoctor, type DoctorInputs } from '../genesys/doctor.ts';
import { formatReport, type SecretName, type SecretSource } from '../net/index.ts';
import { defaultDataDir } from '../core/data-dir.ts';
import { netConfigFromSettings } from '../core/net-settings.ts';
import { openSecretStore } from '../secrets/open-secret-store.ts';
import { openSettingsStore } from '../settings/settings-store.ts';
import { parseCommand, parseOptions } from './command-args.ts';

export const DOCTOR_USAGE = `usage: pacekeeper doctor [options]

Checks every hop between this machine and Genesys Cloud: proxy resolution, DNS, TCP to the proxy,
CONNECT, the TLS chain, an unauthenticated API call, the OAuth login and a WebSocket upgrade.

Without --region or --api-base-url it checks the configured setup: the region, client id, proxy
and CA bundles from the settings in the data directory, and the secrets from the keychain (or the
environment variables below). Flags given on the command line override the settings.

options:
  --region R            region key or domain, e.g. eu_west_1, mypurecloud.ie
  --data-dir DIR        where settings.json lives (default: the per-user Pacekeeper folder)
  --api-base-url URL    explicit API base URL (a gateway or the simulator); overrides --region
  --login-base-url URL  explicit login base URL (defaults to the API base URL)
  --proxy URL           proxy to use (http://host:port); "direct" for none; default: environment
                        (HTTPS_PROXY / NO_PROXY), else direct
  --proxy-user NAME     proxy user name (password from PACEKEEPER_PROXY_PASSWORD)
  --no-proxy LIST       comma-separated bypass list (replaces NO_PROXY)
  --ca PATH             extra CA bundle (PEM), e.g. your corporate root; repeatable
  --client-id ID        OAuth client id (secret from PACEKEEPER_CLIENT_SECRET) to test the login
  --json                print the report as JSON (contains no secrets)
  --proxy-loopback      send loopback targets through the proxy too (test rigs only)
  --help                show this help

Exit code: 0 all checks passed, 1 a check failed, 2 usage error.`;


export interface DoctorCliOptions {
  inputs: DoctorInputs;
  json: boolean;
  /**
   * No target on the command line: fill the gaps from the settings file and the keychain.
   * `proxyGiven`: a proxy flag was given, so the command line's proxy wins over the settings'.
   */
  fromSettings: { dataDir: string; proxyGiven: boolean } | undefined;
}

export function parseDoctorArgs(argv: string[], env: Readonly<Record<string, string | undefined>>): DoctorCliOptions | 'help' {
  const { values } = parseOptions({
    args: argv, strict: true, allowPositionals: false,
    options: {
      region: { type: 'string' },
      'api-base-url': { type: 'string' },
      'login-base-url': { type: 'string' },
      proxy: { type: 'string' },
      'proxy-user': { type: 'string' },
      'no-proxy': { type: 'string' },
      ca: { type: 'string', multiple: true },
      'client-id': { type: 'string' },
      json: { type: 'boolean' },
      'proxy-loopback': { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const proxyArg = values.proxy;
  const proxy = {
    mode: proxyArg === undefined ? 'auto' : proxyArg === 'direct' ? 'direct' : 'fixed',
    ...(proxyArg && proxyArg !== 'direct' ? { url: proxyArg } : {}),
    ...(values['proxy-user'] !== undefined ? { username: values['proxy-user'] } : {}),
    ...(values['no-proxy'] !== undefined ? { noProxy: values['no-proxy'].split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    ...(values['proxy-loopback'] ? { bypassLoopback: false } : {}),
  };
  const secrets = envSecrets(env);
  const fromSettings = values.region === undefined && values['api-base-url'] === undefined;
  return {
    json: !!values.json,
    fromSettings: fromSettings
      ? { dataDir: values['data-dir'] ?? defaultDataDir(env as NodeJS.ProcessEnv), proxyGiven: [values.proxy, values['proxy-user'], values['no-proxy']].some((v) => v !== undefined) }
      : undefined,
    inputs: {
      ...(values.region !== undefined ? { region: values.region } : {}),
      ...(values['api-base-url'] !== undefined ? { apiBaseUrl: values['api-base-url'] } : {}),
      ...(values['login-base-url'] !== undefined ? { loginBaseUrl: values['login-base-url'] } : {}),
      ...(values['client-id'] !== undefined ? { clientId: values['client-id'] } : {}),
      net: { proxy, tls: { caBundlePaths: values.ca ?? [] } },
      secrets,
      env,
    },
  };
}

/** Secrets from environment variables, registered with the redactor before anything can print them. */
export function envSecrets(env: Readonly<Record<string, string | undefined>>): SecretSource {
  const map: Record<SecretName, string | undefined> = {
    'genesys.clientSecret': env.PACEKEEPER_CLIENT_SECRET || undefined,
    'proxy.password': env.PACEKEEPER_PROXY_PASSWORD || undefined,
  };
  for (const v of Object.values(map)) redactor.addSecret(v);
  return {
    get: async (name) => map[name],
    set: async (name, value) => {
      redactor.addSecret(value);
      map[name] = value;
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('doctor', DOCTOR_USAGE, () => parseDoctorArgs(argv, process.env));
  if ('exit' in parsed) return parsed.exit;
  const opts = parsed.options;
  if (opts.fromSettings) opts.inputs = await withSettings(opts.inputs, opts.fromSettings);
  const logger = createLogger({ level: (process.env.PACEKEEPER_LOG_LEVEL as 'debug' | undefined) ?? 'error' });
  const report = await runDoctor(opts.inputs, { logger });
  console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

/**
 * The configured setup, as core would use it: settings from the data directory, secrets from the
 * keychain (the environment variables still win), command-line proxy/CA flags on top.
 */
async function withSettings(cli: DoctorInputs, { dataDir, proxyGiven }: { dataDir: string; proxyGiven: boolean }): Promise<DoctorInputs> {
  const settings = openSettingsStore({ cwd: dataDir }).get();
  const keychain = await openSecretStore({ probe: false });
  const env = cli.secrets;
  const mapped = netConfigFromSettings(settings).config as { proxy?: Record<string, unknown>; tls?: { caBundlePaths?: string[] } };
  const cliNet = cli.net as { proxy: Record<string, unknown>; tls: { caBundlePaths: string[] } };
  const g = settings.genesys;
  return {
    ...cli,
    ...(g.apiBaseUrl ? { apiBaseUrl: g.apiBaseUrl, ...(g.loginBaseUrl ? { loginBaseUrl: g.loginBaseUrl } : {}) } : { region: g.region }),
    ...(cli.clientId ?? g.clientId ? { clientId: (cli.clientId ?? g.clientId) as string } : {}),
    net: {
      ...mapped,
      proxy: proxyGiven ? cliNet.proxy : mapped.proxy,
      tls: { caBundlePaths: [...(mapped.tls?.caBundlePaths ?? []), ...cliNet.tls.caBundlePaths] },
    },
    secrets: { get: async (name) => (await env.get(name)) ?? (await keychain.get(name).catch(() => undefined)) },
  };
}
