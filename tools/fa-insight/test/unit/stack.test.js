import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stack } from '../../src/model/stack.js';

test('each series is drawn on the sum of those before it', () => {
  assert.deepEqual(stack([[1, 2, 3], [10, 20, 30], [100, 0, 1]]), [[1, 2, 3], [11, 22, 33], [111, 22, 34]]);
});

test('a missing value stacks as zero but stays a gap on its own line', () => {
  assert.deepEqual(stack([[1, null, 3], [null, 5, 5], [1, 1, 1]]), [[1, null, 3], [null, 5, 8], [2, 6, 9]]);
});

test('no series, no columns', () => {
  assert.deepEqual(stack([]), []);
});
