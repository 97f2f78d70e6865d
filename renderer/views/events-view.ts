// The event log: conflicts, 429s, breaker state, errors, override starts and expiries… newest
// first, each with its time, severity (glyph and word as well as colour) and campaign. A filter
// narrows it by kind; at most the latest 500 entries are kept.
import type { EventKind, EventLogEntry } from '../../preload/contract.ts';
import { fmtTime, GLYPH } from '../dom/format.ts';
import { h, replaceChildren, uid } from '../dom/h.ts';
import { viewSection, type View, type ViewContext } from './view.ts';

const MAX_ENTRIES = 500;

const FILTERS: Readonly<Record<string, { label: string; kinds: readonly EventKind[] | null }>> = {
  all: { label: 'All events', kinds: null },
  conflict: { label: 'Conflicts', kinds: ['conflict'] },
  'rate-limited': { label: '429s (rate-limited)', kinds: ['rate-limited'] },
  breaker: { label: 'Circuit breaker', kinds: ['breaker-open', 'breaker-closed'] },
  error: { label: 'Errors', kinds: ['error', 'proxy-auth', 'keychain-unavailable'] },
  override: { label: 'Overrides and modes', kinds: ['override-started', 'override-ended', 'mode-changed'] },
};

export class EventsView implements View {
  readonly id = 'events' as const;
  readonly element: HTMLElement;
  readonly #ctx: ViewContext;
  readonly #body: HTMLTableSectionElement;
  readonly #filter: HTMLSelectElement;
  readonly #count: HTMLElement;
  #entries: EventLogEntry[] = [];

  constructor(ctx: ViewContext) {
    this.#ctx = ctx;
    const section = viewSection('events');
    const filterId = uid('event-filter');
    this.#filter = h('select', { id: filterId }, ...Object.entries(FILTERS).map(([value, f]) => h('option', { text: f.label, attrs: { value } })));
    this.#filter.addEventListener('change', () => this.#render());
    this.#count = h('span', { class: 'count', attrs: { 'aria-live': 'polite' } });
    this.#body = h('tbody');
    section.append(
      h('div', { class: 'toolbar' }, h('label', { text: 'Show ', attrs: { for: filterId } }), this.#filter, this.#count),
      h(
        'table',
        { class: 'table events' },
        h('caption', { class: 'visually-hidden', text: 'Event log, newest first' }),
        h('thead', {}, h('tr', {}, ...['Time', 'Severity', 'Kind', 'Campaign', 'Message'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
        this.#body,
      ),
    );
    this.element = section;
    this.#render();
  }

  /** Replaces the log (initial load or after a reconnect). */
  replace(entries: readonly EventLogEntry[]): void {
    this.#entries = [...entries].sort((a, b) => b.id - a.id).slice(0, MAX_ENTRIES);
    this.#render();
  }

  add(entry: EventLogEntry): void {
    if (this.#entries.some((e) => e.id === entry.id)) return;
    const newest = this.#entries[0];
    if (newest && newest.id > entry.id) {
      // Late arrival (e.g. during a reload): place it by id and redraw.
      this.replace([...this.#entries, entry]);
      return;
    }
    this.#entries.unshift(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.length = MAX_ENTRIES;
    const kinds = FILTERS[this.#filter.value]?.kinds ?? null;
    if (kinds && !kinds.includes(entry.kind)) {
      this.#renderCount();
      return;
    }
    // Prepend one row instead of re-rendering: the log can be long and events frequent.
    this.#body.querySelector('tr.empty')?.remove();
    this.#body.prepend(this.#row(entry));
    while (this.#body.rows.length > MAX_ENTRIES) this.#body.lastElementChild?.remove();
    this.#renderCount();
  }

  #visible(): EventLogEntry[] {
    const kinds = FILTERS[this.#filter.value]?.kinds ?? null;
    return kinds ? this.#entries.filter((e) => kinds.includes(e.kind)) : this.#entries;
  }

  #render(): void {
    const rows = this.#visible();
    if (rows.length === 0) {
      replaceChildren(this.#body, h('tr', { class: 'empty' }, h('td', { text: 'No events.', attrs: { colspan: 5 } })));
    } else {
      replaceChildren(this.#body, ...rows.map((e) => this.#row(e)));
    }
    this.#renderCount();
  }

  #renderCount(): void {
    const n = this.#visible().length;
    this.#count.textContent = ` ${n} event${n === 1 ? '' : 's'}`;
  }

  #row(e: EventLogEntry): HTMLTableRowElement {
    const glyph = e.severity === 'error' ? GLYPH.error : e.severity === 'warning' ? GLYPH.warning : GLYPH.info;
    return h(
      'tr',
      { data: { kind: e.kind, severity: e.severity, id: String(e.id) } },
      h('td', {}, h('time', { text: fmtTime(e.at, this.#ctx.now()), attrs: { datetime: e.at } })),
      h('td', { class: `severity-${e.severity}` }, h('span', { class: 'glyph', text: glyph, attrs: { 'aria-hidden': 'true' } }), ` ${e.severity}`),
      h('td', { text: e.kind }),
      h('td', { text: e.campaignName ?? e.campaignId ?? '—' }),
      h('td', { text: e.message }),
    );
  }
}
