// A run that crosses a tag budget and trips the behaviour filter (budget_scenario): the crossings are
// marked on the timeline and listed under the tag's budget at the frames the files say, and the
// diagnostics list explains each code with the registry's words. Screenshots go to
// INSIGHT_OUTPUT/budgets.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launch_browser } from './support/browser.js';
import { drop, open_viewer, show_tab } from './support/page.js';
import { paths } from './support/paths.js';
import { run, serve, stop_all } from './support/processes.js';
import { read_snapshots } from './support/snapshots.js';

let browser;
let page;
let snapshots;
let out;

// Frames at which a budget counter grew since the previous snapshot: { frame, level } for each.
function crossings_in_files(budget_name) {
  const found = [];
  let prev = null;
  for (const { json } of snapshots) {
    const b = json.budgets.find((x) => x.scope === 'tag' && x.name === budget_name);
    for (const level of ['soft', 'hard']) {
      const now = b[`${level}_exceeded`];
      const before_now = prev ? prev[`${level}_exceeded`] : 0;
      if (now > before_now) found.push({ frame: json.frame, level });
    }
    prev = b;
  }
  return found;
}

before(async () => {
  out = paths.output('budgets');
  const dir = path.join(out, 'snapshots');
  const r = await run(paths.budget_scenario, [dir, '12']);
  assert.equal(r.code, 0, r.stderr);
  snapshots = read_snapshots(dir);
  assert.equal(snapshots.length, 12);
  const { url } = await serve(paths.fa_insight, dir);
  browser = await launch_browser();
  page = await open_viewer(browser, url, { files: snapshots.length });
});

after(async () => {
  await browser?.close();
  await stop_all();
});

test('the timeline marks every frame in which the physics budget was crossed', async () => {
  const expected = crossings_in_files('physics');
  assert.ok(expected.some((c) => c.level === 'hard'), 'the scenario crosses the hard limit once');
  const frames = [...new Set(expected.map((c) => c.frame))];
  assert.equal(await page.getAttribute('#timeline-chart', 'data-marks'), String(frames.length));
  for (const f of frames) {
    const chip = await page.$(`#timeline-crossings .mark-chip[data-frame="${f}"]`);
    assert.ok(chip, `a mark at frame ${f}`);
    const hard = expected.some((c) => c.frame === f && c.level === 'hard');
    assert.equal(await chip.evaluate((el) => el.classList.contains('hard')), hard, `frame ${f} hard`);
  }
});

test('the tag tree shows the budget with its limits and the frames it crossed them', async () => {
  await show_tab(page, 'tags');
  const last = snapshots.at(-1).json.budgets.find((b) => b.name === 'physics');
  const budget = '#tag-tree tr[data-path="physics"] [data-field="budget"]';
  const text = await page.textContent(`${budget} .budget-text`);
  assert.ok(text.includes(`soft ${last.soft_limit.toLocaleString('en-US')} B`), text);
  assert.ok(text.includes(`hard ${last.hard_limit.toLocaleString('en-US')} B`), text);
  assert.ok(await page.$(`${budget} .bar .mark.soft`));
  assert.ok(await page.$(`${budget} .bar .mark.hard`));
  const listed = await page.$$eval(`${budget} li.crossing`, (l) => l.map((x) => ({ frame: Number(x.dataset.frame),
                                                                                    level: x.dataset.level, text: x.textContent })));
  assert.deepEqual(listed.map(({ frame, level }) => ({ frame, level })), crossings_in_files('physics'));
  // One snapshot per frame: each crossing is dated to its exact frame.
  for (const c of listed) assert.equal(c.text, `crossed ${c.level} limit: frame ${c.frame}`);
  await page.screenshot({ path: path.join(out, 'tags.png'), fullPage: true });
});

test('the diagnostics list explains each code with the registry entry', async () => {
  const codes = new Map(JSON.parse(fs.readFileSync(paths.codes_json, 'utf8')).codes.map((c) => [c.code, c]));
  const json = snapshots.at(-1).json;
  assert.ok(json.diagnostics.length > 0, 'the behaviour filter reported something');
  await show_tab(page, 'diagnostics');
  for (const d of json.diagnostics) {
    const item = `#diagnostic-list li[data-code="${d.code}"]`;
    const entry = codes.get(d.code);
    assert.ok(entry, `${d.code} is in the registry`);
    assert.equal(await page.textContent(`${item} .message`), d.message);
    assert.equal(await page.textContent(`${item} .explain .title`), entry.title);
    assert.equal(await page.textContent(`${item} .explain .explanation`), entry.explanation);
    assert.equal(await page.textContent(`${item} .explain .fix`), `Fix: ${entry.hint}`);
    if (d.tag) assert.equal(await page.textContent(`${item} .tag`), `tag ${d.tag}`);
  }
  const first = snapshots.find((s) => s.json.diagnostics.length > 0).json.frame;
  const row = `#diagnostic-summary tr[data-code="${json.diagnostics[0].code}"] td`;
  assert.equal(await page.$$eval(row, (c) => c[3].textContent), String(first));
  await page.screenshot({ path: path.join(out, 'diagnostics.png'), fullPage: true });
});

