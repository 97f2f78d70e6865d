// The dashboard's event log: a bounded ring of notable events (conflicts, 429s, breaker, errors,
// overrides, mode changes) with ids, so the renderer can ask for the latest N and tray
// notifications can be derived from the same stream.
import type { EventLogEntry } from '../../preload/contract.ts';
import { redactor } from '../util/redact.ts';

export type NewEvent = Omit<EventLogEntry, 'id' | 'at' | 'campaignId' | 'campaignName'> & {
  campaignId?: string | null;
  campaignName?: string | null;
  at?: string;
};

export class EventLog {
  readonly #max: number;
  readonly #now: () => number;
  readonly #entries: EventLogEntry[] = [];
  readonly #listeners = new Set<(e: EventLogEntry) => void>();
  #nextId = 1;

  constructor(opts: { max?: number; now: () => number }) {
    this.#max = opts.max ?? 1000;
    this.#now = opts.now;
  }

  add(e: NewEvent): EventLogEntry {
    const entry: EventLogEntry = {
      id: this.#nextId++,
      at: e.at ?? new Date(this.#now()).toISOString(),
      kind: e.kind,
      severity: e.severity,
      campaignId: e.campaignId ?? null,
      campaignName: e.campaignName ?? null,
      message: redactor.text(e.message),
    };
    this.#entries.push(entry);
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
    for (const l of this.#listeners) {
      try {
        l(entry);
      } catch {
        // a broken listener must not stop the log
      }
    }
    return entry;
  }

  /** Newest last. */
  latest(limit = 200): EventLogEntry[] {
    return this.#entries.slice(-limit);
  }

  onEntry(listener: (e: EventLogEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
