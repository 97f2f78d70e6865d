// The campaigns core knows about: id, name, dialing mode and status from the platform's campaign
// list, plus the platform pacer's own value from the latest tuning cycle. The tuning loop decides
// per cycle whether it may write; the catalog only feeds the dashboard and picks the loop set.
import type { GenesysClient } from '../genesys/client.ts';
import type { CatalogEntry } from './state-view.ts';

const PAGE_SIZE = 100;
const MAX_PAGES = 50;

export class CampaignCatalog {
  readonly #entries = new Map<string, CatalogEntry>();

  get ids(): string[] {
    return [...this.#entries.keys()];
  }

  get(id: string): CatalogEntry | undefined {
    return this.#entries.get(id);
  }

  /** Reads every page of the campaign list. Resolves true when the set of campaign ids changed. */
  async refresh(client: Pick<GenesysClient, 'listCampaigns'>, signal?: AbortSignal): Promise<boolean> {
    const seen = new Map<string, CatalogEntry>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await client.listCampaigns({ pageSize: PAGE_SIZE, pageNumber: page }, signal ? { signal } : {});
      for (const c of res.entities ?? []) {
        if (!c.id) continue;
        seen.set(c.id, {
          name: c.name,
          dialingMode: c.dialingMode,
          campaignStatus: c.campaignStatus ?? 'unknown',
          platformPacing: this.#entries.get(c.id)?.platformPacing,
        });
      }
      const pageCount = res.pageCount ?? 1;
      if (page >= pageCount || (res.entities ?? []).length < PAGE_SIZE) break;
    }
    const before = new Set(this.#entries.keys());
    const changed = before.size !== seen.size || [...seen.keys()].some((id) => !before.has(id));
    this.#entries.clear();
    for (const [id, e] of seen) this.#entries.set(id, e);
    return changed;
  }

  notePacing(id: string, platformPacing: number | undefined): void {
    const e = this.#entries.get(id);
    if (e && platformPacing !== undefined) e.platformPacing = platformPacing;
  }
}
