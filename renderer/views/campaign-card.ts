// One campaign on the overview: status and mode, the pacing value (maxCallsPerAgentDecimal) now and
// recommended, connect ratio, abandon % over the window and the day against the ceiling line, the
// last decision with its outcome and time, and the conflict/429 counters. Built once and updated
// in place; the override controls live in override-controls.ts.
import type { CampaignView } from '../../preload/contract.ts';
import { abandonLevel, abandonText, fmtChange, fmtNumber, fmtPct, fmtRatio, fmtTime, GLYPH, MISSING, OUTCOME_LABELS, outcomeSeverity } from '../dom/format.ts';
import { h, setText } from '../dom/h.ts';
import { OverrideControls } from './override-controls.ts';
import type { ViewContext } from './view.ts';

const MODE_LABELS: Readonly<Record<CampaignView['mode'], string>> = {
  auto: 'Auto',
  paused: 'Paused',
  'dry-run': 'Dry run',
  override: 'Override',
};

export class CampaignCard {
  readonly element: HTMLElement;
  readonly #f: Record<string, HTMLElement> = {};
  readonly #meters: Record<'window' | 'day', HTMLMeterElement>;
  readonly #controls: OverrideControls;
  readonly #now: () => number;

  constructor(campaign: CampaignView, ctx: ViewContext) {
    this.#now = ctx.now;
    const titleId = `campaign-${cssId(campaign.id)}-name`;
    const field = (name: string, cls = 'value') => (this.#f[name] = h('span', { class: cls, data: { field: name } }));
    this.#meters = {
      window: h('meter', { attrs: { min: 0, 'aria-label': 'Abandon rate over the window' } }),
      day: h('meter', { attrs: { min: 0, 'aria-label': 'Abandon rate over the day' } }),
    };
    const row = (label: string | HTMLElement, ...value: (HTMLElement | string)[]) => [h('dt', {}, label), h('dd', {}, ...value)];
    const named = (label: string, apiField: string) => h('span', {}, label, h('code', { class: 'api-field', text: apiField }));
    this.#controls = new OverrideControls(campaign, ctx);

    this.element = h(
      'article',
      { class: 'card campaign-card', attrs: { 'aria-labelledby': titleId }, data: { campaignId: campaign.id } },
      h(
        'header',
        { class: 'card-header' },
        h('h3', { id: titleId, text: campaign.name, attrs: { tabindex: -1 } }),
        h('span', { class: 'badges' }, field('status', 'badge'), field('mode', 'badge mode'), field('dialingMode', 'badge subtle')),
      ),
      h(
        'dl',
        { class: 'metrics' },
        ...row(
          named('Pacing value', 'maxCallsPerAgentDecimal'),
          field('current', 'value big'),
          h('span', { class: 'unit', text: ' applied → ' }),
          field('recommended', 'value big'),
          h('span', { class: 'unit', text: ' recommended' }),
          h('br'),
          field('bounds', 'detail'),
        ),
        ...row(named('Platform pacer', 'adjustedCallsPerAgent'), field('platformPacing')),
        ...row('Connect ratio', field('connectRatio')),
        ...row('Abandon, window', field('abandonWindow'), ' ', this.#meters.window, ' ', field('abandonWindowLevel', 'level')),
        ...row('Abandon, today', field('abandonDay'), ' ', this.#meters.day, ' ', field('abandonDayLevel', 'level')),
        ...row('Last decision', field('decision'), ' ', field('decisionTime', 'time'), h('br'), field('decisionMessage', 'detail')),
        ...row('Counters', field('counters')),
        ...row('Hold', field('hold')),
      ),
      field('breaker', 'alert-line'),
      this.#controls.element,
    );
    this.update(campaign);
  }

  update(c: CampaignView): void {
    const f = this.#f;
    const set = (name: string, text: string) => setText(f[name] as HTMLElement, text);
    set('status', `Status: ${c.campaignStatus}`);
    set('mode', `Mode: ${MODE_LABELS[c.mode]}`);
    (f.mode as HTMLElement).dataset.mode = c.mode;
    set('dialingMode', c.dialingMode);
    set('current', fmtNumber(c.current));
    set('recommended', fmtNumber(c.recommended));
    set('bounds', `Bounds ${fmtNumber(c.min)}–${fmtNumber(c.max)} · ${c.controller} controller`);
    set('platformPacing', fmtNumber(c.platformPacing));
    set('connectRatio', fmtRatio(c.connectRatio));
    this.#abandon('window', 'abandonWindow', c.abandonWindowPct, c);
    this.#abandon('day', 'abandonDay', c.abandonDayPct, c);

    const d = c.lastDecision;
    if (d) {
      const sev = outcomeSeverity(d.outcome);
      set('decision', `${GLYPH[sev]} ${OUTCOME_LABELS[d.outcome]}${fmtChange(d.oldValue, d.newValue)}`);
      (f.decision as HTMLElement).dataset.severity = sev;
      (f.decision as HTMLElement).dataset.outcome = d.outcome;
      set('decisionTime', `at ${fmtTime(d.at, this.#now())}`);
      set('decisionMessage', d.message);
    } else {
      set('decision', 'No decision yet');
      set('decisionTime', '');
      set('decisionMessage', '');
    }
    const k = c.counters;
    set('counters', `Conflicts ${k.conflicts} · 429s ${k.rateLimited} · Applied ${k.applied} · Errors ${k.errors}`);
    set('hold', c.hold ? `${fmtNumber(c.hold.value)} held${c.hold.until ? ` until ${fmtTime(c.hold.until, this.#now())}` : ''}` : 'None');
    const breaker = f.breaker as HTMLElement;
    breaker.hidden = c.breakerOpenUntil === null;
    set('breaker', c.breakerOpenUntil ? `${GLYPH.error} Circuit breaker open until ${fmtTime(c.breakerOpenUntil, this.#now())}: no writes until then.` : '');
    this.#controls.update(c);
  }

  #abandon(which: 'window' | 'day', field: string, pct: number | null, c: CampaignView): void {
    const f = this.#f;
    const level = abandonLevel(pct, c.setpointPct, c.ceilingPct);
    setText(f[field] as HTMLElement, fmtPct(pct));
    const lvl = f[`${field}Level`] as HTMLElement;
    setText(lvl, abandonText(level, c.ceilingPct));
    lvl.dataset.level = level;
    const m = this.#meters[which];
    m.max = Math.max(c.ceilingPct * 2, 0.1);
    m.low = c.setpointPct;
    m.high = c.ceilingPct;
    m.optimum = 0;
    m.value = pct ?? 0;
    m.hidden = pct === null;
    m.title = pct === null ? MISSING : `${fmtPct(pct)} of a ${fmtPct(c.ceilingPct, 0)} ceiling`;
  }
}

/** Campaign ids become parts of element ids; keep them to safe characters. */
export function cssId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}
