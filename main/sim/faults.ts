// Fault injection: the failures a real platform path produces (5xx bursts, slow responses,
// connections reset mid-request, responses that never come). Pure bookkeeping; the server asks
// `decide` once per request and carries out the answer.
import { z } from 'zod';

export const FaultSpecSchema = z.strictObject({
  /** The next `count` matching requests get this 5xx (default 503) with a Genesys ErrorBody. */
  status5xx: z.strictObject({ count: z.number().int().min(1).max(1_000_000), status: z.number().int().min(500).max(599).optional() }).optional(),
  /** Real (wall-clock) milliseconds added before every matching response, until cleared. */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** The next `n` matching requests have their TCP connection destroyed without a response. */
  dropConnections: z.number().int().min(1).max(1_000_000).optional(),
  /** The next `n` matching requests are never answered (until the client gives up or the simulator closes). */
  stallResponses: z.number().int().min(1).max(1_000_000).optional(),
  /**
   * Which paths the fault applies to: a plain string matches as a substring, `*` is a glob over the
   * whole path, `/…/` is a regular expression. Default: every platform path (/api/…, /oauth/…).
   */
  paths: z.string().min(1).max(500).optional(),
  /** Limit to these HTTP methods (default: all). */
  methods: z.array(z.string().min(1).max(10)).max(10).optional(),
});
export type FaultSpec = z.infer<typeof FaultSpecSchema>;

export type FaultAction = { kind: 'none' } | { kind: 'drop' } | { kind: 'stall' } | { kind: 'status'; status: number };

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction;
}

interface FaultRule {
  spec: FaultSpec;
  match: (path: string) => boolean;
  status5xxLeft: number;
  dropsLeft: number;
  stallsLeft: number;
}

export interface FaultSnapshot {
  rules: Array<{ spec: FaultSpec; status5xxLeft: number; dropsLeft: number; stallsLeft: number }>;
}

export function compilePathPattern(pattern: string | undefined): (path: string) => boolean {
  if (!pattern) return () => true;
  if (pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
    const re = new RegExp(pattern.slice(1, -1));
    return (p) => re.test(p);
  }
  if (pattern.includes('*')) {
    const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    return (p) => re.test(p);
  }
  return (p) => p.includes(pattern);
}

export class FaultPlan {
  #rules: FaultRule[] = [];

  /** Adds a rule; throws a ZodError or SyntaxError (bad regex) on a bad spec. */
  inject(spec: FaultSpec): void {
    const parsed = FaultSpecSchema.parse(spec);
    this.#rules.push({
      spec: parsed,
      match: compilePathPattern(parsed.paths),
      status5xxLeft: parsed.status5xx?.count ?? 0,
      dropsLeft: parsed.dropConnections ?? 0,
      stallsLeft: parsed.stallResponses ?? 0,
    });
  }

  clear(): void {
    this.#rules = [];
  }

  get active(): boolean {
    return this.#rules.length > 0;
  }

  /** Consumes at most one counted fault (drop, then stall, then 5xx); latencies add up. */
  decide(method: string, path: string): FaultDecision {
    let latencyMs = 0;
    let action: FaultAction = { kind: 'none' };
    for (const r of this.#rules) {
      if (!r.match(path)) continue;
      if (r.spec.methods && !r.spec.methods.some((m) => m.toUpperCase() === method.toUpperCase())) continue;
      latencyMs += r.spec.latencyMs ?? 0;
      if (action.kind !== 'none') continue;
      if (r.dropsLeft > 0) {
        r.dropsLeft--;
        action = { kind: 'drop' };
      } else if (r.stallsLeft > 0) {
        r.stallsLeft--;
        action = { kind: 'stall' };
      } else if (r.status5xxLeft > 0) {
        r.status5xxLeft--;
        action = { kind: 'status', status: r.spec.status5xx?.status ?? 503 };
      }
    }
    // Rules with nothing left to count and no latency are finished.
    this.#rules = this.#rules.filter((r) => r.dropsLeft + r.stallsLeft + r.status5xxLeft > 0 || (r.spec.latencyMs ?? 0) > 0);
    return { latencyMs, action };
  }

  snapshot(): FaultSnapshot {
    return {
      rules: this.#rules.map((r) => ({ spec: r.spec, status5xxLeft: r.status5xxLeft, dropsLeft: r.dropsLeft, stallsLeft: r.stallsLeft })),
    };
  }
}
