// Topic packing (notes/wsrelay.md §5, §7.3): which upstream channel takes each new topic. Channels
// fill to a target (80% of the per-channel cap by default) so later adds rarely need a new channel
// synchronously; new channels open only while under the channel cap; once every allowed channel
// is at its target, the headroom up to the hard cap is used; beyond that topics are refused.
// The hard caps are never exceeded. Pure.

export interface ChannelLoad {
  id: string;
  /** Topics on the channel, counting adds already planned but not yet confirmed. */
  topics: number;
}

export interface PackingLimits {
  /** Hard cap of topics per channel (platform: 1,000). */
  perChannel: number;
  /** Soft fill per channel before opening another one (default 80% of perChannel). */
  fillTarget: number;
  /** Channels the pool may hold in steady state (the rotation reserve already subtracted). */
  maxChannels: number;
}

export interface PackingPlan {
  /** Topics to add to existing channels. */
  existing: Map<string, string[]>;
  /** Topic lists for channels to open, in order. */
  fresh: string[][];
  /** Topics that fit nowhere. */
  refused: string[];
}

export function fillTargetFor(perChannel: number, ratio = 0.8): number {
  return Math.max(1, Math.min(perChannel, Math.floor(perChannel * ratio)));
}

export function planPacking(channels: readonly ChannelLoad[], topics: readonly string[], limits: PackingLimits): PackingPlan {
  const { perChannel, fillTarget, maxChannels } = limits;
  if (!(perChannel >= 1) || !(fillTarget >= 1) || fillTarget > perChannel || !(maxChannels >= 0)) {
    throw new RangeError(`bad packing limits ${JSON.stringify(limits)}`);
  }
  // Working slots: existing channels then the ones we open, each with its running load.
  const slots: Array<{ id?: string; load: number; added: string[] }> = channels.map((c) => ({ id: c.id, load: c.topics, added: [] }));
  let next = 0;

  const fill = (cap: number): void => {
    for (const slot of slots) {
      while (next < topics.length && slot.load < cap) {
        slot.added.push(topics[next++] as string);
        slot.load++;
      }
      if (next >= topics.length) return;
    }
  };

  fill(fillTarget);
  while (next < topics.length && slots.length < maxChannels) {
    slots.push({ load: 0, added: [] });
    fill(fillTarget);
  }
  if (next < topics.length) fill(perChannel);

  const plan: PackingPlan = { existing: new Map(), fresh: [], refused: topics.slice(next) };
  for (const slot of slots) {
    if (slot.added.length === 0) continue;
    if (slot.id !== undefined) plan.existing.set(slot.id, slot.added);
    else plan.fresh.push(slot.added);
  }
  return plan;
}

export interface ChannelCounts {
  /** Channels held: open, opening, successors, retiring, and closed ones whose socket is still closing. */
  held: number;
  /** Channels that may take new topics. */
  accepting: number;
  /** Channels being replaced by a successor (each briefly needs a second slot). */
  rotating: number;
  maxChannels: number;
}

/**
 * How many channels may take topics now (the `maxChannels` for planPacking): one slot of the cap
 * is held back for make-before-break rotation, and channels that cannot take topics still count.
 */
export function packingSlots(c: ChannelCounts): number {
  const steady = c.maxChannels > 1 ? c.maxChannels - 1 : c.maxChannels;
  const others = c.held - c.accepting;
  return Math.max(0, Math.min(steady - c.rotating, c.maxChannels - others));
}

/** Splits a list into batches of at most `size` (REST calls stay small under reconnect storms). */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
