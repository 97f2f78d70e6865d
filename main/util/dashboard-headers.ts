// The security headers the dashboard is served with, by either host (Electron's app:// protocol or
// the headless host). One policy for both, so the renderer is tested under the CSP it ships with.
// No 'unsafe-inline' and no 'unsafe-eval': the renderer is a bundled ES module with external styles,
// and chart.js draws under this policy.

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

export const DASHBOARD_CSP_DIRECTIVES: CspDirectives = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'none'"],
  'media-src': ["'none'"],
  'manifest-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export function serializeCsp(directives: CspDirectives = DASHBOARD_CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** The dashboard's CSP; `connect` adds sources to connect-src (the headless host's ws:// origins). */
export function dashboardCsp(connect: readonly string[] = []): string {
  return serializeCsp({ ...DASHBOARD_CSP_DIRECTIVES, 'connect-src': [...(DASHBOARD_CSP_DIRECTIVES['connect-src'] ?? []), ...connect] });
}

/** Powerful features the dashboard never uses. Only names Chromium recognises (an unknown one is a console warning on every load). */
export const DISABLED_FEATURES = ['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid', 'payment', 'display-capture'] as const;

/** Headers for every dashboard response, whatever its status or type. */
export function dashboardSecurityHeaders(connect: readonly string[] = []): Record<string, string> {
  return {
    'Content-Security-Policy': dashboardCsp(connect),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Legacy twin of frame-ancestors 'none' for engines that ignore CSP in frames.
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': DISABLED_FEATURES.map((f) => `${f}=()`).join(', '),
    // The bundle may be rebuilt (app update, rebuilt dist/); a stale cache would mix versions.
    'Cache-Control': 'no-cache',
  };
}
