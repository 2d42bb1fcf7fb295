import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digest } from '../../src/model/digest.js';
import { by_tag, by_thread, frames_of, totals } from '../../src/model/series.js';
import { make_snapshot, tag } from './fixture.js';

const digests = [
  digest(make_snapshot({ frame: 30 })),
  digest(make_snapshot({ frame: 60, summary: { frame_bytes: 7, pool_bytes: 8, heap_bytes: 9, total_bytes: 24, peak_bytes: 30 },
                         tags: [tag('zeta', 'frame', 1, 70)],
                         threads: [{ id: 'thread-3', name: 'io', frame_bytes: 5, pool_bytes: 6, heap_bytes: 0,
                                     peak_bytes: 5, budget: null }] })),
];

test('one point per snapshot, at its frame', () => {
  assert.deepEqual(frames_of(digests), [30, 60]);
  const t = totals(digests);
  assert.deepEqual(t.names, ['frame memory', 'pool live', 'heap live']);
  assert.deepEqual(t.columns, [[1000, 7], [400, 6], [200, 9]]);
});

test('per tag: the union of tags, 0 where a snapshot lacks one', () => {
  const s = by_tag(digests, 'frame');
  assert.deepEqual(s.names, ['physics', 'render', 'render::particles', 'zeta']);
  assert.deepEqual(s.columns, [[600, 0], [100, 0], [300, 0], [0, 70]]);
  assert.deepEqual(by_tag(digests, 'pool').columns, [[400, 0]]);
});

test('per thread: null where the thread did not exist', () => {
  const s = by_thread(digests, 'frame');
  assert.deepEqual(s.names, ['thread-1 (main)', 'thread-2', 'thread-3 (io)']);
  assert.deepEqual(s.columns, [[800, null], [200, null], [null, 5]]);
});
