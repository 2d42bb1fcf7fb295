// 10 000 snapshots in one directory: the page loads them all, and stays responsive (switching the
// timeline's split, selecting a snapshot, opening the diff). The load time and the page's JavaScript
// heap are printed and written to INSIGHT_OUTPUT/scale/figures.json (docs/insight.md quotes them).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launch_browser } from './support/browser.js';
import { settle, show_tab } from './support/page.js';
import { paths } from './support/paths.js';
import { run, serve, stop_all } from './support/processes.js';
import { snapshot_files } from './support/snapshots.js';

const count = 10000;
// Bounds for a 2-core machine shared with a build: well above what is measured there (see the docs),
// low enough that a viewer that stalls fails.
const max_load_ms = 60000;
const max_heap_mb = 400;
const max_interaction_ms = 2000;

let browser;
let out;
let dir;
const figures = {};

// Snapshots of a long run: a real one from the library, its figures varied per frame, a budget crossed
// every 100 frames.
function write_run(template) {
  const base = JSON.parse(template);
  for (let frame = 1; frame <= count; ++frame) {
    const s = structuredClone(base);
    const wave = 1 + Math.sin(frame / 50);
    s.frame = frame;
    s.summary.frame_bytes = Math.round(base.summary.frame_bytes * wave);
    for (const t of s.tags) t.bytes = Math.round(t.bytes * wave);
    for (const b of s.budgets) b.soft_exceeded = Math.floor(frame / 100);
    fs.writeFileSync(path.join(dir, `snapshot_${String(frame).padStart(20, '0')}.json`), `${JSON.stringify(s)}\n`);
  }
}

before(async () => {
  out = paths.output('scale');
  const one = path.join(out, 'one');
  const r = await run(paths.budget_scenario, [one, '1']);
  assert.equal(r.code, 0, r.stderr);
  dir = path.join(out, 'snapshots');
  fs.mkdirSync(dir, { recursive: true });
  write_run(fs.readFileSync(path.join(one, snapshot_files(one)[0]), 'utf8'));
  browser = await launch_browser();
});

after(async () => {
  fs.writeFileSync(path.join(out, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });  // 35 MB of generated files
  await browser?.close();
  await stop_all();
});

async function timed(page, what, action, done) {
  const start = Date.now();
  await action();
  await page.waitForFunction(done, null, { timeout: max_interaction_ms * 5 });
  await settle(page);
  const ms = Date.now() - start;
  figures[what] = ms;
  assert.ok(ms < max_interaction_ms, `${what} took ${ms} ms`);
}

test(`${count} snapshots load, and the page stays responsive`, async () => {
  const { url } = await serve(paths.fa_insight, dir);
  const page = await browser.page();
  const start = Date.now();
  await page.goto(url);
  await page.waitForFunction((n) => window.fa_insight?.ready && window.fa_insight.store.entries.length === n, count,
                             { timeout: max_load_ms });
  await settle(page);
  figures.load_ms = Date.now() - start;
  assert.equal(await page.getAttribute('#timeline-chart', 'data-points'), String(count));
  assert.equal(await page.getAttribute('#timeline-chart', 'data-marks'), String(count / 100));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  figures.js_heap_mb = Math.round(metrics.find((m) => m.name === 'JSHeapUsedSize').value / (1 << 20));
  figures.dom_nodes = metrics.find((m) => m.name === 'Nodes').value;
  assert.ok(figures.load_ms < max_load_ms, `loading took ${figures.load_ms} ms`);
  assert.ok(figures.js_heap_mb < max_heap_mb, `${figures.js_heap_mb} MB of JavaScript heap`);

  await timed(page, 'per_tag_ms', () => page.selectOption('#timeline-split', 'tag'),
              () => document.querySelector('#timeline-chart').dataset.series !== '3');
  await timed(page, 'select_first_ms', () => page.fill('#selection input[type=range]', '0'),
              () => document.querySelector('#selected-frame')?.dataset.frame === '1');
  await timed(page, 'diff_ms', () => page.click('#tab-diff'), () => document.querySelector('#diff-summary'));
  await show_tab(page, 'tags');
  await page.screenshot({ path: path.join(out, 'scale.png') });
  process.stdout.write(`# ${count} snapshots: ${JSON.stringify(figures)}\n`);
});

test('the page raised no error', () => {
  assert.deepEqual(browser.errors, []);
});
