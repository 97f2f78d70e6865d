// The dashboard's "Run doctor": the same per-hop doctor as `pacekeeper doctor`, fed from the
// running configuration (settings + keychain, or the sandbox), mapped to the bridge's shape.
import type { DoctorReport as BridgeReport, HopStatus } from '../../preload/contract.ts';
import { runDoctor } from '../genesys/doctor.ts';
import type { RegionEndpoints } from '../genesys/regions.ts';
import type { DoctorReport, Env, NetConfigInput, SecretSource, SystemProxyResolver } from '../net/index.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';

export interface CoreDoctorInputs {
  endpoints: RegionEndpoints;
  clientId: string | undefined;
  net: NetConfigInput;
  secrets: SecretSource;
  systemProxyResolver?: SystemProxyResolver | undefined;
  env: Env;
  clock: Clock;
  logger: Logger;
}

export function hopStatuses(r: DoctorReport): HopStatus[] {
  return r.checks.map((c) => ({
    hop: c.hop,
    ok: c.status !== 'fail',
    detail: `${c.status === 'skip' ? 'skipped' : c.status === 'warn' ? 'warning' : c.status}: ${c.target} — ${c.summary}`,
    ...(c.fix ? { fix: c.fix } : {}),
    ...(c.ms !== undefined ? { ms: c.ms } : {}),
  }));
}

export async function runCoreDoctor(i: CoreDoctorInputs): Promise<BridgeReport> {
  const report = await runDoctor(
    {
      apiBaseUrl: i.endpoints.apiBaseUrl,
      loginBaseUrl: i.endpoints.loginBaseUrl,
      ...(i.clientId ? { clientId: i.clientId } : {}),
      net: i.net,
      secrets: i.secrets,
      env: i.env,
      ...(i.systemProxyResolver ? { systemProxyResolver: i.systemProxyResolver } : {}),
    },
    { clock: i.clock, logger: i.logger },
  );
  return { ok: report.ok, at: report.generatedAt, hops: hopStatuses(report) };
}
