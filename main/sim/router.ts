// Path-template routing: `{name}` segments become params. The route template (not the concrete
// path) is what the request counters record, so counts group by endpoint.

export interface RouteMatch<H> {
  handler: H;
  template: string;
  params: Record<string, string>;
}

export type RouteLookup<H> =
  | { kind: 'match'; match: RouteMatch<H> }
  | { kind: 'wrong-method'; template: string; allow: string[] }
  | { kind: 'none' };

interface CompiledRoute<H> {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  handler: H;
}

export class Router<H> {
  readonly #routes: CompiledRoute<H>[] = [];

  add(method: string, template: string, handler: H): this {
    const names: string[] = [];
    const source = template
      .split('/')
      .map((seg) => {
        const m = /^\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(seg);
        if (m) {
          names.push(m[1] as string);
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.#routes.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  /** HEAD falls back to the GET route (the server sends the headers without the body). */
  lookup(method: string, path: string): RouteLookup<H> {
    const found = this.#lookup(method, path);
    if (method.toUpperCase() === 'HEAD' && found.kind === 'wrong-method' && found.allow.includes('GET')) return this.#lookup('GET', path);
    return found;
  }

  #lookup(method: string, path: string): RouteLookup<H> {
    const allow = new Set<string>();
    let template = '';
    for (const r of this.#routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      if (r.method !== method.toUpperCase()) {
        allow.add(r.method);
        template ||= r.template;
        continue;
      }
      const params: Record<string, string> = {};
      let bad = false;
      r.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1] as string);
        } catch {
          bad = true; // malformed percent-encoding: treat as no such resource
        }
      });
      if (bad) return { kind: 'none' };
      return { kind: 'match', match: { handler: r.handler, template: r.template, params } };
    }
    if (allow.size > 0) return { kind: 'wrong-method', template, allow: [...allow].sort() };
    return { kind: 'none' };
  }
}
