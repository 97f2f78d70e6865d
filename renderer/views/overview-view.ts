// The overview: one card per campaign, in core's order. Cards are kept across state events and
// updated in place; a campaign that disappears loses its card.
import type { CampaignView, CoreState } from '../../preload/contract.ts';
import { h, placeAfter } from '../dom/h.ts';
import { CampaignCard } from './campaign-card.ts';
import { viewSection, type View, type ViewContext } from './view.ts';

export class OverviewView implements View {
  readonly id = 'overview' as const;
  readonly element: HTMLElement;
  readonly #ctx: ViewContext;
  readonly #grid: HTMLElement;
  readonly #empty: HTMLElement;
  readonly #cards = new Map<string, CampaignCard>();

  constructor(ctx: ViewContext) {
    this.#ctx = ctx;
    const section = viewSection('overview');
    this.#empty = h('p', { class: 'empty', text: 'Waiting for campaigns…' });
    this.#grid = h('div', { class: 'card-grid' });
    section.append(this.#empty, this.#grid);
    this.element = section;
  }

  update(state: CoreState): void {
    const seen = new Set<string>();
    let previous: Element | null = null;
    for (const c of state.campaigns) {
      seen.add(c.id);
      const card = this.#card(c);
      placeAfter(this.#grid, previous, card.element);
      previous = card.element;
    }
    for (const [id, card] of this.#cards) {
      if (!seen.has(id)) {
        card.element.remove();
        this.#cards.delete(id);
      }
    }
    this.#empty.textContent = state.campaigns.length === 0 ? 'No campaigns to tune: Pacekeeper tunes predictive and power campaigns.' : '';
    this.#empty.hidden = state.campaigns.length > 0;
  }

  onShow(campaignId?: string): void {
    if (!campaignId) return;
    const card = this.#cards.get(campaignId)?.element;
    card?.scrollIntoView({ block: 'nearest' });
    card?.querySelector<HTMLElement>('h3')?.focus();
  }

  #card(c: CampaignView): CampaignCard {
    let card = this.#cards.get(c.id);
    if (card) {
      card.update(c);
    } else {
      card = new CampaignCard(c, this.#ctx);
      this.#cards.set(c.id, card);
    }
    return card;
  }
}
