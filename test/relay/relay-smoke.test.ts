import { test } from 'node:test';
import assert from 'node:assert/strict';
import { presence, startStack, TestClient } from './stack.ts';

test('a client subscribes through the relay and receives platform events', async (t) => {
  const s = await startStack(t);
  const c = await TestClient.open(s.port, s.token);
  t.after(() => c.close());
  const welcome = await c.next((m) => m.type === 'welcome');
  assert.equal(welcome.protocol, 1);
  const ack = await c.subscribe([presence(1)]);
  assert.deepEqual(ack.topics, [presence(1)]);
  assert.equal(s.sim.control.publish(presence(1), { n: 1 }), 1, 'one upstream channel holds the topic');
  const ev = await c.next((m) => m.type === 'event');
  assert.deepEqual([ev.topic, ev.seq, ev.body], [presence(1), 1, { n: 1 }]);
});
