// Notification channels, subscriptions and the streaming WebSocket over real HTTP and real
// sockets: limits (20 channels, 1,000 topics, 24 h), heartbeats, ping/pong, socket_closing, death
// with the token, and the events fed into each topic family.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'undici';
import { ChannelSchema, ChannelTopicEntityListingSchema, ErrorBodySchema, NotificationEventSchema } from '../../main/genesys/models.ts';
import { call, getToken, openSocket, startHarness, waitFor, within, type Harness } from './sim-helpers.ts';

const CH = '/api/v2/notifications/channels';
const HOUR = 3_600_000;
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

async function newChannel(h: Harness, token: string) {
  const r = await call(h, 'POST', CH, { token });
  assert.equal(r.status, 200);
  return ChannelSchema.strict().parse(r.body);
}

describe('simulator notifications: channels and subscriptions', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startHarness({ tokenLifetimeSec: 48 * 3600 });
    token = await getToken(h);
  });
  after(() => h.close());

  test('POST channels returns connectUri, id and a 24-hour expiry', async () => {
    const ch = await newChannel(h, token);
    assert.match(ch.id, /^streaming-0-/);
    assert.equal(ch.connectUri, `${h.sim.url.replace('http', 'ws')}/channels/${ch.id}`);
    assert.equal(Date.parse(ch.expires), h.clock.now() + 24 * HOUR);
    const list = await call(h, 'GET', CH, { token });
    assert.ok(list.body.entities.some((c: { id: string }) => c.id === ch.id));
    assert.equal((await call(h, 'HEAD', `${CH}/${ch.id}`, { token })).status, 200);
    assert.equal((await call(h, 'HEAD', `${CH}/streaming-0-nope`, { token })).status, 404);
    assert.equal((await call(h, 'GET', `${CH}?includechannels=everything`, { token })).status, 400);
  });

  test('subscriptions: GET, PUT replaces, POST adds, DELETE removes all', async () => {
    const ch = await newChannel(h, token);
    const subs = `${CH}/${ch.id}/subscriptions`;
    assert.deepEqual((await call(h, 'GET', subs, { token })).body, { entities: [] });
    const put = await call(h, 'PUT', subs, { token, body: [{ id: `v2.users.${uuid(1)}.presence` }, { id: `v2.outbound.campaigns.${uuid(2)}` }] });
    assert.equal(put.status, 200);
    assert.deepEqual(ChannelTopicEntityListingSchema.parse(put.body).entities.map((t) => t.id), [`v2.users.${uuid(1)}.presence`, `v2.outbound.campaigns.${uuid(2)}`]);
    const post = await call(h, 'POST', subs, { token, body: [{ id: `v2.routing.queues.${uuid(3)}.conversations` }, { id: `v2.users.${uuid(1)}.presence` }] });
    assert.equal(post.body.entities.length, 3, 'adding an existing topic does not duplicate it');
    const replaced = await call(h, 'PUT', subs, { token, body: [{ id: `v2.outbound.campaigns.${uuid(2)}.stats` }] });
    assert.deepEqual(replaced.body.entities, [{ id: `v2.outbound.campaigns.${uuid(2)}.stats` }]);
    const del = await call(h, 'DELETE', subs, { token });
    assert.equal(del.status, 204);
    assert.deepEqual((await call(h, 'GET', subs, { token })).body.entities, []);
  });

  test('bad subscription bodies and invalid topics are 400; ignoreErrors reports them as Rejected', async () => {
    const ch = await newChannel(h, token);
    const subs = `${CH}/${ch.id}/subscriptions`;
    const invalid = await call(h, 'PUT', subs, { token, body: [{ id: 'v2.users.not-a-uuid.presence' }] });
    assert.equal(invalid.status, 400);
    assert.equal(ErrorBodySchema.parse(invalid.body).code, 'invalid.value');
    for (const body of [{ id: 'x' }, 'v2.users', [{ topic: 'x' }], [{ id: 5 }], [{ id: `v2.users.${uuid(1)}.presence`, extra: 1 }]]) {
      const r = await call(h, 'POST', subs, { token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
    }
    const lenient = await call(h, 'PUT', `${subs}?ignoreErrors=true`, { token, body: [{ id: `v2.users.${uuid(4)}.presence` }, { id: 'v2.nonsense' }] });
    assert.equal(lenient.status, 200);
    assert.deepEqual(lenient.body.entities, [{ id: `v2.users.${uuid(4)}.presence` }, { id: 'v2.nonsense', state: 'Rejected', rejectionReason: 'Invalid topic' }]);
    assert.equal((await call(h, 'GET', subs, { token })).body.entities.length, 1, 'rejected topics are not stored');
    assert.equal((await call(h, 'GET', `${CH}/streaming-0-missing/subscriptions`, { token })).status, 404);
  });

  test('1,000 topics fit on a channel; the 1,001st is a 400 and changes nothing', async () => {
    const ch = await newChannel(h, token);
    const subs = `${CH}/${ch.id}/subscriptions`;
    const topics = Array.from({ length: 1001 }, (_, i) => ({ id: `v2.users.${uuid(i)}.presence` }));
    const full = await call(h, 'PUT', subs, { token, body: topics.slice(0, 1000) });
    assert.equal(full.status, 200);
    assert.equal(full.body.entities.length, 1000);
    const over = await call(h, 'POST', subs, { token, body: [topics[1000]] });
    assert.equal(over.status, 400);
    assert.match(ErrorBodySchema.parse(over.body).message, /1000 topics/);
    const overPut = await call(h, 'PUT', subs, { token, body: topics });
    assert.equal(overPut.status, 400);
    assert.equal((await call(h, 'GET', subs, { token })).body.entities.length, 1000);
  });

  test('a 21st channel evicts the least recently used idle channel', async () => {
    h.sim.control.closeChannels();
    const chans = [];
    for (let i = 0; i < 20; i++) {
      chans.push(await newChannel(h, token));
      await h.clock.advance(1000);
    }
    // The oldest channel has a live socket, so the oldest idle one (the second) goes instead.
    const tap = await openSocket(h, chans[0]!.connectUri);
    const twentyFirst = await newChannel(h, token);
    assert.equal(h.sim.control.channels().length, 20);
    assert.equal((await call(h, 'GET', `${CH}/${chans[1]!.id}/subscriptions`, { token })).status, 404);
    assert.equal((await call(h, 'GET', `${CH}/${chans[0]!.id}/subscriptions`, { token })).status, 200);
    assert.equal((await call(h, 'GET', `${CH}/${twentyFirst.id}/subscriptions`, { token })).status, 200);
    // With every channel connected, the least recently used goes, socket and all.
    h.sim.control.closeChannels();
    tap.close();
    const again = [];
    for (let i = 0; i < 20; i++) again.push(await newChannel(h, token));
    const taps = [];
    for (const c of again) {
      taps.push(await openSocket(h, c.connectUri));
      await h.clock.advance(1000);
    }
    await newChannel(h, token);
    const closed = await within(taps[0]!.closed, 5000, 'evicted socket close');
    assert.equal(closed.code, 4004);
    assert.equal(taps[1]!.ws.readyState, WebSocket.OPEN);
    for (const t of taps) t.close();
    h.sim.control.closeChannels();
  });

  test('channels expire after 24 h; subscribing renews the lifetime', async () => {
    const a = await newChannel(h, token);
    const b = await newChannel(h, token);
    await h.clock.advance(23 * HOUR);
    const renew = await call(h, 'PUT', `${CH}/${b.id}/subscriptions`, { token, body: [{ id: `v2.users.${uuid(9)}.presence` }] });
    assert.equal(renew.status, 200);
    await h.clock.advance(2 * HOUR);
    assert.equal((await call(h, 'GET', `${CH}/${a.id}/subscriptions`, { token })).status, 404);
    assert.equal((await call(h, 'GET', `${CH}/${b.id}/subscriptions`, { token })).status, 200);
    const list = (await call(h, 'GET', `${CH}?includechannels=oauthclient`, { token })).body.entities;
    assert.equal(Date.parse(list.find((c: { id: string }) => c.id === b.id).expires), h.clock.now() + 22 * HOUR);
    h.sim.control.closeChannels();
  });
});

