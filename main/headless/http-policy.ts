// Response headers of the headless host: the same strict policy as the Electron app:// handler
// (no inline script or style, no eval, nothing remote), plus the bridge's own WebSocket origin in
// connect-src. Pure, so the policy is unit-tested without a server.

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
  const ws = origins.http.map((o) => o.replace(/^http:/, 'ws:'));
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...ws],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'worker-src': ["'none'"],
    'media-src': ["'none'"],
    'manifest-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives).map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

// Only features Chromium recognises: an unknown name is a console warning on every load.
const DISABLED_FEATURES = ['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid', 'payment', 'display-capture'];

/** Headers for every response, whatever its status or type. */
export function securityHeaders(origins: HostOrigins): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(origins),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Legacy twin of frame-ancestors 'none' for engines that ignore CSP in frames.
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': DISABLED_FEATURES.map((f) => `${f}=()`).join(', '),
    // The bundle may be rebuilt under a running host; a stale cache would mix versions.
    'Cache-Control': 'no-cache',
  };
}
