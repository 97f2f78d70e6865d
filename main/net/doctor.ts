// The network half of the proxy doctor: for each target it checks every hop on its own — config
// resolution, DNS, TCP, CONNECT, TLS — so the report names the hop that fails and its fix. The
// platform half (API 401, OAuth, WebSocket 101) lives in main/genesys/doctor.ts and reuses these.
import { lookup } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { classifyOriginConnectError, classifyProxyError, errCode } from './classify.ts';
import { NetError, ProxyAuthRequired, ProxyRefusedConnect, TlsUntrusted } from './errors.ts';
import type { NetLayer } from './net-layer.ts';
import { authSchemes } from './connect-interceptor.ts';
import { defaultPort } from './no-proxy.ts';
import { routeText } from './proxy-resolver.ts';
import { openSocket, probeConnect, probeTls, type TlsProbe } from './tls-probe.ts';

export type DoctorHop = 'config' | 'dns' | 'tcp' | 'connect' | 'tls' | 'api' | 'oauth' | 'websocket';
export type CheckStatus = 'ok' | 'fail' | 'skip' | 'warn';

export interface DoctorCheck {
  hop: DoctorHop;
  /** What was checked, e.g. api.mypurecloud.com:443 or the proxy host:port. */
  target: string;
  status: CheckStatus;
  summary: string;
  fix?: string;
  code?: string;
  ms?: number;
  details?: Record<string, unknown>;
}

export interface DoctorTarget {
  name: string;
  url: string;
}

export function failedCheck(hop: DoctorHop, target: string, e: unknown, ms?: number): DoctorCheck {
  const ne = e instanceof NetError ? e : undefined;
  return {
    hop, target, status: 'fail',
    summary: ne ? ne.message : e instanceof Error ? e.message : String(e),
    ...(ne ? { fix: ne.fix, code: ne.code } : errCode(e) ? { code: errCode(e) as string } : {}),
    ...(ms !== undefined ? { ms: Math.round(ms) } : {}),
  };
}

const since = (t0: number) => Math.round(performance.now() - t0);

/** Runs the per-hop checks for one target; stops at the first failing hop (later hops depend on it). */
export async function checkTarget(net: NetLayer, t: DoctorTarget): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const url = new URL(t.url);
  const port = Number(url.port) || defaultPort(url.protocol);
  const hostPort = `${url.hostname}:${port}`;
  const d = net.diagnostics();
  const cfg = d.config;

  // 1. configuration
  let decision;
  try {
    decision = await net.resolveProxy(url);
  } catch (e) {
    out.push(failedCheck('config', hostPort, e));
    return out;
  }
  const first = decision.routes[0] ?? { kind: 'direct' as const };
  const routes = decision.routes.map(routeText).join(' → ');
  out.push({
    hop: 'config', target: hostPort, status: 'ok',
    summary: `${t.name} → ${routes} (source: ${decision.source}${decision.detail ? `, ${d.redactor.text(decision.detail)}` : ''}${decision.noProxyRule ? `, NO_PROXY match "${decision.noProxyRule}"` : ''})`,
    details: { source: decision.source, routes, ...(decision.noProxyRule ? { noProxyRule: decision.noProxyRule } : {}), ...(decision.skipped ? { skipped: decision.skipped } : {}) },
  });

  // 2. DNS of the next hop (the proxy, or the origin when direct)
  const viaProxy = first.kind === 'proxy';
  const hopHost = first.kind === 'proxy' ? first.endpoint.hostname.replace(/^\[|\]$/g, '') : url.hostname;
  const hopPort = first.kind === 'proxy' ? first.endpoint.port : port;
  const hopLabel = `${hopHost}:${hopPort}`;
  const proxyCtx = { proxy: hopLabel, proxyConnectMs: cfg.timeouts.proxyConnectMs, connectResponseMs: cfg.timeouts.connectResponseMs };
  const originCtx = { target: hostPort, host: url.hostname, viaProxy, tlsHandshakeMs: cfg.timeouts.tlsHandshakeMs };
  // A DNS or TCP failure reaching the first hop: the proxy, or the origin when direct.
  const hopError = (e: unknown) => (viaProxy
    ? classifyProxyError(e, proxyCtx)
    : classifyOriginConnectError(e, { ...originCtx, target: hopLabel, host: hopHost }));
  let t0 = performance.now();
  try {
    const addrs = await lookup(hopHost, { all: true });
    out.push({ hop: 'dns', target: hopHost, status: 'ok', summary: `${hopHost} → ${addrs.map((a) => a.address).join(', ')}`, ms: since(t0) });
  } catch (e) {
    out.push(failedCheck('dns', hopHost, hopError(e), performance.now() - t0));
    return out;
  }

  // 3. TCP to the proxy (or origin)
  t0 = performance.now();
  let socket: Socket | undefined;
  try {
    if (first.kind === 'proxy') {
      // A throwaway connection: the CONNECT probe opens its own (an https:// proxy needs TLS first).
      const s = await openSocket(hopHost, hopPort, cfg.timeouts.proxyConnectMs);
      s.destroy();
    } else {
      socket = await openSocket(hopHost, hopPort, cfg.timeouts.tlsHandshakeMs);
    }
    out.push({ hop: 'tcp', target: hopLabel, status: 'ok', summary: `connected to ${viaProxy ? 'proxy ' : ''}${hopLabel}`, ms: since(t0) });
  } catch (e) {
    out.push(failedCheck('tcp', hopLabel, hopError(e), performance.now() - t0));
    return out;
  }

  // 4. CONNECT
  if (first.kind === 'proxy') {
    t0 = performance.now();
    const token = d.proxyToken(first, decision);
    try {
      const r = await probeConnect(first.endpoint, hostPort, token, { connectMs: cfg.timeouts.proxyConnectMs, answerMs: cfg.timeouts.connectResponseMs, secureContext: d.secureContext });
      const via = r.headers.via ?? r.headers.server;
      if (r.status === 200) {
        socket = r.socket as Socket;
        out.push({ hop: 'connect', target: hostPort, status: 'ok', summary: `proxy ${hopLabel} opened a tunnel to ${hostPort} (200${token ? ', credentials sent' : ''})`, ms: since(t0), ...(via ? { details: { via } } : {}) });
      } else {
        const schemes = authSchemes(r.headers['proxy-authenticate'] ?? r.headers['www-authenticate']);
        const err = r.status === 407 || r.status === 401 ? new ProxyAuthRequired(hopLabel, schemes, token !== undefined) : new ProxyRefusedConnect(hopLabel, hostPort, r.status);
        out.push({ ...failedCheck('connect', hostPort, err, performance.now() - t0), details: { status: r.status, ...(schemes.length ? { proxyAuthenticate: schemes } : {}), ...(via ? { via } : {}) } });
        return out;
      }
    } catch (e) {
      out.push(failedCheck('connect', hostPort, classifyProxyError(e, proxyCtx), performance.now() - t0));
      return out;
    }
  }

  // 5. TLS
  if (url.protocol !== 'https:' && url.protocol !== 'wss:') {
    socket?.destroy();
    out.push({ hop: 'tls', target: hostPort, status: 'skip', summary: 'plain HTTP target' });
    return out;
  }
  t0 = performance.now();
  let tlsInfo: TlsProbe;
  try {
    tlsInfo = await probeTls(socket as Socket, url.hostname, d.trust, d.secureContext, cfg.timeouts.tlsHandshakeMs);
  } catch (e) {
    socket?.destroy();
    out.push(failedCheck('tls', hostPort, classifyOriginConnectError(e, originCtx), performance.now() - t0));
    return out;
  }
  const ms = since(t0);
  const leaf = tlsInfo.chain[0];
  const chainText = tlsInfo.chain.map((c) => c.subject).join(' ← ');
  const inspection = await inspectionVerdict(net, tlsInfo, viaProxy, url.hostname, port);
  const details = { chain: tlsInfo.chain, protocol: tlsInfo.protocol, inspection, ...(tlsInfo.trustedBy ? { trustedBy: tlsInfo.trustedBy, anchor: tlsInfo.anchorSubject } : {}) };
  if (!tlsInfo.authorized) {
    const err = classifyOriginConnectError(Object.assign(new Error(tlsInfo.error ?? 'untrusted'), { code: tlsInfo.error, reason: tlsInfo.error }), originCtx);
    const fix = err instanceof TlsUntrusted && inspection === 'detected' ? 'TLS inspection detected; import your corporate root CA (PEM) as a CA bundle' : err.fix;
    out.push({ ...failedCheck('tls', hostPort, err, ms), fix, details: { ...details, issuer: leaf?.issuer } });
    return out;
  }
  out.push({
    hop: 'tls', target: hostPort, status: 'ok', ms, details,
    summary: `${tlsInfo.protocol ?? 'TLS'} chain ${chainText}; leaf expires ${leaf?.validTo ?? '?'}; trusted by ${tlsInfo.trustedBy ?? 'default store'}${inspection === 'detected' ? '; TLS inspection detected' : inspection === 'likely' ? '; issuer is not a public root (TLS inspection likely)' : ''}`,
  });
  return out;
}

