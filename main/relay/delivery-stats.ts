// Counters shared by every downstream connection: what was delivered, coalesced and dropped, why
// clients were closed, and how long events waited in the relay (upstream arrival → socket write).
import { performance } from 'node:perf_hooks';
import { LogHistogram } from './histogram.ts';

export class DeliveryStats {
  deliveries = 0;
  /** Older queued events replaced by a newer one of the same latest-wins topic. */
  coalesced = 0;
  /** Events not delivered because the client was over its bound. */
  dropped = 0;
  readonly closes = { slowConsumer: 0, noPong: 0, idle: 0, rateLimited: 0, malformed: 0, tooBig: 0 };
  readonly refusedUpgrades: Record<string, number> = {};
  latency = new LogHistogram();

  delivered(arrivedAt: number): void {
    this.deliveries++;
    this.latency.record(performance.now() - arrivedAt);
  }

  refused(code: string): void {
    this.refusedUpgrades[code] = (this.refusedUpgrades[code] ?? 0) + 1;
  }
}
