// The demo's snapshots in the viewer, opened with the command the demo prints: the tag tree shows the
// demo's tags with the numbers in the files, the timeline has one point per snapshot and hovering a
// point shows its exact values, clicking a point selects that snapshot, the threads and the diff show
// the right figures. Screenshots go to INSIGHT_OUTPUT/demo.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launch_browser } from './support/browser.js';
import { cell, hover_point, open_viewer, settle, show_tab } from './support/page.js';
import { paths } from './support/paths.js';
import { run, start, stop_all } from './support/processes.js';
import { exact, read_snapshots } from './support/snapshots.js';

const demo_tags = ['physics', 'ai', 'ai::pathfinding', 'ai::spawn', 'render', 'render::particles'];
let browser;
let page;
let snapshots;
let out;

before(async () => {
  out = paths.output('demo');
  const dir = path.join(out, 'snapshots');
  const demo = await run(paths.frame_demo, ['150', '--snapshots', dir]);
  assert.equal(demo.code, 0, demo.stderr);
  // The demo's last line is the command that opens the viewer: run exactly that.
  const last = demo.stdout.trimEnd().split('\n').at(-1);
  const m = /^view them in the browser: (.+ serve (.+))$/.exec(last);
  assert.ok(m, `the demo's last line is not the viewer command: ${last}`);
  assert.equal(m[2], dir);
  const served = await start('sh', ['-c', `exec ${m[1]}`], { ready: /at (http:\/\/127\.0\.0\.1:\d+\/)/ });
  snapshots = read_snapshots(dir);
  assert.equal(snapshots.length, 5);  // frames 30, 60, ..., 150
  browser = await launch_browser();
  page = await open_viewer(browser, served.match[1], { files: snapshots.length });
});

after(async () => {
  await browser?.close();
  await stop_all();
});

test('the timeline has one point per snapshot, and hovering shows its exact values', async () => {
  assert.equal(await page.getAttribute('#timeline-chart', 'data-points'), String(snapshots.length));
  for (const [i, { json }] of snapshots.entries()) {
    const legend = await hover_point(page, i);
    assert.equal(legend.frame, String(json.frame));
    assert.equal(legend['frame memory'], `${exact(json.summary.frame_bytes)} B`);
    assert.equal(legend['heap live'], `${exact(json.summary.heap_bytes)} B`);
    const pool_live = json.threads.reduce((n, t) => n + t.pool_bytes, 0);
    assert.equal(legend['pool live'], `${exact(pool_live)} B`);
  }
  await page.screenshot({ path: path.join(out, 'timeline-hover.png') });
});

test('per tag, the timeline stacks one series per tag of the demo', async () => {
  await page.selectOption('#timeline-split', 'tag');
  await settle(page);
  const labels = await page.$$eval('#timeline-chart .u-legend .u-series .u-label', (l) => l.map((x) => x.textContent.trim()));
  for (const tag of ['physics', 'ai::pathfinding', 'render', 'render::particles']) assert.ok(labels.includes(tag), `${tag} in ${labels}`);
  const last = snapshots.at(-1).json;
  const legend = await hover_point(page, snapshots.length - 1);
  const row = (p) => last.tags.find((t) => t.path === p && t.alloc_kind === 'frame' && t.thread === '');
  assert.equal(legend.physics, `${exact(row('physics').bytes)} B`);
  assert.equal(legend['render::particles'], `${exact(row('render::particles').bytes)} B`);
  await page.screenshot({ path: path.join(out, 'timeline-per-tag.png') });
  await page.selectOption('#timeline-split', 'totals');
  await settle(page);
});

async function check_tag_tree(json) {
  await show_tab(page, 'tags');
  assert.equal(await page.textContent('#selected-frame'), `frame ${json.frame}`);
  for (const tag of demo_tags) assert.ok(await page.$(`#tag-tree tr[data-path="${tag}"]`), `tag ${tag} in the tree`);
  for (const row of json.tags.filter((t) => t.thread === '')) {
    const c = await cell(page, `#tag-tree tr[data-path="${row.path}"]`, `${row.alloc_kind}_bytes`);
    assert.equal(Number(c.bytes), row.bytes, `${row.path} ${row.alloc_kind} bytes`);
    assert.equal(Number(c.count), row.alloc_count, `${row.path} ${row.alloc_kind} allocations`);
    assert.ok(c.text.includes(`${exact(row.bytes)} B`), `${row.path}: "${c.text}" shows ${row.bytes}`);
  }
  // A parent adds its children: ai with ai::pathfinding and ai::spawn.
  const sum = json.tags.filter((t) => t.thread === '' && (t.path === 'ai' || t.path.startsWith('ai::')))
    .reduce((n, t) => n + t.bytes, 0);
  assert.equal((await cell(page, '#tag-tree tr[data-path="ai"]', 'subtree_bytes')).text, `${exact(sum)} B`);
}

test('the tag tree shows the newest snapshot with the numbers of its file', async () => {
  await check_tag_tree(snapshots.at(-1).json);
  await page.screenshot({ path: path.join(out, 'tags.png'), fullPage: true });
});

test('clicking the first point selects the first snapshot', async () => {
  const { x, y } = await page.evaluate(() => window.fa_insight.ctx.timeline.point_position(0));
  await page.mouse.click(x, y);
  await settle(page);
  await check_tag_tree(snapshots[0].json);
});

