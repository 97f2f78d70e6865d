import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FanoutScheduler, type EventFrames, type FanoutTarget, type FanoutTopic, type Job } from '../../main/relay/fanout.ts';

class Topic implements FanoutTopic {
  readonly topic: string;
  readonly latestWins = false;
  readonly list: FanoutTarget[];
  active: Job | undefined;
  backlog: Job[] | undefined;
  constructor(topic: string, list: FanoutTarget[]) {
    this.topic = topic;
    this.list = list;
  }
  subscribers(): readonly FanoutTarget[] {
    return this.list;
  }
}

class Recorder implements FanoutTarget {
  readonly got: string[] = [];
  readonly spinUs: number;
  constructor(spinUs = 0) {
    this.spinUs = spinUs;
  }
  deliverEvent(topic: string, frames: EventFrames): void {
    this.got.push(`${topic}:${frames.compatFrame().toString()}`);
    if (this.spinUs > 0) {
      const end = performance.now() + this.spinUs / 1000;
      while (performance.now() < end) {
        // simulate a socket write
      }
    }
  }
}

const frames = (tag: string): EventFrames => ({ relayFrame: () => Buffer.from(tag), compatFrame: () => Buffer.from(tag) });

function settle(s: FanoutScheduler): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (s.pendingJobs === 0 ? resolve() : setImmediate(poll));
    poll();
  });
}

test('narrow topics are delivered inline', () => {
  const s = new FanoutScheduler({ inlineMax: 10, sliceMs: 4, chunk: 4 });
  const subs = [new Recorder(), new Recorder()];
  s.publish(new Topic('a', subs), frames('1'), 0);
  assert.deepEqual(subs.map((r) => r.got), [['a:1'], ['a:1']]);
  assert.equal(s.pendingJobs, 0);
});

test('a wide fan-out yields to the event loop and keeps each topic in order', async () => {
  const s = new FanoutScheduler({ inlineMax: 50, sliceMs: 2, chunk: 32 });
  const wide = Array.from({ length: 2000 }, () => new Recorder(5));
  const topic = new Topic('w', wide);
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 0);
  for (let i = 0; i < 3; i++) s.publish(topic, frames(String(i)), 0);
  assert.ok(wide[0]!.got.length < 3, 'not delivered synchronously');
  await settle(s);
  clearInterval(ticker);
  for (const r of wide) assert.deepEqual(r.got, ['w:0', 'w:1', 'w:2']);
  assert.ok(ticks > 0, 'timers ran while the fan-out was in progress');
  // 6,000 sends of 5 µs took ~30 ms in total, cut into slices of about 2 ms.
  assert.ok(s.takeLongestSliceMs() < 25, 'no single slice held the loop for long');
});

test('a narrow event of another topic is not stuck behind a wide one', async () => {
  const s = new FanoutScheduler({ inlineMax: 50, sliceMs: 1, chunk: 16 });
  const wide = new Topic('w', Array.from({ length: 3000 }, () => new Recorder(2)));
  const narrow = new Recorder();
  s.publish(wide, frames('big'), 0);
  s.publish(new Topic('n', [narrow]), frames('small'), 0);
  assert.deepEqual(narrow.got, ['n:small']);
  await settle(s);
});

test('a narrow event of the same topic waits for the wide one before it', async () => {
  const s = new FanoutScheduler({ inlineMax: 50, sliceMs: 1, chunk: 16 });
  const shared = new Recorder();
  const list: FanoutTarget[] = [...Array.from({ length: 200 }, () => new Recorder(2)), shared];
  const topic = new Topic('t', list);
  s.publish(topic, frames('1'), 0);
  // The topic shrinks below inlineMax, but its earlier event is still being delivered.
  topic.list.splice(0, 190);
  s.publish(topic, frames('2'), 0);
  await settle(s);
  assert.deepEqual(shared.got, ['t:1', 't:2']);
});

test('among wide events the one with the fewest sends left is served first', async () => {
  const s = new FanoutScheduler({ inlineMax: 10, sliceMs: 50, chunk: 100 });
  const order: string[] = [];
  const mark = (tag: string): FanoutTarget => ({ deliverEvent: () => order.push(tag) });
  const huge = new Topic('huge', Array.from({ length: 5000 }, () => mark('huge')));
  const wide = new Topic('wide', Array.from({ length: 1000 }, () => mark('wide')));
  s.publish(huge, frames('h'), 0);
  s.publish(wide, frames('w'), 0);
  await settle(s);
  // The 1,000-wide event finished before the 5,000-wide one got far.
  assert.equal(order.lastIndexOf('wide'), 999);
  assert.equal(order.length, 6000);
});

test('flushAll delivers everything synchronously (used by the drain)', () => {
  const s = new FanoutScheduler({ inlineMax: 1, sliceMs: 1, chunk: 1 });
  const subs = Array.from({ length: 10 }, () => new Recorder());
  s.publish(new Topic('a', subs), frames('x'), 0);
  s.flushAll();
  assert.ok(subs.every((r) => r.got.length === 1));
});
