// The proxy doctor: every hop to the platform checked on its own, one result per hop with its fix.
// Network hops (config, DNS, TCP, CONNECT, TLS) come from the net layer for the API and login
// hosts; then an unauthenticated API GET (must be 401 from the platform, not a proxy page), the
// OAuth token request, and a WebSocket 101 probe on a fresh notification channel. The report is
// redacted: it never contains a secret, so it can be pasted into a ticket.
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { redactor as defaultRedactor, type Redactor } from '../util/redact.ts';
import {
  createNetLayer, failedCheck, reportOf, type DoctorCheck, type DoctorReport, type Env, type NetLayer, type SecretSource, type SystemProxyResolver,
} from '../net/index.ts';
import { createGenesysClient } from './client.ts';
import { endpointsFor, type RegionEndpoints } from './regions.ts';

/** What the doctor needs; the CLI fills it from flags and env vars, core from settings + keychain. */
export interface DoctorInputs {
  /** Region key or domain (eu_west_1, mypurecloud.ie), or explicit base URLs. */
  region?: string;
  apiBaseUrl?: string;
  loginBaseUrl?: string;
  clientId?: string;
  /** The NetConfig (proxy, CA bundles, timeouts) to diagnose. */
  net: unknown;
  secrets: SecretSource;
  systemProxyResolver?: SystemProxyResolver;
  env?: Env;
}

export interface DoctorDeps {
  clock?: Clock;
  logger?: Logger;
  redactor?: Redactor;
}

export async function runDoctor(inputs: DoctorInputs, deps: DoctorDeps = {}): Promise<DoctorReport> {
  const clock = deps.clock ?? systemClock;
  const red = deps.redactor ?? defaultRedactor;
  const logger = deps.logger ?? silentLogger;
  const checks: DoctorCheck[] = [];
  // Every string passes the redactor: the report is meant to be pasted into a ticket.
  const report = () => red.value(reportOf(checks, clock.now())) as DoctorReport;
  let endpoints: RegionEndpoints;
  let net: NetLayer;
  try {
    endpoints = endpointsFor(inputs);
    net = await createNetLayer({
      config: inputs.net, secrets: inputs.secrets, clock, logger, redactor: red,
      ...(inputs.env ? { env: inputs.env } : {}),
      ...(inputs.systemProxyResolver ? { systemProxyResolver: inputs.systemProxyResolver } : {}),
    });
  } catch (e) {
    checks.push(failedCheck('config', 'settings', e));
    return report();
  }
  try {
    const targets = [{ name: 'api', url: endpoints.apiBaseUrl }];
    if (endpoints.loginBaseUrl !== endpoints.apiBaseUrl) targets.push({ name: 'login', url: endpoints.loginBaseUrl });
    const failedHosts = new Set<string>();
    for (const t of targets) {
      const r = await net.doctor([t]);
      checks.push(...r.checks);
      if (!r.ok) failedHosts.add(new URL(t.url).host);
    }
    const blocked = (url: string) => failedHosts.has(new URL(url).host);
    const apiHost = new URL(endpoints.apiBaseUrl).host;

    // Unauthenticated GET: a JSON 401 proves the platform itself answered end to end.
    if (blocked(endpoints.apiBaseUrl)) {
      checks.push({ hop: 'api', target: apiHost, status: 'skip', summary: 'skipped: a network hop to the API host failed' });
    } else {
      checks.push(await apiProbe(net, endpoints));
    }

    const secret = await inputs.secrets.get('genesys.clientSecret').catch(() => undefined);
    let token: string | undefined;
    const client = inputs.clientId && secret ? createGenesysClient({ net, apiBaseUrl: endpoints.apiBaseUrl, loginBaseUrl: endpoints.loginBaseUrl, clientId: inputs.clientId, secrets: inputs.secrets, clock, logger, redactor: red, proactiveTokenRefresh: false }) : undefined;
    const loginHost = new URL(endpoints.loginBaseUrl).host;
    if (!client) {
      checks.push({ hop: 'oauth', target: loginHost, status: 'skip', summary: 'skipped: no client id or client secret given', fix: 'pass --client-id and set PACEKEEPER_CLIENT_SECRET to test the login' });
    } else if (blocked(endpoints.loginBaseUrl)) {
      checks.push({ hop: 'oauth', target: loginHost, status: 'skip', summary: 'skipped: a network hop to the login host failed' });
    } else {
      const t0 = performance.now();
      try {
        token = await client.tokens.getToken();
        const cur = client.tokens.current();
        const life = cur ? Math.round((cur.expiresAt - cur.obtainedAt) / 1000) : 0;
        checks.push({ hop: 'oauth', target: loginHost, status: 'ok', summary: `client-credentials token issued (expires in ${life} s)`, ms: Math.round(performance.now() - t0) });
      } catch (e) {
        checks.push(failedCheck('oauth', loginHost, e, performance.now() - t0));
      }
    }

    if (!client || !token) {
      checks.push({ hop: 'websocket', target: apiHost, status: 'skip', summary: 'skipped: needs an access token to create a notification channel' });
    } else {
      const t0 = performance.now();
      try {
        const channel = await client.createChannel();
        const wsHost = new URL(channel.connectUri).host;
        const probe = await net.probeWebSocket(channel.connectUri, { knownGood: true });
        if (probe.ok) checks.push({ hop: 'websocket', target: wsHost, status: 'ok', summary: `upgrade answered 101 Switching Protocols via ${probe.route}`, ms: Math.round(performance.now() - t0) });
        else checks.push({ ...failedCheck('websocket', wsHost, probe.error ?? new Error(`upgrade answered ${probe.status ?? 'nothing'}`), performance.now() - t0), details: { status: probe.status, via: probe.via } });
      } catch (e) {
        checks.push(failedCheck('websocket', apiHost, e, performance.now() - t0));
      }
    }
    client?.close();
  } finally {
    await net.close();
  }
  return report();
}

async function apiProbe(net: NetLayer, endpoints: RegionEndpoints): Promise<DoctorCheck> {
  const url = new URL('/api/v2/outbound/campaigns?pageSize=1', endpoints.apiBaseUrl);
  const t0 = performance.now();
  try {
    const res = await net.request({ url, retry: 'none', throwOnHttpError: false, breaker: false, headers: { accept: 'application/json' } });
    const ms = Math.round(performance.now() - t0);
    const type = String(res.headers['content-type'] ?? '');
    const via = res.headers.via ? ` (Via: ${String(res.headers.via)})` : '';
    if (res.status === 401 && type.includes('json')) {
      return { hop: 'api', target: url.host, status: 'ok', summary: `unauthenticated GET answered 401 from the platform, as expected${via}`, ms };
    }
    return {
      hop: 'api', target: url.host, status: 'fail', ms,
      summary: `unauthenticated GET answered ${res.status} (${type || 'no content type'}) instead of the platform's JSON 401${via}`,
      fix: res.headers['x-squid-error'] || res.headers.via ? 'the answer came from the proxy, not the platform; ask for the API host to be allowlisted' : 'check that the API base URL points at Genesys Cloud for your region',
    };
  } catch (e) {
    return failedCheck('api', url.host, e, performance.now() - t0);
  }
}
