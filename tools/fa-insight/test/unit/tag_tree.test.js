import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build_tag_tree, flatten } from '../../src/model/tag_tree.js';
import { make_snapshot, tag } from './fixture.js';

test('paths nest by "::", parents sum their subtree, missing parents appear', () => {
  const root = build_tag_tree(make_snapshot({ tags: [
    tag('render::particles', 'frame', 2, 300),
    tag('render', 'frame', 1, 100),
    tag('render', 'pool', 1, 32),
    tag('ai::pathfinding::grid', 'frame', 4, 4096),
  ] }));
  const rows = flatten(root).map(([n, depth]) => [n.path, depth]);
  assert.deepEqual(rows, [['ai', 0], ['ai::pathfinding', 1], ['ai::pathfinding::grid', 2], ['render', 0],
                          ['render::particles', 1]]);
  const render = root.children.find((n) => n.name === 'render');
  assert.deepEqual(render.self.frame, { alloc_count: 1, bytes: 100 });
  assert.deepEqual(render.subtree.frame, { alloc_count: 3, bytes: 400 });
  assert.deepEqual(render.subtree.pool, { alloc_count: 1, bytes: 32 });
  const ai = root.children.find((n) => n.name === 'ai');
  assert.deepEqual(ai.self.frame, { alloc_count: 0, bytes: 0 });
  assert.equal(ai.subtree.frame.bytes, 4096);
});