/**
 * Is an inspecting proxy re-signing traffic? A chain anchored in the bundled public roots is not
 * inspected. Otherwise, when the origin is reachable directly, compare the leaf seen both ways;
 * when it is not (the usual corporate case), say "likely".
 */
async function inspectionVerdict(net: NetLayer, tlsInfo: TlsProbe, viaProxy: boolean, host: string, port: number): Promise<'none' | 'detected' | 'likely' | 'unknown'> {
  if (!viaProxy) return 'none';
  if (tlsInfo.trustedBy === 'bundled') return 'none';
  const d = net.diagnostics();
  try {
    const s = await openSocket(host, port, 2_000);
    const direct = await probeTls(s, host, d.trust, d.secureContext, 3_000);
    if (!direct.leafFingerprint || !tlsInfo.leafFingerprint) return 'unknown';
    return direct.leafFingerprint === tlsInfo.leafFingerprint ? 'none' : 'detected';
  } catch {
    return 'likely';
  }
}

export interface DoctorReport {
  ok: boolean;
  generatedAt: string;
  checks: DoctorCheck[];
}

export function reportOf(checks: DoctorCheck[], nowMs: number): DoctorReport {
  return { ok: checks.every((c) => c.status !== 'fail'), generatedAt: new Date(nowMs).toISOString(), checks };
}

/** One line per hop: `ok   tls       api.example:443  …  → fix`. */
export function formatReport(r: DoctorReport): string {
  const lines = r.checks.map((c) => {
    const status = c.status === 'ok' ? 'ok  ' : c.status === 'fail' ? 'FAIL' : c.status === 'warn' ? 'warn' : 'skip';
    const ms = c.ms !== undefined ? ` (${c.ms} ms)` : '';
    return `${status} ${c.hop.padEnd(9)} ${c.target.padEnd(28)} ${c.summary}${ms}${c.fix && c.status !== 'ok' ? `\n     fix: ${c.fix}` : ''}`;
  });
  lines.push(r.ok ? 'all checks passed' : `${r.checks.filter((c) => c.status === 'fail').length} check(s) failed`);
  return lines.join('\n');
}
