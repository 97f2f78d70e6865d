// Response headers of the headless host: the same strict policy as the Electron app:// handler
// (no inline script or style, no eval, nothing remote), plus the bridge's own WebSocket origin in
// connect-src. Pure, so the policy is unit-tested without a server.
import { dashboardCsp, dashboardSecurityHeaders } from '../util/dashboard-headers.ts';

export interface HostOrigins {
  /** `http://127.0.0.1:PORT` and `http://localhost:PORT`. */
  http: readonly string[];
}

/** The origins a dashboard served on `port` can be loaded from (the Host values we accept). */
export function loopbackOrigins(port: number): HostOrigins {
  return { http: [`http://127.0.0.1:${port}`, `http://localhost:${port}`] };
}

export function contentSecurityPolicy(origins: HostOrigins): string {
  // 'self' covers ws: to the same host in CSP 3; the explicit ws:// entries keep older engines working.
  return dashboardCsp(wsOrigins(origins));
}

const wsOrigins = (origins: HostOrigins) => origins.http.map((o) => o.replace(/^http:/, 'ws:'));

/** Headers for every response, whatever its status or type. */
export function securityHeaders(origins: HostOrigins): Record<string, string> {
  return dashboardSecurityHeaders(wsOrigins(origins));
}
