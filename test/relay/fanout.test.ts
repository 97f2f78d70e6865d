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
  // 6,000 sends of 5 µs (~30 ms) were cut into slices: timers got to run in between.
  assert.ok(ticks > 0, 'timers ran while the fan-out was in progress');
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
  // The 1,000-wide event finished first; the older 5,000-wide one still got every eighth chunk.
  const wideDone = order.lastIndexOf('wide');
  assert.ok(wideDone < 1500, `wide finished at ${wideDone}`);
  assert.ok(order.slice(0, wideDone).includes('huge'), 'the older event was not starved');
  assert.equal(order.length, 6000);
});

test('under a stream of narrower wide events the oldest, widest one is not starved', async () => {
  const s = new FanoutScheduler({ inlineMax: 10, sliceMs: 1000, chunk: 50 });
  let narrowDone = 0;
  let narrowDoneWhenHugeDone = -1;
  const huge = new Topic('huge', Array.from({ length: 2000 }, (_, i) => ({
    deliverEvent: () => {
      if (i === 1999) narrowDoneWhenHugeDone = narrowDone;
    },
  })));
  s.publish(huge, frames('h'), 0);
  for (let k = 0; k < 200; k++) {
    s.publish(new Topic(`w${k}`, Array.from({ length: 100 }, (_, i) => ({ deliverEvent: () => (i === 99 ? narrowDone++ : undefined) }))), frames('w'), 0);
  }
  await settle(s);
  assert.equal(narrowDone, 200);
  // Pure shortest-first would finish all 200 narrower events first; every eighth chunk is the huge one's.
  assert.ok(narrowDoneWhenHugeDone >= 0 && narrowDoneWhenHugeDone < 190, `narrower events done first: ${narrowDoneWhenHugeDone}`);
});

test('completion times are recorded per event for narrow and ~1,000-wide fan-outs', async () => {
  const s = new FanoutScheduler({ inlineMax: 256, sliceMs: 4, chunk: 128 });
  s.publish(new Topic('n', Array.from({ length: 50 }, () => new Recorder())), frames('1'), performance.now());
  s.publish(new Topic('w', Array.from({ length: 1000 }, () => new Recorder())), frames('2'), performance.now());
  s.publish(new Topic('m', Array.from({ length: 300 }, () => new Recorder())), frames('3'), performance.now());
  await settle(s);
  assert.equal(s.completion.narrow.count, 1);
  assert.equal(s.completion.wide.count, 1, 'the 1,000-wide event; the 300-wide one is in neither class');
  assert.ok(s.completion.wide.summary().max >= 0);
});

test('flushAll delivers everything synchronously (used by the drain)', () => {
  const s = new FanoutScheduler({ inlineMax: 1, sliceMs: 1, chunk: 1 });
  const subs = Array.from({ length: 10 }, () => new Recorder());
  s.publish(new Topic('a', subs), frames('x'), 0);
  s.flushAll();
  assert.ok(subs.every((r) => r.got.length === 1));
});
