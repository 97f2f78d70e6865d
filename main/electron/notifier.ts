// Desktop notifications. What to say and whether to say it are decided by
// policy/notification-policy.ts; this shows the result and routes a click to the dashboard.
import { Notification } from 'electron';
import type { EventPayload } from '../../preload/contract.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { NotificationCoalescer, type NotificationSpec } from './policy/notification-policy.ts';

export interface ShownNotification {
  spec: NotificationSpec;
  at: number;
}

export interface NotifierOptions {
  clock: Clock;
  logger: Logger;
  coalesceMinutes: number;
  /** Linux/Windows notification icon (the app icon). */
  iconPath?: string;
  onClick(navigate: EventPayload<'navigate'>): void;
}

const KEEP_SHOWN = 50;

export class Notifier {
  readonly #o: NotifierOptions;
  readonly #coalescer: NotificationCoalescer;
  // Electron drops click handlers of notifications that were garbage-collected; keep them alive.
  readonly #live = new Set<Notification>();
  readonly #shown: ShownNotification[] = [];

  constructor(options: NotifierOptions) {
    this.#o = options;
    this.#coalescer = new NotificationCoalescer(options.coalesceMinutes);
  }

  setCoalesceMinutes(minutes: number): void {
    this.#coalescer.setWindowMinutes(minutes);
  }

  /** Shows `spec` unless coalesced; user-initiated results (doctor) pass `coalesce: false`. */
  notify(spec: NotificationSpec, opts: { coalesce?: boolean } = {}): boolean {
    const now = this.#o.clock.now();
    let shown = spec;
    if (opts.coalesce !== false) {
      const decision = this.#coalescer.offer(spec, now);
      if (!decision.show) return false;
      shown = decision.spec;
    }
    this.#shown.push({ spec: shown, at: now });
    if (this.#shown.length > KEEP_SHOWN) this.#shown.shift();
    if (!Notification.isSupported()) {
      this.#o.logger.warn('notifications not supported here', { kind: shown.kind, title: shown.title });
      return true;
    }
    const n = new Notification({
      title: shown.title,
      body: shown.body,
      urgency: shown.urgency,
      timeoutType: shown.urgency === 'critical' ? 'never' : 'default',
      ...(this.#o.iconPath ? { icon: this.#o.iconPath } : {}),
    });
    this.#live.add(n);
    const release = () => this.#live.delete(n);
    n.on('click', () => {
      release();
      this.#o.onClick(shown.navigate);
    });
    n.on('close', release);
    n.on('failed', (_e, error) => {
      release();
      this.#o.logger.warn('notification failed', { kind: shown.kind, error });
    });
    n.show();
    return true;
  }

  /** For the e2e test hook. */
  get shown(): readonly ShownNotification[] {
    return this.#shown;
  }

  /** For the e2e test hook: acts as a click on a shown notification (native toasts cannot be clicked by Playwright). */
  click(index: number): boolean {
    const entry = this.#shown[index];
    if (!entry) return false;
    this.#o.onClick(entry.spec.navigate);
    return true;
  }
}
