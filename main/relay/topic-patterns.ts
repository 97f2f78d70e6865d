// The allowlist of topic families a local tool may subscribe to (notes/wsrelay.md §4, defence 5).
// A compromised tool must not be able to ask the relay for everything the OAuth identity can see.
// Patterns are dot-separated; `*` (or a `{name}` placeholder) matches exactly one segment. No
// multi-segment wildcard exists on purpose: `v2.users.*.presence` must not admit
// `v2.users.x.conversations.calls`. Pure.

export interface TopicPatternSpec {
  pattern: string;
  /**
   * Latest value wins (presence, routing status, stats): under backpressure only the newest
   * queued event per (client, topic) is kept. Default false.
   */
  latestWins?: boolean;
}

export type TopicPatternInput = string | TopicPatternSpec;

export type TopicVerdict = { allowed: true; latestWins: boolean } | { allowed: false; reason: 'invalid' | 'not-allowed' };

/** Segment characters Genesys topic names use (ids are UUIDs; names are camelCase words). */
const SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;
export const MAX_TOPIC_LENGTH = 200;

export const DEFAULT_TOPIC_PATTERNS: readonly TopicPatternSpec[] = [
  { pattern: 'v2.outbound.campaigns.{id}' },
  { pattern: 'v2.outbound.campaigns.{id}.stats', latestWins: true },
  { pattern: 'v2.outbound.campaigns.{id}.progress', latestWins: true },
  { pattern: 'v2.users.{id}.presence', latestWins: true },
  { pattern: 'v2.users.{id}.routingStatus', latestWins: true },
  { pattern: 'v2.routing.queues.{id}.conversations' },
  { pattern: 'v2.analytics.queues.{id}.observations', latestWins: true },
];

interface Compiled {
  segments: Array<string | null>; // null = one-segment wildcard
  latestWins: boolean;
}

export class TopicPatternError extends Error {
  readonly code = 'RELAY_TOPIC_PATTERN';
  readonly fix = 'Write topic patterns as dot-separated segments, using * or {name} for one whole segment.';
}

/** True when `topic` is syntactically a topic name (not whether it is allowed). */
export function isValidTopicName(topic: unknown): topic is string {
  if (typeof topic !== 'string' || topic.length === 0 || topic.length > MAX_TOPIC_LENGTH) return false;
  return topic.split('.').every((s) => SEGMENT.test(s));
}

export class TopicAllowlist {
  readonly #byLength = new Map<number, Compiled[]>();
  readonly #cache = new Map<string, TopicVerdict>();

  constructor(patterns: readonly TopicPatternInput[]) {
    for (const p of patterns) {
      const spec = typeof p === 'string' ? { pattern: p } : p;
      const segments = spec.pattern.split('.').map((s) => {
        if (s === '*' || /^\{[A-Za-z][A-Za-z0-9]*\}$/.test(s)) return null;
        if (!SEGMENT.test(s)) throw new TopicPatternError(`bad topic pattern segment '${s}' in '${spec.pattern}'`);
        return s;
      });
      const list = this.#byLength.get(segments.length) ?? [];
      list.push({ segments, latestWins: spec.latestWins ?? false });
      this.#byLength.set(segments.length, list);
    }
  }

  /** Decides one topic; results are memoised (bounded) because the same topics recur constantly. */
  check(topic: unknown): TopicVerdict {
    if (!isValidTopicName(topic)) return { allowed: false, reason: 'invalid' };
    const hit = this.#cache.get(topic);
    if (hit) return hit;
    const verdict = this.#decide(topic);
    if (this.#cache.size >= 50_000) this.#cache.clear();
    this.#cache.set(topic, verdict);
    return verdict;
  }

  #decide(topic: string): TopicVerdict {
    const parts = topic.split('.');
    for (const c of this.#byLength.get(parts.length) ?? []) {
      if (c.segments.every((s, i) => s === null || s === parts[i])) return { allowed: true, latestWins: c.latestWins };
    }
    return { allowed: false, reason: 'not-allowed' };
  }
}
