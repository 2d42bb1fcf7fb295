// The memory inspector without VS Code: the newest snapshot of a folder, read with the viewer's reader,
// as tags (nested), budgets and threads; and the snapshot request file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { inspector_tree, newest_snapshot, request_snapshot } from '../dist/lib/inspector_model.mjs';
import { make_snapshot } from '../../test/unit/fixture.js';

function folder() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fa-inspector-'));
}

function write(dir, name, snapshot, seconds_ago) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof snapshot === 'string' ? snapshot : JSON.stringify(snapshot));
  const t = new Date(Date.now() - seconds_ago * 1000);
  fs.utimesSync(file, t, t);
}

test('the newest snapshot by modification time; dot files and other names are not snapshots', async () => {
  const dir = folder();
  write(dir, 'frame-000030.json', make_snapshot({ frame: 30 }), 20);
  write(dir, 'frame-000090.json', make_snapshot({ frame: 90 }), 1);
  write(dir, 'frame-000060.json', make_snapshot({ frame: 60 }), 10);
  write(dir, '.frame-000120.json', make_snapshot({ frame: 120 }), 0);
  write(dir, 'notes.txt', 'not a snapshot', 0);
  const r = await newest_snapshot(dir);
  assert.equal(r.ok, true);
  assert.equal(r.name, 'frame-000090.json');
  assert.equal(r.snapshot.frame, 90);
});

test('no folder or no snapshot yet: null; a broken newest file: the reader\'s reason', async () => {
  assert.equal(await newest_snapshot(path.join(folder(), 'missing')), null);
  assert.equal(await newest_snapshot(folder()), null);
  const dir = folder();
  write(dir, 'frame-000001.json', make_snapshot(), 5);
  write(dir, 'frame-000002.json', '{"version": 1, "frame": 2, "summ', 0);
  const r = await newest_snapshot(dir);
  assert.equal(r.ok, false);
  assert.match(r.error, /^frame-000002\.json: truncated/);
});

test('the tree: tags nested by path with subtree figures, budgets with their limits, threads', () => {
  const s = make_snapshot({
    budgets: [
      { scope: 'tag', name: 'physics', kind: 'frame', used: 600, soft_limit: 512, hard_limit: 1024, soft_exceeded: 1, hard_exceeded: 0 },
      { scope: 'global', name: '', kind: 'all', used: 1000, soft_limit: null, hard_limit: 4096, soft_exceeded: 0, hard_exceeded: 0 },
    ],
  });
  const [frame, tags, budgets, threads] = inspector_tree('frame-000030.json', s);
  assert.equal(frame.label, 'Frame 30');
  assert.match(frame.description, /frame-000030\.json, total 65\.2 KiB/);
  assert.deepEqual(tags.children.map((t) => t.label), ['ai', 'physics', 'render']);
  const render = tags.children[2];
  assert.equal(render.description, 'frame 400 B');  // 100 of its own + 300 under render::particles
  assert.deepEqual(render.children.map((t) => [t.label, t.description]), [['particles', 'frame 300 B']]);
  assert.equal(tags.children[0].children[0].description, 'pool 400 B');
  assert.equal(budgets.children.length, 2);
  assert.equal(budgets.children[0].label, 'tag physics (frame)');
  assert.match(budgets.children[0].description, /600 B used, soft 512 B, hard 1\.0 KiB — exceeded/);
  assert.equal(budgets.children[0].warning, true);
  assert.equal(budgets.children[1].label, 'global');
  assert.match(budgets.children[1].description, /soft none, hard 4\.0 KiB$/);
  assert.equal(budgets.children[1].warning, false);
  assert.deepEqual(threads.children.map((t) => t.label), ['main (thread-1)', 'thread-2']);
  assert.match(threads.children[0].description, /^frame 800 B, pool 300 B, heap 200 B, peak 900 B$/);
});

test('a snapshot request is an empty file of that name in the snapshot folder (created if missing)', async () => {
  const dir = path.join(folder(), 'snapshots');
  const file = await request_snapshot(dir, 'snapshot.request');
  assert.equal(file, path.join(dir, 'snapshot.request'));
  assert.equal(fs.readFileSync(file, 'utf8'), '');
  await assert.rejects(request_snapshot(dir, '../elsewhere'), /plain name/);
});
