// Above every view: the sandbox banner (state.platform.mode === 'sandbox') and core's warnings
// (no keychain, settings moved aside…) with their fixes, always visible.
import type { CoreState, Warning } from '../../preload/contract.ts';
import { h, replaceChildren } from '../dom/h.ts';

export const SANDBOX_TEXT = 'Sandbox: simulated Genesys Cloud — no real campaigns are changed';

export class Banner {
  readonly element: HTMLElement;
  readonly #sandbox: HTMLElement;
  readonly #warnings: HTMLElement;
  readonly #list: HTMLElement;
  #lastWarnings = '';

  constructor() {
    this.#sandbox = h('p', { class: 'sandbox-banner', attrs: { role: 'note', hidden: true } }, h('strong', { text: SANDBOX_TEXT }));
    this.#list = h('ul');
    this.#warnings = h('section', { class: 'warnings', attrs: { 'aria-label': 'Warnings', hidden: true } }, h('h2', { class: 'small-heading', text: 'Warnings' }), this.#list);
    this.element = h('div', { class: 'banner' }, this.#sandbox, this.#warnings);
  }

  update(state: CoreState): void {
    this.#sandbox.hidden = state.platform.mode !== 'sandbox';
    this.#setWarnings(state.warnings);
  }

  #setWarnings(warnings: readonly Warning[]): void {
    const key = JSON.stringify(warnings);
    if (key === this.#lastWarnings) return;
    this.#lastWarnings = key;
    this.#warnings.hidden = warnings.length === 0;
    replaceChildren(
      this.#list,
      ...warnings.map((w) =>
        h(
          'li',
          { data: { code: w.code } },
          h('span', { class: 'glyph', text: '!', attrs: { 'aria-hidden': 'true' } }),
          h('strong', { text: w.message }),
          w.fix ? h('span', { class: 'fix', text: ` ${w.fix}` }) : null,
        ),
      ),
    );
  }
}
