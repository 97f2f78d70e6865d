import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TOPIC_PATTERNS, isValidTopicName, TopicAllowlist, TopicPatternError } from '../../main/relay/topic-patterns.ts';

const UUID = '5e6a2b1c-0d4e-4f5a-8b6c-7d8e9f0a1b2c';

test('a wildcard matches exactly one segment', () => {
  const list = new TopicAllowlist(['v2.users.*.presence', 'v2.outbound.campaigns.{id}']);
  assert.deepEqual(list.check(`v2.users.${UUID}.presence`), { allowed: true, latestWins: false });
  assert.deepEqual(list.check(`v2.outbound.campaigns.${UUID}`), { allowed: true, latestWins: false });
  // More or fewer segments never match, so a pattern cannot be stretched to a neighbouring family.
  assert.deepEqual(list.check(`v2.users.${UUID}.presence.extra`), { allowed: false, reason: 'not-allowed' });
  assert.deepEqual(list.check(`v2.users.${UUID}.x.presence`), { allowed: false, reason: 'not-allowed' });
  assert.deepEqual(list.check(`v2.outbound.campaigns.${UUID}.stats`), { allowed: false, reason: 'not-allowed' });
  assert.deepEqual(list.check(`v2.users.${UUID}.conversations`), { allowed: false, reason: 'not-allowed' });
});

test('literal segments must match exactly, case included', () => {
  const list = new TopicAllowlist(['v2.users.*.presence']);
  assert.equal(list.check(`V2.users.${UUID}.presence`).allowed, false);
  assert.equal(list.check(`v2.users.${UUID}.Presence`).allowed, false);
});

test('latest-wins is carried from the pattern', () => {
  const list = new TopicAllowlist(DEFAULT_TOPIC_PATTERNS);
  assert.deepEqual(list.check(`v2.users.${UUID}.presence`), { allowed: true, latestWins: true });
  assert.deepEqual(list.check(`v2.outbound.campaigns.${UUID}.stats`), { allowed: true, latestWins: true });
  assert.deepEqual(list.check(`v2.routing.queues.${UUID}.conversations`), { allowed: true, latestWins: false });
});

test('malformed topic names are invalid, not merely disallowed', () => {
  const list = new TopicAllowlist(['*.*.*']);
  for (const bad of ['', 'a..b', '.a.b', 'a.b.', 'a b.c.d', 'a.b.c\n', 'x'.repeat(201), 42, null, { topic: 'a' }]) {
    assert.deepEqual(list.check(bad), { allowed: false, reason: 'invalid' }, JSON.stringify(bad));
  }
  assert.equal(isValidTopicName('a.b-c.d_e'), true);
});

test('bad patterns are refused at construction', () => {
  assert.throws(() => new TopicAllowlist(['v2.users.**']), TopicPatternError);
  assert.throws(() => new TopicAllowlist(['v2..users']), TopicPatternError);
  assert.throws(() => new TopicAllowlist(['v2.us ers.*']), TopicPatternError);
});

test('an empty allowlist allows nothing', () => {
  assert.deepEqual(new TopicAllowlist([]).check(`v2.users.${UUID}.presence`), { allowed: false, reason: 'not-allowed' });
});
