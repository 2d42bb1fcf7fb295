// Live mode: the page follows a directory that a running program writes into, without reloading, and
// the "Request snapshot" button makes the program write one. Screenshots go to INSIGHT_OUTPUT/live.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { launch_browser } from './support/browser.js';
import { open_viewer, settle, show_tab } from './support/page.js';
import { paths } from './support/paths.js';
import { serve, start, stop, stop_all } from './support/processes.js';
import { snapshot_files, wait_for } from './support/snapshots.js';

const browser = await launch_browser();
const out = paths.output('live');

after(async () => {
  await browser.close();
  await stop_all();
});

async function selected_frame(page) {
  return Number(await page.getAttribute('#selected-frame', 'data-frame'));
}

test('the page follows the running demo as it writes and prunes snapshots, without reloading', async () => {
  const dir = path.join(out, 'demo');
  const demo = await start(paths.frame_demo, ['100000', '--snapshots', dir], { ready: /frame\s+threads/ });
  await wait_for('the demo\'s first snapshot', () => fs.existsSync(dir) && snapshot_files(dir).length > 0);
  const { url } = await serve(paths.fa_insight, dir);
  const page = await open_viewer(browser, url, { files: 1 });
  await page.evaluate(() => {
    window.loaded_once = true;  // gone if the page reloads
  });
  const first = await selected_frame(page);
  await wait_for('a newer snapshot on the page', async () => (await selected_frame(page)) > first + 60);
  // The demo keeps its newest 8 files: older ones are deleted while the page shows them.
  await show_tab(page, 'files');
  await wait_for('a pruned file marked on the page', async () => (await page.textContent('#file-list')).includes('(deleted since)'));
  assert.equal(await page.evaluate(() => window.loaded_once), true);
  const points = Number(await page.getAttribute('#timeline-chart', 'data-points'));
  assert.ok(points > 8, `${points} points: the page keeps what it saw`);

  await page.click('#request-snapshot');
  await settle(page);
  assert.match(await page.textContent('#request-state'), /request: (waiting for the program|answered: frame \d+)/);
  // The request reaches the demo: its file is in the directory until the demo's emitter takes it
  // (it is taken only when the emitter's minimum interval has passed since its last write).
  const request = path.join(dir, 'snapshot.request');
  const taken = snapshot_files(dir).some((n) => Number(n.slice(9, 29)) % 30 !== 0);
  assert.ok(fs.existsSync(request) || taken, 'the request file was written');
  await page.screenshot({ path: path.join(out, 'demo-following.png') });
  await stop(demo.child);
  await page.close();
});

test('"Request snapshot" makes the program write one, and the page shows it', async () => {
  const dir = path.join(out, 'on-request');
  const program = await start(paths.budget_scenario, ['--live', dir, '60'], { ready: /live in/ });
  const { url } = await serve(paths.fa_insight, dir);
  const page = await open_viewer(browser, url, { files: 1 });
  assert.equal(await page.getAttribute('#timeline-chart', 'data-points'), '1');
  assert.equal(await selected_frame(page), 1);
  for (const n of [2, 3]) {
    await page.click('#request-snapshot');
    await wait_for(`snapshot ${n} on the page`, async () => (await page.getAttribute('#timeline-chart', 'data-points')) === String(n));
    const frame = await selected_frame(page);
    const files = snapshot_files(dir);
    assert.equal(files.length, n);
    assert.equal(Number(files.at(-1).slice(9, 29)), frame, 'the page shows the file the program wrote');
    await wait_for('the arrival notice', async () => (await page.textContent('#event-notice')).includes(`Requested snapshot arrived: frame ${frame}`));
    assert.equal(await page.textContent('#request-state'), `request: answered: frame ${frame}`);
    assert.equal(fs.existsSync(path.join(dir, 'snapshot.request')), false, 'the program took the request');
  }
  await page.screenshot({ path: path.join(out, 'requested.png') });
  await stop(program.child);
});

test('the pages raised no error', () => {
  assert.deepEqual(browser.errors, []);
});
