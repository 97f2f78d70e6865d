// CampaignStats (notes A.4) computed from a dialer snapshot. Pure. Window choices, documented in
// docs/simulator.md: `contactRate` is cumulative since the simulator started; the agent and call
// figures are instantaneous, as on the platform.
import type { Campaign, CampaignStats } from '../genesys/models.ts';
import type { DialerSnapshot } from './dialer/index.ts';

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function campaignStats(campaign: Campaign, snap: DialerSnapshot): CampaignStats {
  const cum = snap.cumulative;
  const attempts = cum.dials;
  const connects = cum.live; // "calls with live voice detected"
  const connectRatio = attempts > 0 ? connects / attempts : 0;
  const { ready, talking } = snap.agents;
  // Idle agents the calls already in the air will claim: queued answers now, ringing ones at the
  // observed live-answer rate.
  const effectiveIdle = Math.max(0, ready - snap.queued - snap.ringing * connectRatio);
  const lines = campaign.outboundLineCount ?? 0;
  const inUse = snap.ringing + snap.queued + talking;
  return {
    contactRate: { attempts, connects, connectRatio: Math.round(connectRatio * 10_000) / 10_000 },
    idleAgents: ready,
    effectiveIdleAgents: round2(effectiveIdle),
    // The model's pacer applies the pacing value as-is: this is the value in force while it dials.
    adjustedCallsPerAgent: snap.dialing ? round2(snap.ratio) : 0,
    outstandingCalls: inUse,
    scheduledCalls: 0,
    timeZoneRescheduledCalls: 0,
    filteredOutContactsCount: 0,
    rightPartyContactsCount: cum.connected,
    validAttempts: attempts - cum.fails,
    linesUtilization: { assignedOutboundLines: Math.min(inUse, lines), totalAvailableOutboundLines: lines },
    businessCategoryMetrics: {
      successCount: cum.connected,
      neutralCount: cum.machines + cum.noAnswer,
      failureCount: cum.abandoned + cum.fails,
    },
  };
}
