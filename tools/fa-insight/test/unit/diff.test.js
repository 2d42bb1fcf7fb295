import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diff_snapshots } from '../../src/model/diff.js';
import { budget, make_snapshot, tag } from './fixture.js';

const a = make_snapshot({
  frame: 30,
  tags: [tag('physics', 'frame', 10, 600), tag('render', 'frame', 1, 100), tag('gone', 'heap', 1, 50)],
  budgets: [budget('tag', 'physics', { soft_exceeded: 1 })],
  diagnostics: [{ code: 'FA530', tag: 'render', message: 'm', severity: 'warning', count: 2 },
                { code: 'FA510', tag: 'ai', message: 'm', severity: 'info', count: 1 }],
});
const b = make_snapshot({
  frame: 60,
  summary: { ...a.summary, frame_bytes: 1500, total_bytes: a.summary.total_bytes + 500 },
  tags: [tag('physics', 'frame', 12, 900), tag('render', 'frame', 1, 100), tag('new::one', 'pool', 3, 96)],
  budgets: [budget('tag', 'physics', { soft_exceeded: 4 })],
  diagnostics: [{ code: 'FA530', tag: 'render', message: 'm', severity: 'warning', count: 5 },
                { code: 'FA560', tag: 'physics', message: 'm', severity: 'warning', count: 1 }],
});

test('summary deltas are b - a', () => {
  const d = diff_snapshots(a, b);
  assert.deepEqual(d.frames, { key: 'frame', a: 30, b: 60, delta: 30 });
  assert.deepEqual(d.summary.find((r) => r.key === 'frame_bytes'), { key: 'frame_bytes', a: 1000, b: 1500, delta: 500 });
  assert.equal(d.summary.find((r) => r.key === 'pool_bytes').delta, 0);
});

test('tags present on one side only have null on the other and no delta', () => {
  const d = diff_snapshots(a, b);
  const by = (path, kind) => d.tags.find((t) => t.path === path && t.kind === kind);
  assert.deepEqual(by('physics', 'frame').bytes, { key: 'bytes', a: 600, b: 900, delta: 300 });
  assert.deepEqual(by('physics', 'frame').alloc_count, { key: 'alloc_count', a: 10, b: 12, delta: 2 });
  assert.deepEqual(by('gone', 'heap').bytes, { key: 'bytes', a: 50, b: null, delta: null });
  assert.deepEqual(by('new::one', 'pool').bytes, { key: 'bytes', a: null, b: 96, delta: null });
  assert.deepEqual(d.tags.map((t) => t.path), ['gone', 'new::one', 'physics', 'render']);
});

test('budgets, threads and diagnostics are compared by identity', () => {
  const d = diff_snapshots(a, b);
  assert.equal(d.budgets[0].soft_exceeded.delta, 3);
  assert.equal(d.threads.length, 2);
  assert.equal(d.threads[0].frame_bytes.delta, 0);
  assert.deepEqual(d.diagnostics.added.map((x) => x.code), ['FA560']);
  assert.deepEqual(d.diagnostics.gone.map((x) => x.code), ['FA510']);
  assert.deepEqual(d.diagnostics.changed, [{ code: 'FA530', tag: 'render', count: { key: 'count', a: 2, b: 5, delta: 3 } }]);
});
