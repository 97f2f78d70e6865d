// The heartbeat's schedule on virtual time: pings spread over the interval, every client pinged
// once per round, an unanswered ping dropped exactly pongTimeoutMs later, idle sessions closed.
// The sockets behind it are exercised for real in relay-drain.test.ts; here only the clock is fake.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { CompatRegistry } from '../../main/relay/compat-channels.ts';
import type { Connection } from '../../main/relay/connection.ts';
import { DeliveryStats } from '../../main/relay/delivery-stats.ts';
import { Heartbeat, ROUND_TICKS } from '../../main/relay/heartbeat.ts';
import { ManualClock } from '../../main/util/clock.ts';

interface Peer {
  serial: number;
  open: boolean;
  awaitingPong: boolean;
  emptySince: number | undefined;
  deaf: boolean;
  pings: number[];
  ended?: 'terminated' | number;
  sendPing(): void;
  close(spec: { code: number }): void;
  terminate(): void;
}

function peer(clock: ManualClock, serial: number, opts: { deaf?: boolean; idleSince?: number } = {}): Peer {
  const p: Peer = {
    serial, open: true, awaitingPong: false, emptySince: opts.idleSince, deaf: opts.deaf ?? false, pings: [],
    sendPing() {
      p.pings.push(clock.now());
      p.awaitingPong = true;
      // A live client answers at once; a deaf one never does.
      if (!p.deaf) queueMicrotask(() => (p.awaitingPong = false));
    },
    close(spec) {
      p.open = false;
      p.ended = spec.code;
    },
    terminate() {
      p.open = false;
      p.ended = 'terminated';
    },
  };
  return p;
}

function setup(peers: Set<Peer>) {
  const clock = new ManualClock();
  const stats = new DeliveryStats();
  let compatSweeps = 0;
  const hb = new Heartbeat({
    clock, stats,
    connections: () => peers as unknown as Iterable<Connection>,
    compat: { sweep: () => compatSweeps++ } as unknown as CompatRegistry,
    pingIntervalMs: 25_000, pongTimeoutMs: 10_000, idleTimeoutMs: 900_000, compatHeartbeatMs: 0,
  });
  return { clock, stats, hb, compatSweeps: () => compatSweeps };
}

test('pings are spread over the interval: each tick pings about 1/ROUND_TICKS of the clients, each client once per round', async () => {
  const peers = new Set<Peer>();
  const { clock, hb, compatSweeps } = setup(peers);
  for (let i = 0; i < 10_000; i++) peers.add(peer(clock, i));
  hb.start();
  const perTick: number[] = [];
  let total = 0;
  for (let t = 0; t < ROUND_TICKS * 2; t++) {
    await clock.advance(25_000 / ROUND_TICKS);
    let sum = 0;
    for (const p of peers) sum += p.pings.length;
    perTick.push(sum - total);
    total = sum;
  }
  assert.equal(Math.max(...perTick), 10_000 / ROUND_TICKS, 'no burst');
  assert.equal(Math.min(...perTick), 10_000 / ROUND_TICKS);
  for (const p of peers) {
    assert.equal(p.pings.length, 2, `client ${p.serial} pinged once per round`);
    assert.equal(p.pings[1]! - p.pings[0]!, 25_000, 'a steady period per client');
  }
  assert.equal(compatSweeps(), 2, 'compat channels expire once per round');
  hb.stop();
});

test('an unanswered ping drops its client pongTimeoutMs later, not before; live clients stay', async () => {
  const peers = new Set<Peer>();
  const { clock, stats, hb } = setup(peers);
  const deaf = peer(clock, 0, { deaf: true });
  const live = peer(clock, 1);
  peers.add(deaf).add(live);
  hb.start();
  // The deaf client is pinged at the tick of its slot.
  while (deaf.pings.length === 0) await clock.advance(25_000 / ROUND_TICKS);
  const pingedAt = deaf.pings[0]!;
  await clock.advanceTo(pingedAt + 10_000 - 1);
  assert.equal(deaf.ended, undefined, 'still within the pong timeout');
  await clock.advanceTo(pingedAt + 10_000 + 25_000 / ROUND_TICKS);
  assert.equal(deaf.ended, 'terminated');
  assert.equal(stats.closes.noPong, 1);
  await clock.advance(60_000);
  assert.equal(live.ended, undefined);
  assert.ok(live.pings.length >= 3, 'the live client keeps being pinged');
  hb.stop();
});

test('sessions without subscriptions for idleTimeoutMs are closed with 4010; a client that joins mid-round is pinged within a round; closed ones are let go', async () => {
  const peers = new Set<Peer>();
  const { clock, stats, hb } = setup(peers);
  const idle = peer(clock, 0, { idleSince: clock.now() - 900_000 });
  const busy = peer(clock, 1);
  peers.add(idle).add(busy);
  hb.start();
  await clock.advance(25_000);
  assert.equal(idle.ended, 4010);
  assert.equal(idle.pings.length, 0, 'closed, not pinged');
  assert.equal(stats.closes.idle, 1);
  const late = peer(clock, 2);
  peers.add(late);
  await clock.advance(25_000);
  assert.equal(late.pings.length, 1, 'pinged within a round of joining');
  // A client that left is not pinged again.
  peers.delete(late);
  late.open = false;
  await clock.advance(50_000);
  assert.equal(late.pings.length, 1);
  hb.stop();
  const before = busy.pings.length;
  await clock.advance(100_000);
  assert.equal(busy.pings.length, before, 'stop() stops the ticks');
});
