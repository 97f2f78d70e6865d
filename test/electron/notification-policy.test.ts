import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commandFailedNotification,
  doctorNotification,
  freshWarnings,
  notificationForLog,
  NotificationCoalescer,
  notificationsForWarnings,
  type NotificationSpec,
} from '../../main/electron/policy/notification-policy.ts';
import { eventLogEntryFor } from '../../main/core/tuning-event-log.ts';
import { EVENT_KINDS, eventMap } from '../../preload/contract.ts';
import { logEntry, NOW } from './fixtures.ts';

const MIN = 60_000;

test('the six trigger kinds notify; the rest stay in the log', () => {
  const notified = EVENT_KINDS.filter((kind) => notificationForLog(logEntry({ kind })) !== undefined);
  assert.deepEqual(notified.sort(), ['breaker-open', 'conflict', 'keychain-unavailable', 'override-ended', 'proxy-auth', 'rate-limited']);
});

test('an override notifies when it expires, not when the user released or replaced it', () => {
  const ended = (why: 'expired' | 'released' | 'replaced') => {
    const e = eventLogEntryFor({ type: 'override-ended', why, reason: '', campaignId: 'c-1', campaignName: 'Spring Sale', time: NOW });
    assert.ok(e);
    return notificationForLog(logEntry({ kind: e.kind, severity: e.severity, message: e.message }));
  };
  const expired = ended('expired');
  assert.equal(expired?.title, 'Override expired — Spring Sale');
  assert.deepEqual(expired?.navigate, { view: 'campaign', campaignId: 'c-1' });
  assert.equal(ended('released'), undefined);
  assert.equal(ended('replaced'), undefined);
});

test('a campaign notification names the campaign and leads to it', () => {
  const spec = notificationForLog(logEntry({ kind: 'rate-limited', message: 'Genesys answered 429; retrying after 30 s.' }));
  assert.ok(spec);
  assert.equal(spec.title, 'Rate limited (429) — Spring Sale');
  assert.equal(spec.body, 'Genesys answered 429; retrying after 30 s.');
  assert.deepEqual(spec.navigate, { view: 'campaign', campaignId: 'c-1' });
  assert.equal(spec.urgency, 'normal');
  assert.ok(eventMap.navigate.safeParse(spec.navigate).success);
});

test('proxy and keychain problems lead to their views and are critical', () => {
  const proxy = notificationForLog(logEntry({ kind: 'proxy-auth', campaignId: null, campaignName: null, message: '407' }));
  assert.deepEqual([proxy?.title, proxy?.navigate, proxy?.urgency], ['Proxy authentication failed', { view: 'proxy' }, 'critical']);
  const keychain = notificationForLog(logEntry({ kind: 'keychain-unavailable', campaignId: null, campaignName: null }));
  assert.deepEqual([keychain?.navigate, keychain?.urgency], [{ view: 'settings' }, 'critical']);
  const breaker = notificationForLog(logEntry({ kind: 'breaker-open' }));
  assert.equal(breaker?.urgency, 'critical');
  const rateLimitedNoCampaign = notificationForLog(logEntry({ kind: 'rate-limited', campaignId: null, campaignName: null }));
  assert.deepEqual(rateLimitedNoCampaign?.navigate, { view: 'events' });
});

test('at most one per kind per campaign per window', () => {
  const c = new NotificationCoalescer(5);
  const conflict = notificationForLog(logEntry())!;
  assert.equal(c.offer(conflict, NOW).show, true);
  assert.deepEqual(c.offer(conflict, NOW + 1 * MIN), { show: false, suppressed: 1 });
  assert.deepEqual(c.offer(conflict, NOW + 4 * MIN), { show: false, suppressed: 2 });
  // Another campaign and another kind are independent.
  assert.equal(c.offer({ ...conflict, campaignId: 'c-2' }, NOW + 1 * MIN).show, true);
  assert.equal(c.offer(notificationForLog(logEntry({ kind: 'rate-limited' }))!, NOW + 1 * MIN).show, true);
  // After the window the next one shows and says how many were merged.
  const after = c.offer(conflict, NOW + 5 * MIN);
  assert.equal(after.show, true);
  assert.match(after.show ? after.spec.body : '', /\(2 similar since the last notice\)$/);
  const next = c.offer(conflict, NOW + 11 * MIN);
  assert.equal(next.show ? next.spec.body : '', conflict.body);
});

