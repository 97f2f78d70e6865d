// The drift view: one chart per campaign (applied and recommended pacing values, abandon % against
// the target band, last 24 h), plus a text summary of the latest values for screen readers and for
// anyone who cannot tell the lines apart. Charts are created the first time the view is shown
// (a canvas needs a laid-out size) and only drawn while it is visible.
import type { CampaignView } from '../../preload/contract.ts';
import { onColorSchemeChange, readChartTheme } from '../charts/chart-theme.ts';
import { DriftChart, type DriftBand } from '../charts/drift-chart.ts';
import type { HistoryStore } from '../charts/history-buffer.ts';
import { fmtNumber, fmtPct } from '../dom/format.ts';
import { h, placeAfter, setText } from '../dom/h.ts';
import { cssId } from './campaign-card.ts';
import { viewSection, type View, type ViewContext } from './view.ts';

interface Panel {
  element: HTMLElement;
  heading: HTMLHeadingElement;
  canvas: HTMLCanvasElement;
  summary: HTMLElement;
  band: DriftBand;
  chart: DriftChart | null;
}

const bandOf = (c: CampaignView): DriftBand => ({ setpointPct: c.setpointPct, ceilingPct: c.ceilingPct, min: c.min, max: c.max });

export class DriftView implements View {
  readonly id = 'campaign' as const;
  readonly element: HTMLElement;
  readonly #store: HistoryStore;
  readonly #ctx: ViewContext;
  readonly #grid: HTMLElement;
  readonly #panels = new Map<string, Panel>();
  #visible = false;
  readonly #offTheme: () => void;
  /** Panels scrolled out of view skip drawing until they come back (a chart costs ~2–4 ms a draw). */
  readonly #onScreen = new Set<string>();
  readonly #observer: IntersectionObserver | null;

  constructor(ctx: ViewContext, store: HistoryStore) {
    this.#ctx = ctx;
    this.#store = store;
    const section = viewSection('campaign', 'Last 24 hours per campaign. Solid: applied pacing value · dashed: recommended · dotted: abandon % (right axis) against the shaded target band and the dashed ceiling line.');
    this.#grid = h('div', { class: 'chart-grid' });
    section.append(this.#grid);
    this.element = section;
    this.#observer = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => {
        for (const e of entries) {
          const id = (e.target as HTMLElement).dataset.campaignId;
          if (!id) continue;
          if (e.isIntersecting) this.#onScreen.add(id);
          else this.#onScreen.delete(id);
          this.#panels.get(id)?.chart?.setActive(this.#visible && e.isIntersecting);
        }
      }, { rootMargin: '200px' })
      : null;
    this.#offTheme = onColorSchemeChange(() => {
      const theme = readChartTheme();
      for (const p of this.#panels.values()) p.chart?.setTheme(theme);
    });
  }

  /** Keeps one panel per campaign, in core's order. */
  sync(campaigns: readonly CampaignView[]): void {
    const seen = new Set<string>();
    let previous: Element | null = null;
    for (const c of campaigns) {
      seen.add(c.id);
      let p = this.#panels.get(c.id);
      if (!p) {
        p = this.#panel(c);
        this.#panels.set(c.id, p);
        this.#observer?.observe(p.element);
      }
      p.band = bandOf(c);
      p.chart?.setBand(p.band);
      placeAfter(this.#grid, previous, p.element);
      previous = p.element;
      this.#summarise(c.id, p);
    }
    for (const [id, p] of this.#panels) {
      if (seen.has(id)) continue;
      this.#observer?.unobserve(p.element);
      this.#onScreen.delete(id);
      p.chart?.destroy();
      p.element.remove();
      this.#panels.delete(id);
    }
    if (this.#visible) this.#ensureCharts();
  }

  /** New points for a campaign arrived in the store. */
  invalidate(campaignId: string): void {
    const p = this.#panels.get(campaignId);
    if (!p) return;
    p.chart?.invalidate();
    this.#summarise(campaignId, p);
  }

  onShow(campaignId?: string): void {
    this.#visible = true;
    this.#ensureCharts();
    for (const [id, p] of this.#panels) p.chart?.setActive(!this.#observer || this.#onScreen.has(id));
    if (campaignId) {
      const p = this.#panels.get(campaignId);
      p?.element.scrollIntoView({ block: 'start' });
      p?.heading.focus();
    }
  }

  onHide(): void {
    this.#visible = false;
    for (const p of this.#panels.values()) p.chart?.setActive(false);
  }

  destroy(): void {
    this.#offTheme();
    this.#observer?.disconnect();
    for (const p of this.#panels.values()) p.chart?.destroy();
  }

  #ensureCharts(): void {
    let theme: ReturnType<typeof readChartTheme> | undefined;
    for (const [id, p] of this.#panels) {
      if (p.chart) continue;
      theme ??= readChartTheme();
      p.chart = new DriftChart(p.canvas, this.#store.series(id), { theme, band: p.band, now: this.#ctx.now, windowMs: this.#store.windowMs });
    }
  }

  #panel(c: CampaignView): Panel {
    const headingId = `drift-${cssId(c.id)}-title`;
    const heading = h('h3', { id: headingId, text: c.name, attrs: { tabindex: -1 } });
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `Drift chart for ${c.name}: applied and recommended pacing values and abandon % over the last 24 hours.` } });
    const summary = h('p', { class: 'chart-summary', data: { field: 'drift-summary' } });
    const legend = h(
      'ul',
      { class: 'legend', attrs: { 'aria-label': 'Legend' } },
      h('li', {}, h('span', { class: 'swatch applied', attrs: { 'aria-hidden': 'true' } }), 'Applied pacing value (solid)'),
      h('li', {}, h('span', { class: 'swatch recommended', attrs: { 'aria-hidden': 'true' } }), 'Recommended (dashed)'),
      h('li', {}, h('span', { class: 'swatch abandon', attrs: { 'aria-hidden': 'true' } }), 'Abandon % (dotted, right axis)'),
      h('li', {}, h('span', { class: 'swatch band', attrs: { 'aria-hidden': 'true' } }), 'Target band and ceiling'),
    );
    const element = h(
      'section',
      { class: 'card chart-panel', attrs: { 'aria-labelledby': headingId }, data: { campaignId: c.id } },
      heading,
      legend,
      h('div', { class: 'chart-box' }, canvas),
      summary,
    );
    return { element, heading, canvas, summary, band: bandOf(c), chart: null };
  }

  #summarise(id: string, p: Panel): void {
    const s = this.#store.series(id);
    const last = <T extends { y: number }>(arr: readonly T[]) => (arr.length ? (arr[arr.length - 1] as T).y : null);
    const n = Math.max(s.applied.length, s.abandon.length);
    setText(
      p.summary,
      n === 0
        ? 'No history yet.'
        : `${n.toLocaleString('en-US')} cycles. Latest: applied ${fmtNumber(last(s.applied))}, recommended ${fmtNumber(last(s.recommended))}, abandon ${fmtPct(last(s.abandon))} (target ${fmtPct(p.band.setpointPct)}–${fmtPct(p.band.ceilingPct)}).`,
    );
  }
}
