import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compatEncode, encode, isCompatPing, parseClientMessage } from '../../main/relay/protocol.ts';
import { handleEnvelope, type EnvelopeHandlers } from '../../main/relay/upstream-frames.ts';

test('client messages are validated strictly', () => {
  assert.deepEqual(parseClientMessage('{"type":"subscribe","id":1,"topics":["a.b"]}'), { ok: true, message: { type: 'subscribe', id: 1, topics: ['a.b'] } });
  assert.deepEqual(parseClientMessage('{"type":"ping"}'), { ok: true, message: { type: 'ping' } });
  const nope = parseClientMessage('{nope');
  assert.equal(nope.ok === false && nope.code, 'bad_json');
  for (const bad of ['null', '[]', '{"type":"subscribe"}', '{"type":"subscribe","topics":[]}', '{"type":"subscribe","topics":["a"],"extra":1}', '{"type":"rm -rf"}', '{"type":"subscribe","topics":[1]}']) {
    const r = parseClientMessage(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.equal(r.code, 'bad_message', bad);
  }
});

test('relay frames are JSON with the documented fields', () => {
  assert.deepEqual(JSON.parse(encode.event('t', 7, { a: 1 }, 'c1')), { type: 'event', topic: 't', seq: 7, correlationId: 'c1', body: { a: 1 } });
  assert.deepEqual(JSON.parse(encode.gap(['t'], 'upstream-reconnected', 5)), { type: 'gap', topics: ['t'], reason: 'upstream-reconnected', since: 5 });
  assert.deepEqual(JSON.parse(encode.subscribed(3, ['a'], ['b'], [{ topic: 'c', reason: 'not-allowed' }])), {
    type: 'subscribed', id: 3, topics: ['a'], pending: ['b'], rejected: [{ topic: 'c', reason: 'not-allowed' }],
  });
});

test('Genesys-compatible ping and pong', () => {
  assert.equal(isCompatPing('{"message":"ping"}'), true);
  assert.equal(isCompatPing(' { "message" : "ping" } '), true);
  assert.equal(isCompatPing('{"message":"pong"}'), false);
  assert.equal(isCompatPing('ping'), false);
  assert.deepEqual(JSON.parse(compatEncode.pong()), { topicName: 'channel.metadata', eventBody: { message: 'pong' } });
  assert.deepEqual(JSON.parse(compatEncode.heartbeat()), { topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
});

function recorder(home = true) {
  const seen = new Set<string>();
  const out = { events: [] as string[], dups: 0, bad: 0, closing: 0, resub: 0, pongs: 0 };
  const h: EnvelopeHandlers = {
    arrivedAt: 0,
    isHome: () => home,
    firstSight: (k) => (seen.has(k) ? false : (seen.add(k), true)),
    pong: () => out.pongs++,
    event: (topic, _b, cid) => out.events.push(`${topic}/${cid ?? '-'}`),
    duplicate: () => out.dups++,
    bad: () => out.bad++,
    socketClosing: () => out.closing++,
    resubscribe: () => out.resub++,
  };
  return { h, out };
}

test('upstream frames: events are deduplicated on (topic, CorrelationId)', () => {
  const { h, out } = recorder();
  const ev = (topic: string, cid: string) => JSON.stringify({ topicName: topic, eventBody: {}, metadata: { CorrelationId: cid } });
  assert.equal(handleEnvelope(ev('a', '1'), h), 'event');
  assert.equal(handleEnvelope(ev('a', '1'), h), 'duplicate');
  assert.equal(handleEnvelope(ev('b', '1'), h), 'event', 'same id on another topic is another event');
  assert.deepEqual(out.events, ['a/1', 'b/1']);
  assert.equal(out.dups, 1);
});

test('upstream frames: heartbeats, pongs, socket_closing, system topics and garbage', () => {
  const { h, out } = recorder();
  assert.equal(handleEnvelope('{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}', h), 'heartbeat');
  assert.equal(handleEnvelope('{"topicName":"channel.metadata","eventBody":{"message":"pong"}}', h), 'heartbeat');
  assert.equal(out.pongs, 1);
  assert.equal(handleEnvelope('{"topicName":"v2.system.socket_closing","eventBody":{}}', h), 'socket-closing');
  assert.equal(handleEnvelope('{"topicName":"v2.system.no_longer_subscribed.x","eventBody":{}}', h), 'system');
  assert.equal(handleEnvelope('not json', h), 'bad');
  assert.equal(handleEnvelope('{"result":"404"}', h), 'bad');
  assert.deepEqual([out.closing, out.resub, out.bad, out.events.length], [1, 1, 2, 0]);
});

test('upstream frames are delivered only from the topic\'s home channel', () => {
  const away = recorder(false);
  assert.equal(handleEnvelope('{"topicName":"a","eventBody":{}}', away.h), 'foreign');
  assert.equal(handleEnvelope('{"topicName":"a","eventBody":{},"metadata":{"CorrelationId":"1"}}', away.h), 'foreign');
  assert.equal(away.out.events.length, 0);
  const home = recorder(true);
  assert.equal(handleEnvelope('{"topicName":"a","eventBody":{}}', home.h), 'event');
  assert.equal(handleEnvelope('{"topicName":"a","eventBody":{}}', home.h), 'event', 'without an id nothing can be deduplicated');
});

test('a refused channel socket means a new channel, unless a proxy is to blame', async () => {
  const { channelIsGone, describeFailure } = await import('../../main/relay/upstream-types.ts');
  assert.equal(channelIsGone(describeFailure({ status: 404, reason: 'not-found' })), true);
  assert.equal(channelIsGone(describeFailure({ status: 401, reason: 'unauthorized' })), true);
  assert.equal(channelIsGone(describeFailure({ status: 404, reason: 'upgrade-stripped' })), false);
  assert.equal(channelIsGone(describeFailure({ status: 403, reason: 'proxy-forbidden' })), false);
  assert.equal(channelIsGone(describeFailure({ status: 429 })), false);
  assert.equal(channelIsGone(describeFailure({ status: 503 })), false);
  assert.equal(channelIsGone(describeFailure(new Error('socket hang up'))), false);
});
