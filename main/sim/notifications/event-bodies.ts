// Event bodies in the shapes of the SDK's notification models (PresenceEventUserPresence,
// UserRoutingStatusUserRoutingStatus, ConversationEventTopicConversation,
// StatEventCampaignTopicStatsNotification), trimmed to the fields a dashboard reads. Pure.
import type { AgentStateChange, CallRecord, Counts, DialerSnapshot } from '../dialer/index.ts';
import type { Rng } from '../random.ts';
import type { SimUser } from '../sandbox-world.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

// Stable ids for the system presence definitions (the sandbox org's own, not the platform's).
const PRESENCE_IDS: Record<string, string> = {
  ON_QUEUE: 'e08eaf1b-ee47-4fa9-a231-1200e284798f',
  BREAK: '5e5b7a34-9d2a-4f5c-8e1b-3f6d9c0a1b2c',
  OFFLINE: 'ccf3c10a-aa2c-4845-8e8d-f59fa48c58e5',
};

function systemPresence(state: AgentStateChange['state'] | undefined): string {
  if (state === 'paused') return 'BREAK';
  if (state === 'off') return 'OFFLINE';
  return 'ON_QUEUE';
}

export function presenceBody(s: AgentStateChange | undefined, toMs: (tSec: number) => number, nowMs: number): unknown {
  const sp = systemPresence(s?.state);
  return {
    source: 'PURECLOUD',
    presenceDefinition: { id: PRESENCE_IDS[sp], systemPresence: sp },
    primary: true,
    message: '',
    modifiedDate: iso(s ? toMs(s.tSec) : nowMs),
  };
}

export function routingStatusBody(s: AgentStateChange | undefined, toMs: (tSec: number) => number, nowMs: number): unknown {
  const status = s?.state === 'talk' || s?.state === 'wrap' ? 'INTERACTING' : s?.state === 'paused' || s?.state === 'off' ? 'OFF_QUEUE' : 'IDLE';
  return { routingStatus: { status, startTime: iso(s ? toMs(s.tSec) : nowMs) } };
}

const DISCONNECT: Record<CallRecord['outcome'], string> = {
  'live-connected': 'peer',
  'live-abandoned': 'client',
  machine: 'client',
  'no-answer': 'noAnswerTransfer',
  fail: 'error',
};

/** A finished outbound conversation on the campaign's queue (a placeholder when no call has ended yet). */
export function conversationBody(
  rng: Rng,
  queueId: string,
  campaignId: string,
  call: CallRecord | undefined,
  users: SimUser[],
  toMs: (tSec: number) => number,
  nowMs: number,
): unknown {
  const start = call ? toMs(call.tDial) : nowMs;
  const end = call ? toMs(call.tEnd) : undefined;
  const customer = {
    id: rng.uuid(),
    purpose: 'customer',
    address: `tel:+1317555${String(rng.int(0, 9999)).padStart(4, '0')}`,
    state: end !== undefined ? 'disconnected' : 'dialing',
    direction: 'outbound',
    startTime: iso(start),
    ...(end !== undefined ? { endTime: iso(end), disconnectType: call ? DISCONNECT[call.outcome] : 'peer' } : {}),
    attributes: { 'dialerCampaignId': campaignId, 'dialerOutcome': call?.outcome ?? 'dialing' },
  };
  const participants: unknown[] = [customer];
  const agent = call?.agentId !== undefined ? users.find((u) => u.agentIndex === call.agentId) : undefined;
  if (agent && call?.tConnect !== undefined) {
    participants.push({
      id: rng.uuid(),
      purpose: 'agent',
      userId: agent.id,
      name: agent.name,
      queue: { id: queueId },
      state: 'disconnected',
      direction: 'outbound',
      connectedTime: iso(toMs(call.tConnect)),
      endTime: iso(toMs(call.tEnd)),
      wrapupRequired: true,
    });
  }
  return { id: rng.uuid(), maxParticipants: participants.length, participants, recordingState: 'none' };
}

/** Stat event for `v2.outbound.campaigns.{id}.stats`: counts over the interval plus current gauges. */
export function statsBody(campaignId: string, fromMs: number, toMs: number, c: Counts, snap: DialerSnapshot): unknown {
  const count = (metric: string, n: number) => ({ metric, stats: { count: n } });
  const current = (metric: string, n: number) => ({ metric, stats: { current: n } });
  return {
    group: { outboundCampaignId: campaignId, mediaType: 'voice' },
    data: [
      {
        interval: `${iso(fromMs)}/${iso(toMs)}`,
        metrics: [
          count('nOutboundAttempted', c.dials),
          count('nOutboundConnected', c.live),
          count('nOutboundAbandoned', c.abandoned),
          current('oIdleAgents', snap.agents.ready),
          current('oOutstandingCalls', snap.ringing + snap.queued + snap.agents.talking),
          current('oAdjustedCallsPerAgent', snap.dialing ? snap.ratio : 0),
        ],
      },
    ],
  };
}
