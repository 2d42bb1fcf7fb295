import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budget_history, crossing_marks, describe_crossing } from '../../src/model/crossings.js';
import { digest } from '../../src/model/digest.js';
import { budget, make_snapshot } from './fixture.js';

function run(frames_and_budgets) {
  return frames_and_budgets.map(([frame, budgets, threads]) =>
    digest(make_snapshot({ frame, budgets, ...(threads ? { threads } : {}) })));
}

test('a soft counter that grows between two snapshots marks the frames in between', () => {
  const h = budget_history(run([
    [30, [budget('tag', 'physics', { soft_exceeded: 0 })]],
    [60, [budget('tag', 'physics', { soft_exceeded: 2 })]],
    [90, [budget('tag', 'physics', { soft_exceeded: 2 })]],
    [91, [budget('tag', 'physics', { soft_exceeded: 3, hard_exceeded: 1 })]],
  ]));
  const b = [...h.values()][0];
  assert.deepEqual(b.crossings, [
    { level: 'soft', frame: 60, since: 31, frames: 2 },
    { level: 'soft', frame: 91, since: 91, frames: 1 },
    { level: 'hard', frame: 91, since: 91, frames: 1 },
  ]);
  assert.equal(describe_crossing(b.crossings[0]), 'frames 31..60 (2 frames)');
  assert.equal(describe_crossing(b.crossings[1]), 'frame 91');
});

test('crossings before the first snapshot are dated "by" its frame', () => {
  const [b] = budget_history(run([[30, [budget('global', '', { soft_exceeded: 4 })]]])).values();
  assert.deepEqual(b.crossings, [{ level: 'soft', frame: 30, since: null, frames: 4 }]);
  assert.equal(describe_crossing(b.crossings[0]), 'by frame 30 (4 frames)');
});

test('usage over a limit inside a frame marks that frame when no counter moved', () => {
  const [b] = budget_history(run([[5, [budget('tag', 'ai', { used: 5000, soft_limit: 4096 })]]])).values();
  assert.deepEqual(b.crossings, [{ level: 'soft', frame: 5, since: 5, frames: 1 }]);
});

test('a counter that went down is a new process: all of it counts', () => {
  const [b] = budget_history(run([
    [100, [budget('tag', 'ai', { soft_exceeded: 9 })]],
    [3, [budget('tag', 'ai', { soft_exceeded: 1 })]],
  ])).values();
  assert.deepEqual(b.crossings.at(-1), { level: 'soft', frame: 3, since: 101, frames: 1 });
});

test('a thread budget from threads[] crosses when used passes its limit', () => {
  const thread = (used) => [{ id: 'thread-1', name: '', frame_bytes: used, pool_bytes: 0, heap_bytes: 0, peak_bytes: used,
                              budget: { limit: 1000, used, percent: Math.floor(used * 100 / 1000) } }];
  const h = budget_history(run([[1, [], thread(900)], [2, [], thread(1200)], [3, [], thread(100)]]));
  const b = h.get('thread\u0000thread-1\u0000frame');
  assert.equal(b.limit, 1000);
  assert.deepEqual(b.crossings, [{ level: 'limit', frame: 2, since: 2, frames: 1 }]);
});

test('timeline marks gather every budget crossed at a frame', () => {
  const marks = crossing_marks(budget_history(run([
    [10, [budget('tag', 'a'), budget('tag', 'b')]],
    [20, [budget('tag', 'a', { soft_exceeded: 1 }), budget('tag', 'b', { hard_exceeded: 1 })]],
  ])));
  assert.equal(marks.length, 1);
  assert.equal(marks[0].frame, 20);
  assert.equal(marks[0].level, 'hard');
  assert.deepEqual(marks[0].labels, ['a soft', 'b hard']);
  assert.deepEqual(marks[0].details, ['a: soft limit, frames 11..20 (1 frame)', 'b: hard limit, frames 11..20 (1 frame)']);
});
