// The Content-Security-Policy and companion headers the app:// protocol sends with every response.
// Sent as headers rather than a <meta> tag so they also cover non-HTML responses and cannot be
// dropped by an edit to the renderer's index.html. No 'unsafe-inline' and no 'unsafe-eval': the
// renderer is a bundled ES module with external styles, and chart.js draws under this policy.

import { dashboardCsp, dashboardSecurityHeaders } from '../../util/dashboard-headers.ts';

/** The renderer talks to main over IPC; connect-src 'self' only allows app://pacekeeper itself. */
export const CONTENT_SECURITY_POLICY = dashboardCsp();

/** Headers for every app:// response, whatever its type. */
export function securityHeaders(): Record<string, string> {
  return dashboardSecurityHeaders();
}
