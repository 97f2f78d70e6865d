// `pacekeeper doctor [--json]`: checks each network hop to Genesys Cloud separately and prints one
// line per hop with ok/FAIL and the fix. Exit code 0 when every check passed, 1 when one failed,
// 2 on bad usage. Secrets come from the environment (PACEKEEPER_CLIENT_SECRET,
// PACEKEEPER_PROXY_PASSWORD) until the settings store exists; the output never contains them.
import { parseArgs } from 'node:util';
import { createLogger } from '../util/log.ts';
import { redactor } from '../util/redact.ts';
import { runDoctor, type DoctorInputs } from '../genesys/doctor.ts';
import { formatReport, type SecretName, type SecretSource } from '../net/index.ts';

export const DOCTOR_USAGE = `usage: pacekeeper doctor [options]

Checks every hop between this machine and Genesys Cloud: proxy resolution, DNS, TCP to the proxy,
CONNECT, the TLS chain, an unauthenticated API call, the OAuth login and a WebSocket upgrade.

options:
  --region R            region key or domain (default us_east_1), e.g. eu_west_1, mypurecloud.ie
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

class UsageError extends Error {}

export interface DoctorCliOptions {
  inputs: DoctorInputs;
  json: boolean;
}

export function parseDoctorArgs(argv: string[], env: Readonly<Record<string, string | undefined>>): DoctorCliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
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
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
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
  return {
    json: !!values.json,
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
  let opts: DoctorCliOptions | 'help';
  try {
    opts = parseDoctorArgs(argv, process.env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`pacekeeper doctor: ${redactor.text(e.message)}\n\n${DOCTOR_USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    console.log(DOCTOR_USAGE);
    return 0;
  }
  const logger = createLogger({ level: (process.env.PACEKEEPER_LOG_LEVEL as 'debug' | undefined) ?? 'error' });
  const report = await runDoctor(opts.inputs, { logger });
  console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}
