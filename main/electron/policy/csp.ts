// The Content-Security-Policy and companion headers the app:// protocol sends with every response.
// Sent as headers rather than a <meta> tag so they also cover non-HTML responses and cannot be
// dropped by an edit to the renderer's index.html. No 'unsafe-inline' and no 'unsafe-eval': the
// renderer is a bundled ES module with external styles, and chart.js draws under this policy.

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

export const CSP_DIRECTIVES: CspDirectives = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // The renderer talks to main over IPC; 'self' only allows app://pacekeeper itself.
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

export function serializeCsp(directives: CspDirectives = CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = serializeCsp();

/** Powerful features the dashboard never uses, switched off at the document level too. */
const DISABLED_FEATURES = ['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid', 'bluetooth', 'payment', 'display-capture'];

/** Headers for every app:// response, whatever its type. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': DISABLED_FEATURES.map((f) => `${f}=()`).join(', '),
    // Files come from the app bundle; a stale cache after an update would mix versions.
    'Cache-Control': 'no-cache',
  };
}
