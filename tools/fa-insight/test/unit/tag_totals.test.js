import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tag_key, tag_totals } from '../../src/model/tag_totals.js';
import { make_snapshot, tag } from './fixture.js';

test('an all-threads row is the total; per-thread rows only break it down', () => {
  const s = make_snapshot({ tags: [
    tag('physics', 'frame', 4, 400, { thread: 'thread-1' }),
    tag('physics', 'frame', 10, 1000),
    tag('physics', 'frame', 6, 600, { thread: 'thread-2' }),
  ] });
  const t = tag_totals(s).get(tag_key('physics', 'frame'));
  assert.equal(t.bytes, 1000);
  assert.equal(t.alloc_count, 10);
  assert.deepEqual(t.threads.map((x) => x.thread), ['thread-1', 'thread-2']);
});

test('without an all-threads row the per-thread rows are summed', () => {
  const s = make_snapshot({ tags: [
    tag('ai', 'pool', 1, 32, { thread: 'thread-1', avg_lifetime_frames: 3.5 }),
    tag('ai', 'pool', 2, 64, { thread: 'thread-2', diagnostics: ['FA510'] }),
    tag('ai', 'heap', 1, 4096, { thread: 'thread-2', diagnostics: ['FA530', 'FA510'] }),
  ] });
  const totals = tag_totals(s);
  assert.equal(totals.get(tag_key('ai', 'pool')).bytes, 96);
  assert.equal(totals.get(tag_key('ai', 'pool')).alloc_count, 3);
  assert.equal(totals.get(tag_key('ai', 'pool')).avg_lifetime_frames, 3.5);
  assert.deepEqual(totals.get(tag_key('ai', 'pool')).diagnostics, ['FA510']);
  assert.equal(totals.get(tag_key('ai', 'heap')).bytes, 4096);
});
