// Close codes the relay sends downstream, and why (RFC 6455 §7.4.1 plus the IANA registry;
// notes/wsrelay.md §2.1). One table, so the docs, the tests and the code agree.

export interface CloseSpec {
  readonly code: number;
  readonly reason: string;
}

export const CLOSE = {
  /** App quit: the relay is going away for good. */
  shutdown: { code: 1001, reason: 'relay shutting down' },
  /** Relay restart or update: reconnect shortly. */
  restart: { code: 1012, reason: 'relay restarting' },
  /** Frame bigger than maxFrameBytes (ws itself sends this code when maxPayload is exceeded). */
  tooBig: { code: 1009, reason: 'frame too big' },
  /** Message-rate limit exceeded. */
  rateLimited: { code: 1008, reason: 'message rate limit exceeded' },
  /** Repeated malformed frames. */
  malformed: { code: 1008, reason: 'too many malformed frames' },
  /** Binary frames are not part of the protocol. */
  binary: { code: 1003, reason: 'binary frames are not supported' },
  /** Queue over its byte or message bound: the client cannot keep up. Reconnect allowed. */
  slowConsumer: { code: 4008, reason: 'slow consumer' },
  /** No pong to our ping within pongTimeoutMs. Sent as a terminate, listed for the docs. */
  noPong: { code: 4009, reason: 'no pong' },
  /** No subscriptions for idleTimeoutMs. */
  idle: { code: 4010, reason: 'idle: no subscriptions' },
  /** Genesys-compatible channel replaced by a newer socket, or removed. */
  replaced: { code: 1000, reason: 'another connection to this channel replaced this one' },
  channelGone: { code: 4004, reason: 'channel expired or removed' },
  /** Unexpected failure inside the relay. */
  internal: { code: 1011, reason: 'internal error' },
} as const satisfies Record<string, CloseSpec>;

/** Why the relay stops; each is also the CLOSE entry its drain sends. */
export type StopReason = 'restart' | 'shutdown';

/** Drain close for a stop reason; an optional detail is appended to the reason text. */
export function drainClose(reason: StopReason, detail?: string): CloseSpec {
  const base = CLOSE[reason];
  return { code: base.code, reason: detail ? truncateReason(`${base.reason}: ${detail}`) : base.reason };
}

/** A close reason must fit in a control frame: 125 bytes minus the 2-byte code. */
export function truncateReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let out = reason;
  while (Buffer.byteLength(out) > 120) out = out.slice(0, -1);
  return `${out}...`;
}

/** HTTP statuses for refused upgrades and REST calls. */
export const HTTP_REFUSAL = {
  badHost: 403,
  badOrigin: 403,
  unauthorized: 401,
  notFound: 404,
  draining: 503,
  tooManySessions: 503,
  badRequest: 400,
} as const;
