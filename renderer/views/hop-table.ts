// A table of per-hop results (DNS, TCP, proxy CONNECT, TLS, OAuth, API…), shared by the proxy
// health section and the doctor's report. OK and failed hops differ by glyph and word, not only colour.
import type { HopStatus } from '../../preload/contract.ts';
import { fmtMs, GLYPH } from '../dom/format.ts';
import { h, replaceChildren, setText } from '../dom/h.ts';

export function hopTable(caption: string): { element: HTMLTableElement; update(hops: readonly HopStatus[]): void } {
  const body = h('tbody');
  const element = h(
    'table',
    { class: 'table hops' },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {}, ...['Hop', 'Status', 'Detail', 'Time', 'Fix'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
    body,
  );
  let last = '';
  return {
    element,
    update(hops) {
      const key = JSON.stringify(hops);
      if (key === last) return;
      last = key;
      if (hops.length === 0) {
        replaceChildren(body, h('tr', {}, h('td', { text: 'No hops checked yet.', attrs: { colspan: 5 } })));
        return;
      }
      replaceChildren(
        body,
        ...hops.map((hop) =>
          h(
            'tr',
            { data: { hop: hop.hop, ok: String(hop.ok) } },
            h('th', { text: hop.hop, attrs: { scope: 'row' } }),
            h('td', { class: hop.ok ? 'status-ok' : 'status-error', text: hop.ok ? `${GLYPH.ok} OK` : `${GLYPH.error} Failed` }),
            h('td', { text: hop.detail }),
            h('td', { text: fmtMs(hop.ms) }),
            h('td', { text: hop.fix ?? '' }),
          ),
        ),
      );
    },
  };
}

/** A definition list whose values are updated in place. */
export function facts(labels: Readonly<Record<string, string>>): { element: HTMLDListElement; set(key: string, text: string): void } {
  const values = new Map<string, HTMLElement>();
  const element = h('dl', { class: 'facts' });
  for (const [key, label] of Object.entries(labels)) {
    const dd = h('dd', { data: { field: key } });
    values.set(key, dd);
    element.append(h('dt', { text: label }), dd);
  }
  return {
    element,
    set(key, text) {
      const dd = values.get(key);
      if (dd) setText(dd, text);
    },
  };
}
