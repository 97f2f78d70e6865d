// What the simulator saw, for tests and benchmarks to assert on ("the tuner PUT 3 times", "the
// client backed off after the 429"). Keys are route templates, so ids do not fragment counts.

export interface SimCounters {
  /** Requests per "METHOD /route/{template}" (unmatched paths count under "METHOD <unmatched>"). */
  requests: Record<string, number>;
  /** Status codes sent, e.g. { "200": 12, "429": 1 }. */
  statuses: Record<string, number>;
  /** Successful PUTs per campaign id. */
  putsByCampaign: Record<string, number>;
  /** Successful PATCHes per campaign id. */
  patchesByCampaign: Record<string, number>;
  /** Version conflicts (409) and failed preconditions (412) per campaign id. */
  conflictsByCampaign: Record<string, number>;
  tokensIssued: number;
  /** 429 responses sent. */
  rateLimited: number;
  faults: { status5xx: number; dropped: number; stalled: number; delayed: number };
  websocket: { connections: number; eventsSent: number; heartbeats: number; pongs: number };
}

export function emptyCounters(): SimCounters {
  return {
    requests: {},
    statuses: {},
    putsByCampaign: {},
    patchesByCampaign: {},
    conflictsByCampaign: {},
    tokensIssued: 0,
    rateLimited: 0,
    faults: { status5xx: 0, dropped: 0, stalled: 0, delayed: 0 },
    websocket: { connections: 0, eventsSent: 0, heartbeats: 0, pongs: 0 },
  };
}

export function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

export function copyCounters(c: SimCounters): SimCounters {
  return structuredClone(c);
}
