// Classifies one frame from an upstream channel socket (notes/genesys.md C.2–C.3): heartbeats and
// pongs prove liveness; `v2.system.socket_closing` asks for a reconnect; other system topics ask
// for a resubscribe; everything else is an event. An event is delivered only from its topic's home
// channel and only once per (topic, CorrelationId), so the make-before-break overlap neither
// duplicates nor reorders. Pure apart from the callbacks.

export const HEARTBEAT_TOPIC = 'channel.metadata';
export const SOCKET_CLOSING_TOPIC = 'v2.system.socket_closing';

export interface EnvelopeHandlers {
  arrivedAt: number;
  /** True when the frame's socket is the topic's current home channel. */
  isHome(topic: string): boolean;
  /** Records a delivered dedup key; false when it was delivered recently. */
  firstSight(key: string): boolean;
  /** A `{"message":"pong"}` answer to our ping arrived. */
  pong(): void;
  event(topic: string, body: unknown, correlationId: string | undefined, raw: string, arrivedAt: number): void;
  duplicate(): void;
  bad(): void;
  socketClosing(): void;
  resubscribe(): void;
}

export type EnvelopeKind = 'event' | 'heartbeat' | 'socket-closing' | 'system' | 'duplicate' | 'foreign' | 'bad';

export function handleEnvelope(text: string, h: EnvelopeHandlers): EnvelopeKind {
  let msg: { topicName?: unknown; eventBody?: unknown; metadata?: { CorrelationId?: unknown } };
  try {
    msg = JSON.parse(text) as typeof msg;
  } catch {
    h.bad();
    return 'bad';
  }
  const topic = typeof msg === 'object' && msg !== null ? msg.topicName : undefined;
  if (typeof topic !== 'string') {
    // e.g. `{"result":"404",…}` replies; nothing to route.
    h.bad();
    return 'bad';
  }
  if (topic === HEARTBEAT_TOPIC) {
    const body = msg.eventBody as { message?: unknown } | null | undefined;
    if (body && typeof body === 'object' && body.message === 'pong') h.pong();
    return 'heartbeat';
  }
  if (topic === SOCKET_CLOSING_TOPIC) {
    h.socketClosing();
    return 'socket-closing';
  }
  if (topic.startsWith('v2.system.')) {
    // no_longer_subscribed / subscription_changed: the platform's view changed; re-assert ours.
    h.resubscribe();
    return 'system';
  }
  // The other channel of an overlap: its copies are ignored; the home channel has (or had) them.
  if (!h.isHome(topic)) return 'foreign';
  const rawCid = msg.metadata?.CorrelationId;
  const cid = typeof rawCid === 'string' && rawCid.length > 0 ? rawCid : undefined;
  // After a switch the new home repeats what the old one already delivered: drop those.
  if (cid !== undefined && !h.firstSight(`${topic}\u0000${cid}`)) {
    h.duplicate();
    return 'duplicate';
  }
  h.event(topic, msg.eventBody, cid, text, h.arrivedAt);
  return 'event';
}