test('the threads view lists every thread with its figures', async () => {
  await show_tab(page, 'threads');
  const json = snapshots[0].json;
  for (const t of json.threads) {
    const row = `#thread-table tr[data-thread="${t.id}"]`;
    for (const f of ['frame_bytes', 'pool_bytes', 'heap_bytes', 'peak_bytes'])
      assert.equal(Number((await cell(page, row, f)).bytes), t[f], `${t.id} ${f}`);
    const budget = (await cell(page, row, 'budget')).text;
    if (t.budget === null) assert.equal(budget, 'no budget');
    else assert.ok(budget.includes(`${t.budget.percent} %`));
  }
});

test('the resources view shows the resources\' own figures, and figures it has no view for', async () => {
  await show_tab(page, 'resources');
  const json = snapshots[0].json;
  for (const kind of ['frame', 'pool', 'heap'])
    for (const [k, v] of Object.entries(json.resources[kind])) {
      const text = await page.textContent(`#resource-${kind} tr[data-field="${k}"] td.num`);
      assert.equal(text, exact(v), `${kind}.${k}`);
    }
  assert.equal(await page.$('#other-depot'), null, 'depot has its own place (promotions & transfers)');
});

test('the promotions & transfers view shows the pool depot\'s cross-thread traffic from the JSON', async () => {
  await show_tab(page, 'flow');
  const json = snapshots[0].json;
  for (const [k, v] of Object.entries(json.depot))
    assert.equal(await page.textContent(`#depot-table tr[data-field="${k}"] td.num`), exact(v), `depot.${k}`);
  const last = snapshots.at(-1).json.depot;
  assert.ok(last.blocks_returned > 0 && last.blocks_reused > 0, 'the demo frees pool blocks the workers allocated');
});

test('dragging across the timeline zooms on those frames; double-click zooms out', async () => {
  const a = await page.evaluate(() => window.fa_insight.ctx.timeline.point_position(1));
  const b = await page.evaluate(() => window.fa_insight.ctx.timeline.point_position(3));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  await settle(page);
  const x = () => page.evaluate(() => {
    const s = window.fa_insight.ctx.timeline.plot.scales.x;
    return [s.min, s.max];
  });
  const [min, max] = await x();
  assert.ok(min >= snapshots[0].json.frame && min <= snapshots[1].json.frame + 1, `zoomed from ${min}`);
  assert.ok(max <= snapshots[3].json.frame && max >= snapshots[3].json.frame - 1, `zoomed to ${max}`);
  const legend = await hover_point(page, 2);
  assert.equal(legend.frame, String(snapshots[2].json.frame), 'hovering works zoomed in');
  await page.mouse.dblclick(b.x, b.y);
  await settle(page);
  assert.deepEqual(await x(), [snapshots[0].json.frame, snapshots.at(-1).json.frame]);
});

test('the diff of the first and the last snapshot shows b - a for totals, tags and threads', async () => {
  await show_tab(page, 'diff');
  const a = snapshots[0];
  const b = snapshots.at(-1);
  await page.fill('#diff-a', String(a.json.frame));
  await page.press('#diff-a', 'Enter');
  await settle(page);
  await page.fill('#diff-b', String(b.json.frame));
  await page.press('#diff-b', 'Enter');
  await settle(page);
  assert.equal(await page.textContent('#diff-a-file'), a.name);
  assert.equal(await page.textContent('#diff-b-file'), b.name);
  for (const k of ['frame_bytes', 'pool_bytes', 'heap_bytes', 'total_bytes', 'peak_bytes']) {
    const c = await cell(page, `#diff-summary tr[data-key="${k}"]`, 'delta');
    assert.equal(Number(c.delta), b.json.summary[k] - a.json.summary[k], k);
  }
  const rows = (j) => new Map(j.tags.filter((t) => t.thread === '').map((t) => [`${t.path} ${t.alloc_kind}`, t]));
  const ra = rows(a.json);
  const rb = rows(b.json);
  for (const key of new Set([...ra.keys(), ...rb.keys()])) {
    const [p, kind] = key.split(' ');
    const c = await cell(page, `#diff-tags tr[data-path="${p}"][data-kind="${kind}"]`, 'bytes');
    if (ra.has(key) && rb.has(key)) assert.equal(Number(c.delta), rb.get(key).bytes - ra.get(key).bytes, key);
    else assert.equal(c.text, ra.has(key) ? 'gone' : 'new', key);
  }
  for (const t of b.json.threads) {
    const before_t = a.json.threads.find((x) => x.id === t.id);
    const c = await cell(page, `#diff-threads tr[data-thread="${t.id}"]`, 'frame_bytes');
    if (before_t) assert.equal(Number(c.delta), t.frame_bytes - before_t.frame_bytes);
  }
  const transfers = await cell(page, '#diff-transfers tr[data-key="created"]', 'delta');
  assert.equal(Number(transfers.delta), b.json.transfers.created - a.json.transfers.created);
  await page.screenshot({ path: path.join(out, 'diff.png'), fullPage: true });
});

test('the page raised no error', () => {
  assert.deepEqual(browser.errors, []);
});