describe('simulator notifications: the streaming socket', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startHarness({ tokenLifetimeSec: 4 * 3600, eventRatePerSec: 5 });
    token = await getToken(h);
  });
  after(() => h.close());

  test('heartbeats every 30 s of simulator time; ping gets a pong', async () => {
    const ch = await newChannel(h, token);
    const tap = await openSocket(h, ch.connectUri);
    await h.clock.advance(30_000);
    const hb = NotificationEventSchema.parse(await tap.next((m) => m.topicName === 'channel.metadata'));
    assert.deepEqual(hb.eventBody, { message: 'WebSocket Heartbeat' });
    tap.ws.send(JSON.stringify({ message: 'ping' }));
    const pong = await tap.next((m) => m.eventBody?.message === 'pong');
    assert.deepEqual(pong, { topicName: 'channel.metadata', eventBody: { message: 'pong' } });
    const beats = () => tap.messages.filter((m) => m.eventBody?.message === 'WebSocket Heartbeat').length;
    const sent = h.sim.control.counters().websocket.heartbeats;
    await h.clock.advance(60_000);
    assert.equal(h.sim.control.counters().websocket.heartbeats, sent + 2, 'one per 30 s of simulator time');
    await waitFor(() => beats() === 3, 5000, 'three heartbeats');
    tap.close();
  });

  test('socket_closing comes before a planned close; the channel and its topics survive a reconnect', async () => {
    const ch = await newChannel(h, token);
    const campaignId = h.sim.control.listCampaigns()[0]!.campaign.id as string;
    await call(h, 'PUT', `${CH}/${ch.id}/subscriptions`, { token, body: [{ id: `v2.outbound.campaigns.${campaignId}` }] });
    const tap = await openSocket(h, ch.connectUri);
    assert.equal(h.sim.control.socketClosing({ channelId: ch.id, graceMs: 60_000 }), 1);
    const closing = await tap.next((m) => m.topicName === 'v2.system.socket_closing');
    assert.equal(closing.eventBody.channelId, ch.id);
    await h.clock.advance(59_000);
    assert.equal(tap.ws.readyState, WebSocket.OPEN, 'still open during the grace period');
    await h.clock.advance(1_000);
    const closed = await within(tap.closed, 5000, 'planned close');
    assert.equal(closed.code, 1000);
    const again = await openSocket(h, ch.connectUri);
    await call(h, 'PATCH', `/api/v2/outbound/campaigns/${campaignId}`, { token, body: { abandonRate: 2.5 } });
    const ev = await again.next((m) => m.topicName === `v2.outbound.campaigns.${campaignId}`);
    assert.equal(ev.eventBody.abandonRate, 2.5);
    again.close();
  });

  test('campaign topics: config changes and periodic stats events from the model', async () => {
    const ch = await newChannel(h, token);
    const id = h.sim.control.listCampaigns()[1]!.campaign.id as string;
    await call(h, 'PUT', `${CH}/${ch.id}/subscriptions`, { token, body: [{ id: `v2.outbound.campaigns.${id}` }, { id: `v2.outbound.campaigns.${id}.stats` }] });
    const tap = await openSocket(h, ch.connectUri);
    const bumped = h.sim.control.bumpVersion(id);
    const cfg = NotificationEventSchema.parse(await tap.next((m) => m.topicName === `v2.outbound.campaigns.${id}`));
    assert.equal(cfg.version, '2');
    assert.equal((cfg.eventBody as { version: number }).version, bumped.version);
    assert.ok(cfg.metadata?.CorrelationId);
    await h.clock.advance(5_000);
    const stats = await tap.next((m) => m.topicName === `v2.outbound.campaigns.${id}.stats`);
    assert.equal(stats.eventBody.group.outboundCampaignId, id);
    const names = stats.eventBody.data[0].metrics.map((m: { metric: string }) => m.metric);
    assert.ok(names.includes('nOutboundAttempted') && names.includes('nOutboundAbandoned'));
    tap.close();
  });

  test('presence, routing status and queue conversation events come from the seeded generator', async () => {
    const user = h.sim.control.users()[0]!;
    const queue = h.sim.control.queues().find((q) => q.id === user.queueId)!;
    const ch = await newChannel(h, token);
    const topics = [`v2.users.${user.id}.presence`, `v2.users.${user.id}.routingStatus`, `v2.routing.queues.${queue.id}.conversations`];
    await call(h, 'PUT', `${CH}/${ch.id}/subscriptions`, { token, body: topics.map((id) => ({ id })) });
    const tap = await openSocket(h, ch.connectUri);
    const sentBefore = h.sim.control.counters().websocket.eventsSent;
    await h.clock.advance(20_000); // about 100 events at 5/s, spread over three topics
    const sent = h.sim.control.counters().websocket.eventsSent - sentBefore;
    const presence = await tap.next((m) => m.topicName === topics[0]);
    assert.ok(['ON_QUEUE', 'BREAK', 'OFFLINE'].includes(presence.eventBody.presenceDefinition.systemPresence));
    const routing = await tap.next((m) => m.topicName === topics[1]);
    assert.ok(['IDLE', 'INTERACTING', 'OFF_QUEUE'].includes(routing.eventBody.routingStatus.status));
    const conv = await tap.next((m) => m.topicName === topics[2]);
    assert.ok(conv.eventBody.participants.some((p: { purpose: string }) => p.purpose === 'customer'));
    assert.ok(sent > 40 && sent < 200, `about 100 events expected, got ${sent}`);
    await waitFor(() => tap.messages.filter((m) => topics.includes(m.topicName)).length === sent, 5000, 'every event delivered');
    tap.close();
  });

  test('control.publish delivers an arbitrary event to subscribers only', async () => {
    const ch = await newChannel(h, token);
    const topic = `v2.users.${uuid(77)}.presence`;
    await call(h, 'PUT', `${CH}/${ch.id}/subscriptions`, { token, body: [{ id: topic }] });
    const tap = await openSocket(h, ch.connectUri);
    assert.equal(h.sim.control.publish(topic, { hello: 1 }), 1);
    assert.equal(h.sim.control.publish(`v2.users.${uuid(78)}.presence`, { hello: 2 }), 0);
    assert.deepEqual((await tap.next((m) => m.topicName === topic)).eventBody, { hello: 1 });
    tap.close();
  });

  test('garbage frames are ignored and an oversized frame closes only that socket', async () => {
    const ch = await newChannel(h, token);
    const tap = await openSocket(h, ch.connectUri);
    tap.ws.send('not json');
    tap.ws.send(new Uint8Array([1, 2, 3]));
    tap.ws.send(JSON.stringify({ message: 'subscribe', topics: 'x' }));
    tap.ws.send(JSON.stringify({ message: 'ping' }));
    await tap.next((m) => m.eventBody?.message === 'pong');
    tap.ws.send('x'.repeat(70 * 1024));
    const closed = await within(tap.closed, 5000, 'oversized frame close');
    assert.equal(closed.code, 1009);
    const other = await openSocket(h, ch.connectUri);
    other.ws.send(JSON.stringify({ message: 'ping' }));
    await other.next((m) => m.eventBody?.message === 'pong');
    other.close();
  });

  test('connecting to an unknown channel fails', async () => {
    await assert.rejects(openSocket(h, `${h.sim.url.replace('http', 'ws')}/channels/streaming-0-unknown`), /failed to open/);
    await assert.rejects(openSocket(h, `${h.sim.url.replace('http', 'ws')}/somewhere-else`), /failed to open/);
  });

  test('revoking the token closes its sockets (4001) and removes its channels', async () => {
    const t2 = await getToken(h);
    const ch = await newChannel(h, t2);
    const tap = await openSocket(h, ch.connectUri);
    h.sim.control.revokeTokens(t2);
    assert.equal((await within(tap.closed, 5000, 'close on revoke')).code, 4001);
    await assert.rejects(openSocket(h, ch.connectUri), /failed to open/);
  });

  test('an expired token closes the socket when it expires on the virtual clock', async () => {
    const t3 = await getToken(h); // lives 4 h
    const ch = await newChannel(h, t3);
    const tap = await openSocket(h, ch.connectUri);
    await h.clock.advance(4 * HOUR - 1000);
    assert.equal(tap.ws.readyState, WebSocket.OPEN);
    await h.clock.advance(1000);
    const closed = await within(tap.closed, 5000, 'close on token expiry');
    assert.equal(closed.code, 4001);
    assert.equal((await call(h, 'POST', CH, { token: t3 })).status, 401);
  });
});
