// Proxy health: the route and where it came from, tunnels (opened, active, idle), handshake
// latency, the last error with its fix, per-hop status, and the Run doctor button with its report.
import type { DoctorReport, ProxyHealth } from '../../preload/contract.ts';
import { fmtCount, fmtMs, fmtTime, GLYPH } from '../dom/format.ts';
import { h, setText } from '../dom/h.ts';
import { facts, hopTable } from './hop-table.ts';
import { viewSection, type View, type ViewContext } from './view.ts';

export class ProxyView implements View {
  readonly id = 'proxy' as const;
  readonly element: HTMLElement;
  readonly #ctx: ViewContext;
  readonly #facts = facts({ route: 'Route', source: 'Chosen by', tunnels: 'Tunnels', handshake: 'Handshake latency' });
  readonly #lastError: HTMLElement;
  readonly #hops = hopTable('Per-hop status (last traffic)');
  readonly #doctorButton: HTMLButtonElement;
  readonly #doctorStatus: HTMLElement;
  readonly #doctorHops = hopTable('Doctor results');

  constructor(ctx: ViewContext) {
    this.#ctx = ctx;
    const section = viewSection('proxy');
    this.#lastError = h('div', { class: 'last-error', data: { field: 'proxy-last-error' } });
    this.#doctorButton = h('button', { class: 'button primary', text: 'Run doctor', attrs: { type: 'button' }, data: { action: 'doctor' } });
    this.#doctorButton.addEventListener('click', () => void this.#runDoctor());
    this.#doctorStatus = h('p', { class: 'outcome', attrs: { role: 'status', 'aria-live': 'polite' }, data: { field: 'doctor-status' } });
    this.#doctorHops.element.hidden = true;
    section.append(
      h('div', { class: 'card' }, this.#facts.element, h('h3', { text: 'Last error' }), this.#lastError),
      h('div', { class: 'card' }, this.#hops.element),
      h(
        'div',
        { class: 'card' },
        h('h3', { text: 'Doctor' }),
        h('p', { class: 'view-intro', text: 'Checks every hop to the platform (DNS, proxy, TLS, OAuth, API) and says what to fix.' }),
        this.#doctorButton,
        this.#doctorStatus,
        this.#doctorHops.element,
      ),
    );
    this.element = section;
  }

  update(p: ProxyHealth): void {
    this.#facts.set('route', p.route);
    this.#facts.set('source', p.source);
    this.#facts.set('tunnels', `${fmtCount(p.tunnelsOpened)} opened · ${fmtCount(p.active)} active · ${fmtCount(p.idle)} idle`);
    this.#facts.set('handshake', fmtMs(p.handshakeMs));
    const e = p.lastError;
    const text = e ? `${GLYPH.error} ${e.hop}: ${e.code}: ${e.message} (${fmtTime(e.at, this.#ctx.now())}). Fix: ${e.fix}` : `${GLYPH.ok} No errors.`;
    setText(this.#lastError, text);
    this.#lastError.dataset.severity = e ? 'error' : 'ok';
    this.#hops.update(p.hops);
  }

  async #runDoctor(): Promise<void> {
    this.#doctorButton.disabled = true;
    this.#doctorStatus.dataset.outcome = 'pending';
    setText(this.#doctorStatus, 'Running the doctor…');
    try {
      const r = await this.#ctx.bridge.invoke('doctor:run', undefined);
      if (!r.ok) {
        this.#doctorStatus.dataset.outcome = 'failed';
        setText(this.#doctorStatus, `${GLYPH.error} The doctor could not run: ${r.error.message}${r.error.fix ? ` ${r.error.fix}` : ''}`);
        return;
      }
      this.#showReport(r.value);
    } finally {
      this.#doctorButton.disabled = false;
    }
  }

  #showReport(report: DoctorReport): void {
    const failed = report.hops.filter((x) => !x.ok).length;
    this.#doctorStatus.dataset.outcome = report.ok ? 'ok' : 'failed';
    setText(
      this.#doctorStatus,
      report.ok
        ? `${GLYPH.ok} All ${report.hops.length} hops OK (${fmtTime(report.at, this.#ctx.now())}).`
        : `${GLYPH.error} ${failed} of ${report.hops.length} hops failed (${fmtTime(report.at, this.#ctx.now())}). See the fixes below.`,
    );
    this.#doctorHops.element.hidden = false;
    this.#doctorHops.update(report.hops);
  }
}
