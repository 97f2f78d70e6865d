// The narrow view of the platform the upstream pool needs. `genesys-upstream.ts` implements it
// with main/genesys (so proxy, CA and OAuth settings apply); the pool is written against this
// interface only, which keeps its logic independent of HTTP and token plumbing.

export interface UpstreamChannel {
  id: string;
  connectUri: string;
  /** Epoch ms when the platform expires the channel (24 h after creation on Genesys). */
  expiresAt: number;
}

export interface SubscribeOutcome {
  /** Topics the platform would not subscribe (permissions, unknown topic); the rest are live. */
  refused: Array<{ topic: string; reason: string }>;
}

export interface UpstreamSocketHandlers {
  onMessage(text: string): void;
  /** Called once, however the socket ends. */
  onClose(code: number, reason: string): void;
}

export interface UpstreamSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export interface UpstreamPlatform {
  /** POST /api/v2/notifications/channels. */
  createChannel(): Promise<UpstreamChannel>;
  /** POST (add) or PUT (replace) …/channels/{id}/subscriptions. Unsubscribing is a replace. */
  subscribe(channelId: string, topics: string[], mode: 'add' | 'replace'): Promise<SubscribeOutcome>;
  /**
   * Opens the channel's WebSocket; resolves once it is open. `fresh`: the channel was created a
   * moment ago, so a refusal is not "channel gone" (the net layer uses it to blame a proxy).
   */
  connect(connectUri: string, handlers: UpstreamSocketHandlers, opts?: { fresh?: boolean }): Promise<UpstreamSocket>;
  /** Called after the OAuth token was replaced: channels made with the old one will die with it. */
  onTokenRotated(listener: () => void): () => void;
}

/** What the pool reads from a failed platform call; main/net errors carry these fields. */
export interface UpstreamFailure {
  status?: number;
  retryAfterMs?: number;
  code?: string;
  /** main/net's WebSocketRejected reason, e.g. 'not-found' or 'upgrade-stripped'. */
  reason?: string;
  message?: string;
}

/**
 * Whether a failed socket open means the platform channel itself is gone (expired, evicted, token
 * dead), so a new one must be created. A proxy refusing or stripping the upgrade is not that.
 */
export function channelIsGone(f: UpstreamFailure): boolean {
  if (f.reason && /proxy|upgrade-stripped/.test(f.reason)) return false;
  return f.status !== undefined && f.status !== 429 && f.status >= 400 && f.status < 500;
}

export function describeFailure(e: unknown): UpstreamFailure {
  if (typeof e !== 'object' || e === null) return { message: String(e) };
  const o = e as Record<string, unknown>;
  return {
    status: typeof o.status === 'number' ? o.status : undefined,
    retryAfterMs: typeof o.retryAfterMs === 'number' ? o.retryAfterMs : undefined,
    code: typeof o.code === 'string' ? o.code : undefined,
    reason: typeof o.reason === 'string' ? o.reason : undefined,
    message: typeof o.message === 'string' ? o.message : undefined,
  } as UpstreamFailure;
}
