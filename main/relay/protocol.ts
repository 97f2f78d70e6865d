// The relay's downstream JSON protocol (docs/relay.md). Client messages are validated here with
// zod; relay messages are encoded here once per event, so the fan-out sends one shared frame.
import { z } from 'zod';

export const MAX_TOPICS_PER_MESSAGE = 1000;

const RequestId = z.union([z.string().max(100), z.number().int()]).optional();
const Topics = z.array(z.string().max(300)).min(1).max(MAX_TOPICS_PER_MESSAGE);

export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), id: RequestId, topics: Topics }),
  z.strictObject({ type: z.literal('unsubscribe'), id: RequestId, topics: Topics }),
  z.strictObject({ type: z.literal('ping'), id: RequestId }),
  z.strictObject({ type: z.literal('pong'), id: RequestId }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type RejectReason = 'invalid' | 'not-allowed' | 'session-limit' | 'capacity' | 'upstream-refused' | 'upstream-unavailable';

export interface RejectedTopic {
  topic: string;
  reason: RejectReason;
}

export type ParseOutcome = { ok: true; message: ClientMessage } | { ok: false; code: 'bad_json' | 'bad_message'; message: string };

/** Parses one client text frame; never throws. */
export function parseClientMessage(text: string): ParseOutcome {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad_json', message: 'frame is not valid JSON' };
  }
  const parsed = ClientMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? ` at ${first.path.join('.')}` : '';
    return { ok: false, code: 'bad_message', message: `not a relay message${where}: ${first?.message ?? 'invalid'}` };
  }
  return { ok: true, message: parsed.data };
}

type Id = string | number | undefined;

export const encode = {
  welcome: (session: string, heartbeatMs: number, maxFrameBytes: number, maxTopics: number): string =>
    JSON.stringify({ type: 'welcome', protocol: 1, session, heartbeatMs, limits: { maxFrameBytes, maxTopics } }),
  /** `pending` topics are accepted but not live upstream yet; a `gap` marker says when they are. */
  subscribed: (id: Id, topics: string[], pending: string[], rejected: RejectedTopic[]): string =>
    JSON.stringify({ type: 'subscribed', id, topics, pending, rejected }),
  unsubscribed: (id: Id, topics: string[]): string => JSON.stringify({ type: 'unsubscribed', id, topics }),
  /** `seq` counts events per topic since the relay started; a `gap` marker, not a hole, says events were missed. */
  event: (topic: string, seq: number, body: unknown, correlationId: string | undefined): string =>
    JSON.stringify({ type: 'event', topic, seq, correlationId, body }),
  gap: (topics: string[], reason: string, since: number): string => JSON.stringify({ type: 'gap', topics, reason, since }),
  /** The relay dropped these subscriptions (refused upstream after the ack). */
  revoked: (topics: string[], reason: RejectReason): string => JSON.stringify({ type: 'revoked', topics, reason }),
  pong: (id: Id): string => JSON.stringify({ type: 'pong', id }),
  error: (code: string, message: string, id?: Id): string => JSON.stringify({ type: 'error', code, message, id }),
};

/** Genesys-compatible frames (notes/genesys.md C.2): heartbeat, pong, and the relay's gap notice. */
export const compatEncode = {
  heartbeat: (): string => '{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}',
  pong: (): string => '{"topicName":"channel.metadata","eventBody":{"message":"pong"}}',
  // Tools treat channel.metadata as non-event traffic, so this extra notice is safe for them to ignore.
  gap: (topics: string[], reason: string, since: number): string =>
    JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'gap', topics, reason, since } }),
};

/** A Genesys client ping is the text frame `{"message":"ping"}` (whitespace tolerated). */
export function isCompatPing(text: string): boolean {
  if (text.length > 200) return false;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && (v as { message?: unknown }).message === 'ping';
  } catch {
    return false;
  }
}
