import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshot_store } from '../../src/model/snapshot_store.js';
import { text } from './fixture.js';

test('files are kept sorted by frame, bad ones listed with their message', () => {
  const store = new snapshot_store();
  store.add('b.json', text({ frame: 60 }));
  store.add('a.json', text({ frame: 90 }));
  store.add('c.json', text({ frame: 30 }));
  store.add('bad.json', '{"version": 1,');
  store.add('future.json', text({ version: 3 }));
  assert.deepEqual(store.entries.map((e) => e.digest.frame), [30, 60, 90]);
  assert.deepEqual([...store.failures.values()].map((f) => [f.name, f.error]), [
    ['bad.json', 'truncated: the JSON stops after 14 bytes (the file is incomplete)'],
    ['future.json', 'schema version 3 is newer than this viewer reads (version 2): update fa-insight'],
  ]);
});

test('a file added again replaces its first version; a fixed file leaves the failures', () => {
  const store = new snapshot_store();
  store.add('s.json', '{');
  assert.equal(store.failures.size, 1);
  store.add('s.json', text({ frame: 5 }));
  store.add('s.json', text({ frame: 6 }));
  assert.equal(store.failures.size, 0);
  assert.deepEqual(store.entries.map((e) => e.digest.frame), [6]);
});

test('a batch sorts once and notifies once', () => {
  const store = new snapshot_store();
  let calls = 0;
  store.on_change(() => ++calls);
  store.batch(() => {
    for (const f of [5, 3, 9, 1]) store.add(`${f}.json`, text({ frame: f }));
  });
  assert.equal(calls, 1);
  assert.deepEqual(store.entries.map((e) => e.digest.frame), [1, 3, 5, 9]);
});

test('full snapshots beyond the cache are read again through their loader', async () => {
  const store = new snapshot_store({ cache_size: 1 });
  let loads = 0;
  const first = store.add('1.json', text({ frame: 1 }), { load: async () => (++loads, text({ frame: 1 })) });
  store.add('2.json', text({ frame: 2 }), { load: async () => text({ frame: 2 }) });
  assert.equal((await store.full(first)).frame, 1);
  assert.equal(loads, 1);
  assert.equal((await store.full(first)).frame, 1);
  assert.equal(loads, 1);
  store.mark_removed('file', '2.json');
  const second = store.entries[1];
  assert.equal(second.removed, true);
  await assert.rejects(store.full(second), /no longer in its directory/);
});
