import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { is_listed, snapshot_dir } from '../../server/snapshot_dir.mjs';

function events_of(dir) {
  const seen = [];
  dir.on('added', (n) => seen.push(`+${n}`));
  dir.on('removed', (n) => seen.push(`-${n}`));
  return seen;
}

async function until(what, check) {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// As the emitter writes: a temporary dot-file renamed over the final name.
function write_atomically(where, name, text) {
  const temp = path.join(where, `.${name}.123.1.tmp`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, path.join(where, name));
}

test('snapshot files are listed; temporary, request and other files are not', () => {
  assert.equal(is_listed('snapshot_00000000000000000030.json'), true);
  assert.equal(is_listed('notes.json'), true);
  assert.equal(is_listed('.snapshot_00000000000000000030.99.1.tmp'), false);
  assert.equal(is_listed('snapshot.request'), false);
  assert.equal(is_listed('../x.json'), false);
});

test('each new, rewritten or pruned file is reported once; a missing directory is waited for', async () => {
  const where = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fa-insight-dir-')), 'snapshots');
  const dir = new snapshot_dir(where, { rescan_ms: 50 });
  const seen = events_of(dir);
  await dir.start();
  assert.deepEqual(await dir.list(), []);
  fs.mkdirSync(where);
  write_atomically(where, 'snapshot_1.json', '{}');
  await until('the first file', () => seen.length === 1);
  write_atomically(where, 'snapshot_2.json', '{}');
  await until('the second file', () => seen.length === 2);
  await new Promise((r) => setTimeout(r, 200));  // several rescans: nothing reported twice
  assert.deepEqual(seen, ['+snapshot_1.json', '+snapshot_2.json']);
  const later = new Date(Date.now() + 5000);
  write_atomically(where, 'snapshot_2.json', '{"again": 1}');
  fs.utimesSync(path.join(where, 'snapshot_2.json'), later, later);
  fs.rmSync(path.join(where, 'snapshot_1.json'));
  await until('the rewrite and the removal', () => seen.length === 4);
  assert.deepEqual(seen.slice(2).sort(), ['+snapshot_2.json', '-snapshot_1.json']);
  assert.equal(await dir.read('snapshot_2.json'), '{"again": 1}');
  assert.equal(await dir.read('snapshot_1.json'), null);
  assert.equal(await dir.read('../snapshot_2.json'), null);
  const request = await dir.request('snapshot.request');
  assert.equal(dir.has_request('snapshot.request'), true);
  assert.equal(request, path.join(where, 'snapshot.request'));
  dir.stop();
  fs.rmSync(path.dirname(where), { recursive: true, force: true });
});