test('a window of 0 minutes never merges; the window can change at runtime', () => {
  const c = new NotificationCoalescer(0);
  const spec = notificationForLog(logEntry())!;
  for (let i = 0; i < 3; i++) assert.equal(c.offer(spec, NOW).show, true);
  c.setWindowMinutes(10);
  assert.equal(c.offer(spec, NOW + 1).show, false);
  assert.equal(c.offer(spec, NOW + 9 * MIN).show, false);
  assert.equal(c.offer(spec, NOW + 10 * MIN + 1).show, true);
});

test('pruning old slots (past 512 keys) keeps suppressed counts and recent windows', () => {
  const c = new NotificationCoalescer(5);
  const spec = notificationForLog(logEntry())!;
  assert.equal(c.offer({ ...spec, campaignId: 'kept' }, NOW).show, true);
  assert.equal(c.offer({ ...spec, campaignId: 'kept' }, NOW + MIN).show, false);
  for (let i = 0; i < 2_000; i++) assert.equal(c.offer({ ...spec, campaignId: `c-${i}` }, NOW + 2 * MIN + i).show, true);
  // Still inside c-1999's window: suppressed.
  assert.equal(c.offer({ ...spec, campaignId: 'c-1999' }, NOW + 3 * MIN).show, false);
  const later = c.offer({ ...spec, campaignId: 'kept' }, NOW + 20 * MIN);
  assert.ok(later.show && later.spec.body.endsWith('(1 similar since the last notice)'));
});

test('keychain warnings in state become notifications, other warnings do not', () => {
  const specs = notificationsForWarnings([
    { code: 'KEYCHAIN_UNAVAILABLE', message: 'No Secret Service.', fix: 'Install gnome-keyring.' },
    { code: 'SETTINGS_FILE_CORRUPT', message: 'Bad settings.' },
    { code: 'ENCRYPTION_INSECURE', message: 'basic_text.' },
  ]);
  assert.deepEqual(specs.map((s: NotificationSpec) => [s.kind, s.body]), [
    ['keychain-unavailable', 'No Secret Service. Install gnome-keyring.'],
    ['keychain-unavailable', 'basic_text.'],
  ]);
});

test('freshWarnings reports a code once while it lasts, again after it clears', () => {
  const w = { code: 'KEYCHAIN_UNAVAILABLE', message: 'x' };
  let r = freshWarnings(new Set(), [w, w]);
  assert.deepEqual(r.fresh, [w]);
  r = freshWarnings(r.seen, [w]);
  assert.deepEqual(r.fresh, []);
  r = freshWarnings(r.seen, []);
  r = freshWarnings(r.seen, [w]);
  assert.deepEqual(r.fresh, [w]);
});

test('doctor and failed-command notices describe the result', () => {
  const ok = doctorNotification({ ok: true, at: new Date(NOW).toISOString(), hops: [{ hop: 'dns', ok: true, detail: 'ok' }] });
  assert.equal(ok.title, 'Doctor: all checks passed');
  const bad = doctorNotification({
    ok: false,
    at: new Date(NOW).toISOString(),
    hops: [{ hop: 'dns', ok: true, detail: 'ok' }, { hop: 'proxy', ok: false, detail: '407 Proxy Authentication Required', fix: 'Re-enter the proxy password.' }],
  });
  assert.deepEqual([bad.title, bad.body, bad.navigate], ['Doctor: 1 check failed', 'proxy: 407 Proxy Authentication Required — Re-enter the proxy password.', { view: 'proxy' }]);
  const failed = commandFailedNotification({ action: 'pause', campaignId: 'c-9' }, { code: 'unavailable', message: 'Tuning is stopping.' });
  assert.deepEqual([failed.kind, failed.title, failed.navigate], ['command-failed', 'Could not pause the campaign', { view: 'campaign', campaignId: 'c-9' }]);
});
