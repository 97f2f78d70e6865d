// Secrets must never reach logs, errors, diagnostics or the renderer. Two defences:
// 1. every secret value the app knows is registered here and replaced wherever it appears;
// 2. values under secret-looking keys or in credential-bearing headers/URLs are masked by shape.

const MASK = '[redacted]';
const MIN_SECRET_LENGTH = 4;

const SECRET_KEY = /(pass(word)?|secret|token|authorization|api[-_]?key|cookie|credential|private[-_]?key)/i;
const BEARER_OR_BASIC = /\b(Bearer|Basic|Token|Negotiate|NTLM)\s+[A-Za-z0-9._~+/=-]{4,}/g;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s@]*)@/gi;
const QUERY_SECRET = /([?&](?:access_token|token|client_secret|password|secret|sig)=)[^&\s#"']+/gi;

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a secret value (and its common encodings) so it is masked wherever it appears. */
  addSecret(value: string | undefined | null): void {
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    this.#secrets.add(value);
    this.#secrets.add(encodeURIComponent(value));
    this.#secrets.add(Buffer.from(value, 'utf8').toString('base64'));
  }

  removeSecret(value: string | undefined | null): void {
    if (!value) return;
    this.#secrets.delete(value);
    this.#secrets.delete(encodeURIComponent(value));
    this.#secrets.delete(Buffer.from(value, 'utf8').toString('base64'));
  }

  /** Masks known secrets and credential-shaped substrings in free text. */
  text(input: string): string {
    let out = input;
    // Longest first so a secret that contains another is masked whole.
    for (const s of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(MASK);
    }
    return out
      .replace(BEARER_OR_BASIC, (_m, scheme: string) => `${scheme} ${MASK}`)
      .replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${MASK}@`)
      .replace(QUERY_SECRET, (_m, key: string) => `${key}${MASK}`);
  }

  /** Deep copy of `value` with secrets masked; values under secret-looking keys are masked entirely. */
  value(value: unknown, depth = 0): unknown {
    if (depth > 12) return '[too deep]';
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return this.error(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && typeof v !== 'boolean' && typeof v !== 'object'
        ? MASK
        : this.value(v, depth + 1);
    }
    return out;
  }

  error(err: Error): Record<string, unknown> {
    const out: Record<string, unknown> = { name: err.name, message: this.text(err.message) };
    for (const [k, v] of Object.entries(err)) out[k] = this.value(SECRET_KEY.test(k) ? MASK : v, 1);
    if (err.cause instanceof Error) out.cause = this.error(err.cause);
    return out;
  }
}

/** The process-wide redactor: the secret store registers every value it loads or saves. */
export const redactor = new Redactor();