test('the tag that a diagnostic names carries its code in the tree', async () => {
  await show_tab(page, 'tags');
  const d = snapshots.at(-1).json.diagnostics.find((x) => x.tag);
  const codes = await page.textContent(`#tag-tree tr[data-path="${d.tag}"] [data-field="diagnostics"]`);
  assert.ok(codes.includes(d.code), `${d.tag}: ${codes}`);
});

test('a thread budget in threads[] shows as a bar with its percent, and going over it is marked', async () => {
  // The schema's threads[].budget, filled by hand on the last file and dropped on the page as frame 13.
  const s = structuredClone(snapshots.at(-1).json);
  const worker = s.threads.find((t) => t.name === 'physics worker');
  s.frame = 13;
  worker.budget = { limit: 16384, used: worker.frame_bytes, percent: Math.floor((worker.frame_bytes * 100) / 16384) };
  assert.ok(worker.budget.percent > 100);
  await drop(page, [['thread-budget.json', JSON.stringify(s)]]);
  await page.waitForFunction(() => document.querySelector('#selected-frame')?.dataset.frame === '13');
  await show_tab(page, 'threads');
  const budget = `#thread-table tr[data-thread="${worker.id}"] [data-field="budget"]`;
  assert.equal(await page.textContent(`${budget} .percent`), `${worker.budget.percent} % of its limit`);
  assert.ok(await page.$(`${budget} .bar .fill.over`), 'the fill shows the budget exceeded');
  assert.equal(await page.textContent(`${budget} li.crossing`), 'crossed its limit: frame 13');
  assert.ok(await page.$('#timeline-crossings .mark-chip.hard[data-frame="13"]'));
  await page.screenshot({ path: path.join(out, 'thread-budget.png'), fullPage: true });
});

test('an object the viewer has no view for (a later schema addition) is shown as it is', async () => {
  const s = structuredClone(snapshots.at(-1).json);
  s.frame = 14;
  s.cross_thread_frees = { blocks: 7, bytes: 336 };
  await drop(page, [['later-schema.json', JSON.stringify(s)]]);
  await page.waitForFunction(() => document.querySelector('#selected-frame')?.dataset.frame === '14');
  await show_tab(page, 'resources');
  assert.equal(await page.textContent('#other-cross_thread_frees tr[data-field="blocks"] td.num'), '7');
  assert.equal(await page.textContent('#other-cross_thread_frees tr[data-field="bytes"] td.num'), '336');
});

test('a thread\'s frame and pool budgets (budgets[] rows) show as two bars, each with its percent', async () => {
  const s = structuredClone(snapshots.at(-1).json);
  const worker = s.threads.find((t) => t.name === 'physics worker');
  s.frame = 15;
  worker.budget = { limit: 16384, used: 4096, percent: 25 };
  worker.pool_budget = { limit: 1000, used: 1500, percent: 150 };
  s.budgets = s.budgets.filter((b) => !(b.scope === 'thread' && b.name === worker.id)).concat([
    { scope: 'thread', name: worker.id, kind: 'frame', used: 4096, soft_limit: 8192, hard_limit: 16384,
      soft_exceeded: 0, hard_exceeded: 0 },
    { scope: 'thread', name: worker.id, kind: 'pool', used: 1500, soft_limit: 500, hard_limit: 1000,
      soft_exceeded: 2, hard_exceeded: 1 }]);
  await drop(page, [['thread-budgets.json', JSON.stringify(s)]]);
  await page.waitForFunction(() => document.querySelector('#selected-frame')?.dataset.frame === '15');
  await show_tab(page, 'threads');
  const cell = `#thread-table tr[data-thread="${worker.id}"] [data-field="budget"]`;
  const kind = (k) => `${cell} .thread-budget[data-kind="${k}"]`;
  assert.equal(await page.textContent(`${kind('frame')} .percent`), '25 % of its limit');
  assert.equal(await page.textContent(`${kind('pool')} .percent`), '150 % of its limit');
  assert.ok(await page.$(`${kind('pool')} .bar .fill.over`), 'the pool budget is shown exceeded');
  assert.equal(await page.$(`${kind('frame')} .bar .fill.over`), null, 'the frame budget is not');
  await page.screenshot({ path: path.join(out, 'thread-budgets.png'), fullPage: true });
});

test('the page raised no error', () => {
  assert.deepEqual(browser.errors, []);
});
