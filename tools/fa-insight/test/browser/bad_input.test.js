// Files the viewer cannot read: truncated, corrupt, empty, of a newer schema, or JSON that is not a
// snapshot. Each gets its own message, in a directory and when dropped on the page, and the readable
// files are shown all the same. The page opened straight from disk (no server) reads dropped files too.
// Screenshots go to INSIGHT_OUTPUT/bad_input.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { launch_browser } from './support/browser.js';
import { drop, open_viewer, settle, show_tab } from './support/page.js';
import { paths } from './support/paths.js';
import { run, serve, stop_all } from './support/processes.js';
import { snapshot_files } from './support/snapshots.js';

let browser;
let out;
let good;  // [name, text] of the readable snapshots
let bad;   // name -> [text, the message the page must show]

before(async () => {
  out = paths.output('bad_input');
  const written = path.join(out, 'written');
  const r = await run(paths.budget_scenario, [written, '3']);
  assert.equal(r.code, 0, r.stderr);
  good = snapshot_files(written).map((n) => [n, fs.readFileSync(path.join(written, n), 'utf8')]);
  const sample = good[0][1];
  const future = JSON.stringify({ ...JSON.parse(sample), version: 3, frame: 6 });
  const truncated = sample.slice(0, Math.floor(sample.length / 2));
  bad = new Map([
    ['snapshot_00000000000000000004.json', [truncated, `truncated: the JSON stops after ${truncated.length} bytes (the file is incomplete)`]],
    ['snapshot_00000000000000000005.json', ['\u0000\u0007garbage{', /^not valid JSON: /]],
    ['snapshot_00000000000000000006.json', [future, 'schema version 3 is newer than this viewer reads (version 2): update fa-insight']],
    ['snapshot_00000000000000000007.json', ['', 'empty file']],
    ['notes.json', ['{"todo": ["look at frame 30"]}', 'not a framealloc snapshot: no "version" member']],
  ]);
  browser = await launch_browser();
});

after(async () => {
  await browser?.close();
  await stop_all();
});

async function check_failures(page, expected, origin) {
  for (const [name, [, message]] of expected) {
    const row = `#file-errors tr[data-file="${name}"]`;
    const cells = await page.$$eval(`${row} td`, (c) => c.map((x) => x.textContent));
    assert.equal(cells.length, 3, `${name} is listed`);
    assert.equal(cells[1], origin);
    if (message instanceof RegExp) assert.match(cells[2], message, name);
    else assert.equal(cells[2], message, name);
  }
}

test('in a directory, each bad file has its message and the good ones load', async () => {
  const dir = path.join(out, 'directory');
  fs.mkdirSync(dir, { recursive: true });
  for (const [n, t] of good) fs.writeFileSync(path.join(dir, n), t);
  for (const [n, [t]] of bad) fs.writeFileSync(path.join(dir, n), t);
  const { url } = await serve(paths.fa_insight, dir);
  const page = await open_viewer(browser, url, { files: good.length + bad.size });
  assert.equal(await page.getAttribute('#timeline-chart', 'data-points'), String(good.length));
  assert.equal(await page.textContent('#failure-banner'), `${bad.size} files could not be read: see Files (the others are shown).`);
  assert.ok(await page.$('#tag-tree tr[data-path="physics"]'), 'the newest good snapshot is shown');
  await page.click('#failure-banner a');
  await settle(page);
  await check_failures(page, bad, 'dir');
  await page.screenshot({ path: path.join(out, 'directory.png'), fullPage: true });

  // A bad file rewritten as a good one leaves the list of failures.
  const fixed = 'snapshot_00000000000000000004.json';
  const repaired = JSON.stringify({ ...JSON.parse(good[0][1]), frame: 4 });
  fs.writeFileSync(path.join(dir, `.${fixed}.tmp`), repaired);
  fs.renameSync(path.join(dir, `.${fixed}.tmp`), path.join(dir, fixed));
  await page.waitForFunction(() => document.querySelector('#timeline-chart').dataset.points === '4');
  await settle(page);
  assert.equal(await page.$(`#file-errors tr[data-file="${fixed}"]`), null);
  assert.equal(await page.textContent('#failure-banner'), `${bad.size - 1} files could not be read: see Files (the others are shown).`);
  await page.close();
});

test('opened from disk without a server, dropped files load, bad ones each with their message', async () => {
  const page = await browser.page();
  await page.goto(pathToFileURL(path.join(paths.app, 'index.html')).href);
  await page.waitForFunction(() => window.fa_insight?.ready);
  assert.match(await page.textContent('#live-status'), /offline/);
  await drop(page, [...good, ...[...bad].map(([n, [t]]) => [n, t])]);
  await page.waitForFunction((n) => window.fa_insight.store.entries.length === n, good.length);
  await settle(page);
  assert.equal(await page.getAttribute('#timeline-chart', 'data-points'), String(good.length));
  await show_tab(page, 'files');
  await check_failures(page, bad, 'dropped');
  // The views work on dropped files as on served ones.
  await show_tab(page, 'tags');
  assert.ok(await page.$('#tag-tree tr[data-path="physics"]'));
  await page.screenshot({ path: path.join(out, 'dropped-offline.png'), fullPage: true });
  await page.close();
});

test('the file chooser reads files as a drop does', async () => {
  const page = await browser.page();
  await page.goto(pathToFileURL(path.join(paths.app, 'index.html')).href);
  await page.waitForFunction(() => window.fa_insight?.ready);
  const [name, text] = good[1];
  const future = bad.get('snapshot_00000000000000000006.json');
  await page.setInputFiles('#open-files', [
    { name, mimeType: 'application/json', buffer: Buffer.from(text) },
    { name: 'snapshot_00000000000000000006.json', mimeType: 'application/json', buffer: Buffer.from(future[0]) },
  ]);
  await page.waitForFunction(() => window.fa_insight.store.entries.length + window.fa_insight.store.failures.size === 2);
  await settle(page);
  assert.equal(await page.getAttribute('#timeline-chart', 'data-points'), '1');
  assert.equal(await page.textContent('#failure-banner'), '1 file could not be read: see Files (the others are shown).');
  await page.close();
});

test('the pages raised no error', () => {
  assert.deepEqual(browser.errors, []);
});
