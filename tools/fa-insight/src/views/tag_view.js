// The tag tree of the selected snapshot: each tag's allocations in this frame per kind of memory (its
// own, and its subtree's), lifetime and promotion figures when the library measured them, its budget as
// a bar with the soft and hard limits and the frames it crossed them, and the codes raised against it.
import { budget_key } from '../model/budget_key.js';
import { exact, optional } from '../model/format.js';
import { memory_kinds } from '../model/tag_totals.js';
import { build_tag_tree, flatten } from '../model/tag_tree.js';
import { budget_bar } from './budget_bar.js';
import { h, replace, table } from './dom.js';
import { full_panel } from './full_snapshot.js';

function figure_cell(kind, f) {
  return h('td', { class: 'num', 'data-field': `${kind}_bytes`, 'data-bytes': f.bytes, 'data-count': f.alloc_count },
    f.alloc_count === 0 && f.bytes === 0 ? '' : [h('span', { class: 'bytes' }, `${exact(f.bytes)} B`),
                                                  h('span', { class: 'count' }, ` (${exact(f.alloc_count)})`)]);
}

function tag_budgets(snapshot, path, history) {
  return snapshot.budgets.filter((b) => b.scope === 'tag' && b.name === path)
    .map((b) => h('div', { class: 'tag-budget', 'data-kind': b.kind },
      b.kind === 'all' ? null : h('span', { class: 'budget-kind' }, `${b.kind}: `),
      budget_bar(b, history.get(budget_key(b.scope, b.name, b.kind)) ?? null)));
}

function lifetimes(n) {
  const rows = n.rows.filter((r) => r.avg_lifetime_frames !== null || r.promotion_rate !== null);
  if (rows.length === 0) return [h('td', { class: 'na', 'data-field': 'avg_lifetime_frames' }, '—'),
                                 h('td', { class: 'na', 'data-field': 'promotion_rate' }, '—')];
  const list = (field, digits) => rows.filter((r) => r[field] !== null)
    .map((r) => h('div', {}, `${r.kind}: ${optional(r[field], digits)}`));
  return [h('td', { class: 'num', 'data-field': 'avg_lifetime_frames' }, list('avg_lifetime_frames', 1)),
          h('td', { class: 'num', 'data-field': 'promotion_rate' }, list('promotion_rate', 3))];
}

export function mount_tag_view(el, ctx) {
  const update = full_panel(el, ctx, (snapshot) => {
    const history = ctx.history();
    const root = build_tag_tree(snapshot);
    const global = snapshot.budgets.filter((b) => b.scope === 'global');
    const rows = flatten(root).map(([n, depth]) => {
      // Codes the tag rows carry, and diagnostics of the snapshot that name this tag.
      const codes = [...new Set([...n.rows.flatMap((r) => r.diagnostics),
                                 ...snapshot.diagnostics.filter((d) => d.tag === n.path).map((d) => d.code)])];
      const subtree = memory_kinds.reduce((s, k) => s + n.subtree[k].bytes, 0);
      return h('tr', { 'data-path': n.path },
        h('td', { class: 'tag', style: { paddingLeft: `${0.4 + depth * 1.2}em` }, title: n.path }, n.name),
        memory_kinds.map((k) => figure_cell(k, n.self[k])),
        h('td', { class: 'num', 'data-field': 'subtree_bytes' }, `${exact(subtree)} B`),
        lifetimes(n),
        h('td', { 'data-field': 'budget' }, tag_budgets(snapshot, n.path, history)),
        h('td', { 'data-field': 'diagnostics' }, codes.map((c) => h('span', { class: 'code', title: ctx.codes.title(c) }, c))));
    });
    replace(el,
      global.length === 0 ? null : h('div', { class: 'global-budget' }, h('h3', {}, 'Global budget'),
        global.map((b) => budget_bar(b, history.get(budget_key(b.scope, b.name, b.kind)) ?? null))),
      rows.length === 0 ? h('p', { class: 'empty' }, 'No tagged allocations in this frame.') :
        table({ id: 'tag-tree', class: 'grid' },
          ['tag', 'frame (allocs)', 'pool (allocs)', 'heap (allocs)', 'with children', 'avg lifetime (frames)',
           'promotion rate', 'budget', 'codes'], rows),
      h('p', { class: 'note' }, 'Bytes and allocation counts of the frame this snapshot describes; "with children" adds ' +
        'every nested tag. Budgets: the fill is what is used now, the amber mark the soft limit, the red mark the hard one.'));
  });
  return { update };
}
