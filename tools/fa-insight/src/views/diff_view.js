// Two snapshots side by side: every figure of A, of B and the change from A to B, for the totals, each
// tag and kind of memory, each thread, each budget, promotions and transfers, and which diagnostics came
// or went. A defaults to the first snapshot and B to the selected one.
import { diff_snapshots } from '../model/diff.js';
import { exact, signed } from '../model/format.js';
import { h, replace, table } from './dom.js';

function delta_cell(r, field) {
  const cls = r.delta === null ? 'num na' : r.delta > 0 ? 'num up' : r.delta < 0 ? 'num down' : 'num';
  return h('td', { class: cls, 'data-field': field, 'data-delta': r.delta === null ? '' : r.delta },
    r.delta === null ? (r.a === null ? 'new' : 'gone') : signed(r.delta));
}

function value_rows(rows, words = {}) {
  return rows.map((r) => h('tr', { 'data-key': r.key }, h('td', {}, words[r.key] ?? r.key),
    h('td', { class: 'num' }, exact(r.a)), h('td', { class: 'num' }, exact(r.b)), delta_cell(r, 'delta')));
}

// A snapshot is picked by its frame number (a list of 10 000 files would be slow to build and to use);
// the nearest snapshot at or before it is taken.
function picker(id, label, ctx, chosen, on) {
  const entries = ctx.store.entries;
  const pick = (frame) => {
    let best = entries[0];
    for (const e of entries) if (e.digest.frame <= frame) best = e;
    on(best.id);
  };
  return h('span', { class: 'picker' }, h('label', {}, `${label}: frame `,
    h('input', { id, type: 'number', value: chosen.digest.frame, min: entries[0].digest.frame, max: entries.at(-1).digest.frame,
                 onchange: (e) => pick(Number(e.target.value)) })),
    h('button', { type: 'button', onclick: () => on(ctx.state.selected) }, 'use selected'),
    h('span', { class: 'meta', id: `${id}-file` }, chosen.name));
}

export function mount_diff_view(el, ctx) {
  let token = 0;
  async function update() {
    const mine = ++token;
    const { a, b } = ctx.state.diff_entries();
    if (!a || !b) {
      replace(el, h('p', { class: 'empty' }, 'The diff needs two snapshots.'));
      return;
    }
    let sa;
    let sb;
    try {
      [sa, sb] = await Promise.all([ctx.store.full(a), ctx.store.full(b)]);
    } catch (e) {
      if (mine === token) replace(el, h('p', { class: 'error' }, `Cannot compare: ${e.message}`));
      return;
    }
    if (mine !== token) return;
    const d = diff_snapshots(sa, sb);
    const set = (side) => (id) => {
      ctx.state.diff[side] = id;
      ctx.state.changed();
    };
    const head = ['', `A: frame ${d.frames.a}`, `B: frame ${d.frames.b}`, 'B − A'];
    replace(el,
      h('div', { class: 'controls' }, picker('diff-a', 'A', ctx, a, set('a')), picker('diff-b', 'B', ctx, b, set('b')),
        h('button', { type: 'button', onclick: () => { ctx.state.diff = { a: b.id, b: a.id }; ctx.state.changed(); } }, 'Swap')),
      h('h3', {}, 'Totals'),
      table({ id: 'diff-summary', class: 'grid compact' }, head, value_rows(d.summary)),
      h('h3', {}, 'Tags'),
      table({ id: 'diff-tags', class: 'grid compact' }, ['tag', 'memory', 'A bytes', 'B bytes', 'bytes B − A', 'A allocs',
                                                        'B allocs', 'allocs B − A'],
        d.tags.map((t) => h('tr', { 'data-path': t.path, 'data-kind': t.kind }, h('td', {}, t.path), h('td', {}, t.kind),
          h('td', { class: 'num' }, exact(t.bytes.a)), h('td', { class: 'num' }, exact(t.bytes.b)), delta_cell(t.bytes, 'bytes'),
          h('td', { class: 'num' }, exact(t.alloc_count.a)), h('td', { class: 'num' }, exact(t.alloc_count.b)),
          delta_cell(t.alloc_count, 'alloc_count')))),
      h('h3', {}, 'Threads'),
      table({ id: 'diff-threads', class: 'grid compact' }, ['thread', 'frame B − A', 'pool live B − A', 'heap live B − A'],
        d.threads.map((t) => h('tr', { 'data-thread': t.id }, h('td', {}, t.id), delta_cell(t.frame_bytes, 'frame_bytes'),
          delta_cell(t.pool_bytes, 'pool_bytes'), delta_cell(t.heap_bytes, 'heap_bytes')))),
      d.budgets.length === 0 ? null : [h('h3', {}, 'Budgets'),
        table({ id: 'diff-budgets', class: 'grid compact' }, ['budget', 'used B − A', 'soft crossings B − A', 'hard crossings B − A'],
          d.budgets.map((x) => h('tr', {}, h('td', {}, x.budget), delta_cell(x.used, 'used'),
            delta_cell(x.soft_exceeded, 'soft_exceeded'), delta_cell(x.hard_exceeded, 'hard_exceeded'))))],
      h('div', { class: 'columns' },
        h('div', {}, h('h3', {}, 'Promotions'), table({ id: 'diff-promotions', class: 'grid compact' }, head, value_rows(d.promotions))),
        h('div', {}, h('h3', {}, 'Transfers'), table({ id: 'diff-transfers', class: 'grid compact' }, head, value_rows(d.transfers)))),
      h('h3', {}, 'Diagnostics'),
      h('ul', { id: 'diff-diagnostics' },
        d.diagnostics.added.map((x) => h('li', { class: 'up' }, `new in B: ${x.code}${x.tag ? ` (${x.tag})` : ''}`)),
        d.diagnostics.gone.map((x) => h('li', { class: 'down' }, `gone in B: ${x.code}${x.tag ? ` (${x.tag})` : ''}`)),
        d.diagnostics.changed.map((x) => h('li', {}, `${x.code}${x.tag ? ` (${x.tag})` : ''}: ${x.count.a} → ${x.count.b} occurrences`)),
        d.diagnostics.added.length + d.diagnostics.gone.length + d.diagnostics.changed.length === 0 ? h('li', { class: 'na' }, 'no change') : null));
  }
  return { update };
}
