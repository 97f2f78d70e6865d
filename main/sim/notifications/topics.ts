// Which notification topics the sandbox accepts (a subset of notificationMappings.json, notes C.4)
// and the event envelope it sends. Pure.
import type { NotificationEvent } from '../../genesys/models.ts';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** Topic families; `{id}` must be a UUID, as on the platform. */
const FAMILIES: Array<{ kind: TopicKind; re: RegExp }> = [
  { kind: 'campaign', re: new RegExp(`^v2\\.outbound\\.campaigns\\.(${UUID})$`) },
  { kind: 'campaign.stats', re: new RegExp(`^v2\\.outbound\\.campaigns\\.(${UUID})\\.stats$`) },
  { kind: 'campaign.progress', re: new RegExp(`^v2\\.outbound\\.campaigns\\.(${UUID})\\.progress$`) },
  { kind: 'user.presence', re: new RegExp(`^v2\\.users\\.(${UUID})\\.presence$`) },
  { kind: 'user.routingStatus', re: new RegExp(`^v2\\.users\\.(${UUID})\\.routingStatus$`) },
  { kind: 'user.conversations', re: new RegExp(`^v2\\.users\\.(${UUID})\\.conversations$`) },
  { kind: 'queue.conversations', re: new RegExp(`^v2\\.routing\\.queues\\.(${UUID})\\.conversations$`) },
  { kind: 'queue.observations', re: new RegExp(`^v2\\.analytics\\.queues\\.(${UUID})\\.observations$`) },
];

export type TopicKind =
  | 'campaign'
  | 'campaign.stats'
  | 'campaign.progress'
  | 'user.presence'
  | 'user.routingStatus'
  | 'user.conversations'
  | 'queue.conversations'
  | 'queue.observations';

export interface ParsedTopic {
  kind: TopicKind;
  /** The entity id in the topic, as written. */
  entityId: string;
}

export function parseTopic(topic: string): ParsedTopic | undefined {
  if (topic.length > 200) return undefined;
  for (const f of FAMILIES) {
    const m = f.re.exec(topic);
    if (m) return { kind: f.kind, entityId: m[1] as string };
  }
  return undefined;
}

export const campaignTopic = (id: string): string => `v2.outbound.campaigns.${id}`;

export const HEARTBEAT_TOPIC = 'channel.metadata';
export const SOCKET_CLOSING_TOPIC = 'v2.system.socket_closing';

export function envelope(topicName: string, eventBody: unknown, correlationId: string): NotificationEvent {
  return { topicName, version: '2', eventBody, metadata: { CorrelationId: correlationId } };
}

export function heartbeat(): NotificationEvent {
  return { topicName: HEARTBEAT_TOPIC, eventBody: { message: 'WebSocket Heartbeat' } };
}

export function pong(): NotificationEvent {
  return { topicName: HEARTBEAT_TOPIC, eventBody: { message: 'pong' } };
}
