// Classifies one frame from an upstream channel socket (notes/genesys.md C.2–C.3): heartbeats and
// pongs only prove liveness; `v2.system.socket_closing` asks for a reconnect; other system topics
// ask for a resubscribe; everything else is an event, deduplicated on (topic, CorrelationId) so the
// make-before-break overlap never delivers one twice. Pure apart from the callbacks.

export const HEARTBEAT_TOPIC = 'channel.metadata';
export const SOCKET_CLOSING_TOPIC = 'v2.system.socket_closing';

export interface EnvelopeHandlers {
  arrivedAt: number;
  /** True when the frame's socket is the topic's current home channel. */
  isHome(topic: string): boolean;
  /** Records a dedup key; false when it was seen recently. */
  firstSight(key: string): boolean;
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
  if (topic === HEARTBEAT_TOPIC) return 'heartbeat';
  if (topic === SOCKET_CLOSING_TOPIC) {
    h.socketClosing();
    return 'socket-closing';
  }
  if (topic.startsWith('v2.system.')) {
    // no_longer_subscribed / subscription_changed: the platform's view changed; re-assert ours.
    h.resubscribe();
    return 'system';
  }
  const rawCid = msg.metadata?.CorrelationId;
  const cid = typeof rawCid === 'string' && rawCid.length > 0 ? rawCid : undefined;
  if (cid !== undefined) {
    if (!h.firstSight(`${topic}\u0000${cid}`)) {
      h.duplicate();
      return 'duplicate';
    }
  } else if (!h.isHome(topic)) {
    // Without an id a copy cannot be recognised: only the home channel's copy is delivered.
    return 'foreign';
  }
  h.event(topic, msg.eventBody, cid, text, h.arrivedAt);
  return 'event';
}
