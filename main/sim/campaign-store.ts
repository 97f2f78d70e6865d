// The campaigns the sandbox serves, with the platform's concurrency rules: PUT replaces the whole
// object and must carry the current `version` (409 otherwise); PATCH has no version (last writer
// wins); every write bumps `version`; an If-Match that does not match is a 412.
import type { Clock } from '../util/clock.ts';
import { CampaignPatchRequestSchema, CampaignPutSchema, type Campaign } from '../genesys/models.ts';
import { genesysError } from './errors.ts';
import { applyPatch, validatePut, zodToHttpError } from './campaign-rules.ts';

export type CampaignChangeCause = 'put' | 'patch' | 'bump';
export type CampaignListener = (campaign: Campaign, previous: Campaign, cause: CampaignChangeCause) => void;

export function etagOf(c: Campaign): string {
  return `"${c.version ?? 0}"`;
}

/** RFC 9110 If-Match: `*` or a list of entity tags; weak tags compare by their opaque value. */
export function ifMatchSatisfied(header: string | undefined, c: Campaign): boolean {
  if (header === undefined) return true;
  const tags = header.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.includes('*')) return true;
  const mine = etagOf(c);
  return tags.some((t) => t.replace(/^W\//, '') === mine);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class CampaignStore {
  readonly #clock: Clock;
  readonly #campaigns = new Map<string, Campaign>();
  readonly #listeners = new Set<CampaignListener>();
  readonly #queueName: (id: string) => string | undefined;

  constructor(clock: Clock, campaigns: Campaign[], queueName: (id: string) => string | undefined = () => undefined) {
    this.#clock = clock;
    this.#queueName = queueName;
    for (const c of campaigns) this.#campaigns.set(c.id as string, structuredClone(c));
  }

  /** Copies, in creation order. */
  list(): Campaign[] {
    return [...this.#campaigns.values()].map((c) => structuredClone(c));
  }

  get(id: string): Campaign | undefined {
    const c = this.#campaigns.get(id);
    return c && structuredClone(c);
  }

  onChange(listener: CampaignListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #require(id: string): Campaign {
    const c = this.#campaigns.get(id);
    if (!c) throw genesysError('notFound', { message: `The campaign ${id.slice(0, 100)} was not found.`, entityId: id.slice(0, 100) });
    return c;
  }

  #checkIfMatch(c: Campaign, ifMatch: string | undefined): void {
    if (!ifMatchSatisfied(ifMatch, c)) throw genesysError('preconditionFailed', { entityId: c.id });
  }

  /** Full replacement. Throws SimHttpError 404/412/400/409. */
  put(id: string, body: unknown, opts: { ifMatch?: string; useDecimal: boolean }): Campaign {
    const current = this.#require(id);
    this.#checkIfMatch(current, opts.ifMatch);
    if (!isPlainObject(body)) throw genesysError('badRequest', { message: 'The request body must be a Campaign object.' });
    const parsed = CampaignPutSchema.safeParse(body);
    if (!parsed.success) throw zodToHttpError(parsed.error);
    const replacement = validatePut(current, parsed.data, opts.useDecimal);
    return this.#commit(current, replacement, 'put');
  }

  /** Partial update of the pacing knobs. Throws SimHttpError 404/412/400. */
  patch(id: string, body: unknown, opts: { ifMatch?: string }): Campaign {
    const current = this.#require(id);
    this.#checkIfMatch(current, opts.ifMatch);
    if (!isPlainObject(body)) throw genesysError('badRequest', { message: 'The request body must be a CampaignPatchRequest object.' });
    const parsed = CampaignPatchRequestSchema.safeParse(body);
    if (!parsed.success) throw zodToHttpError(parsed.error);
    return this.#commit(current, applyPatch(current, parsed.data, this.#queueName), 'patch');
  }

  /**
   * A concurrent writer (another admin, another tool): bumps `version`, optionally changing fields,
   * exactly as a foreign PUT would. Used to provoke 409s in tests.
   */
  bumpVersion(id: string, changes: Partial<Campaign> = {}): Campaign {
    const current = this.#require(id);
    return this.#commit(current, { ...structuredClone(current), ...changes }, 'bump');
  }

  /** Server-owned fields are never taken from the client. */
  #commit(current: Campaign, next: Campaign, cause: CampaignChangeCause): Campaign {
    const stored: Campaign = {
      ...next,
      id: current.id,
      dateCreated: current.dateCreated,
      dateModified: new Date(this.#clock.now()).toISOString(),
      version: (current.version ?? 0) + 1,
      errors: current.errors ?? [],
      selfUri: current.selfUri,
    };
    this.#campaigns.set(current.id as string, stored);
    for (const l of this.#listeners) l(structuredClone(stored), structuredClone(current), cause);
    return structuredClone(stored);
  }
}
