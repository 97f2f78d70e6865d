// Typed events of the tuning loop, for the bridge (dashboard state) and for notifications (tray
// badge, toasts on conflict, 429 and breaker). One discriminated union; listeners that throw are
// logged and skipped so a broken subscriber cannot stop a campaign's loop.
import type { Logger } from '../util/log.ts';
import type { TuningMode } from './guards.ts';

interface Base {
  campaignId: string;
  campaignName: string | undefined;
  /** Epoch ms on the loop's clock. */
  time: number;
}

export type TuningEvent =
  | (Base & { type: 'applied'; oldValue: number; newValue: number; version: number | undefined; controller: string; mode: TuningMode; reason: string })
  | (Base & { type: 'unchanged'; value: number; recommended: number; mode: TuningMode; why: string })
  | (Base & { type: 'conflict'; attempts: number; status: number })
  | (Base & { type: 'rate-limited'; retryAfterMs: number; cancelled: boolean })
  | (Base & { type: 'breaker-open'; retryAtMs: number | undefined })
  | (Base & { type: 'error'; stage: 'read' | 'stats' | 'analytics' | 'write' | 'config'; code: string; message: string })
  | (Base & { type: 'override-started'; value: number; holdUntil: number | undefined; reason: string })
  | (Base & { type: 'override-ended'; why: 'expired' | 'released' | 'replaced'; reason: string })
  | (Base & { type: 'mode-changed'; from: TuningMode; to: TuningMode; reason: string });

export type TuningEventType = TuningEvent['type'];
export type TuningListener = (e: TuningEvent) => void;

export class TuningEvents {
  readonly #listeners = new Set<TuningListener>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on(listener: TuningListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(e: TuningEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        this.#logger.warn('tuning event listener failed', { type: e.type, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
