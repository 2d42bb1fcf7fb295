import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse_snapshot } from '../../src/model/parse.js';
import { make_snapshot, text } from './fixture.js';

test('a schema v2 snapshot is read with its figures', () => {
  const r = parse_snapshot(text());
  assert.equal(r.ok, true);
  assert.equal(r.snapshot.frame, 30);
  assert.equal(r.snapshot.summary.frame_bytes, 1000);
  assert.equal(r.snapshot.tags.length, 4);
  assert.equal(r.snapshot.depot.blocks_returned_this_frame, 64);
});

test('a schema v1 snapshot (deferred, no depot) is still read', () => {
  const v1 = make_snapshot({ version: 1, deferred: { queue_depth: 0, processed_this_frame: 0 } });
  delete v1.depot;
  const r = parse_snapshot(JSON.stringify(v1));
  assert.equal(r.ok, true);
  assert.equal(r.snapshot.version, 1);
  assert.deepEqual(r.snapshot.deferred, { queue_depth: 0, processed_this_frame: 0 });
});

test('members the viewer does not know are accepted', () => {
  const r = parse_snapshot(text({ cross_thread_frees: { blocks: 3 }, summary: { ...make_snapshot().summary, extra: 1 } }));
  assert.equal(r.ok, true);
});

test('null where the schema allows it is read as not measured', () => {
  const s = make_snapshot();
  s.tags[0].avg_lifetime_frames = null;
  s.tags[0].promotion_rate = 0.25;
  s.threads[0].budget = null;
  s.budgets = [{ scope: 'global', name: '', kind: 'all', used: 3, soft_limit: null, hard_limit: null, soft_exceeded: 0,
                 hard_exceeded: 0 }];
  const r = parse_snapshot(JSON.stringify(s));
  assert.equal(r.ok, true);
  assert.equal(r.snapshot.tags[0].avg_lifetime_frames, null);
  assert.equal(r.snapshot.tags[0].promotion_rate, 0.25);
  assert.equal(r.snapshot.budgets[0].soft_limit, null);
});

test('an empty file says so', () => {
  assert.deepEqual(parse_snapshot(''), { ok: false, error: 'empty file' });
  assert.deepEqual(parse_snapshot(' \n'), { ok: false, error: 'empty file' });
});

test('a file cut short is called truncated, with its length', () => {
  const full = text();
  for (const cut of [1, 20, full.length / 2, full.length - 1]) {
    const part = full.slice(0, Math.floor(cut));
    const r = parse_snapshot(part);
    assert.equal(r.ok, false);
    assert.equal(r.error, `truncated: the JSON stops after ${part.length} bytes (the file is incomplete)`, part);
  }
});

test('garbage is not JSON, and not called truncated', () => {
  const r = parse_snapshot('{"version": 1} trailing');
  assert.equal(r.ok, false);
  assert.match(r.error, /^not valid JSON: /);
  assert.match(parse_snapshot('\u0000\u0001binary').error, /^not valid JSON: /);
});

test('a newer schema version names both versions', () => {
  const r = parse_snapshot(text({ version: 3 }));
  assert.deepEqual(r, { ok: false, error: 'schema version 3 is newer than this viewer reads (version 2): update fa-insight' });
});

test('JSON that is not a snapshot says what is wrong', () => {
  assert.equal(parse_snapshot('[1,2]').error, 'not a snapshot: the file holds an array');
  assert.equal(parse_snapshot('{"name": "x"}').error, 'not a framealloc snapshot: no "version" member');
  assert.equal(parse_snapshot(text({ version: 0 })).error, 'not a framealloc snapshot: version is 0');
  assert.equal(parse_snapshot(text({ frame: '7' })).error, 'frame is a string, not a count');
  const s = make_snapshot();
  delete s.summary.heap_bytes;
  assert.equal(parse_snapshot(JSON.stringify(s)).error, 'missing summary.heap_bytes');
  assert.equal(parse_snapshot(text({ tags: {} })).error, 'tags is an object, not an array');
  const t = make_snapshot();
  t.tags[2].alloc_kind = 'stack';
  assert.equal(parse_snapshot(JSON.stringify(t)).error, 'tags[2].alloc_kind is "stack", not frame, pool or heap');
  const u = make_snapshot();
  u.threads[1].budget = { limit: 10, used: 'x', percent: 0 };
  assert.equal(parse_snapshot(JSON.stringify(u)).error, 'threads[1].budget.used is a string, not a count');
});
