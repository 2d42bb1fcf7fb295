// Threads of the selected snapshot: frame memory in this frame, live pool and heap bytes, the largest
// frame so far, and the thread's frame and pool budgets (bars and the frames they went over) when it has them.
import { budget_key } from '../model/budget_key.js';
import { exact } from '../model/format.js';
import { budget_bar } from './budget_bar.js';
import { h, replace, table } from './dom.js';
import { full_panel } from './full_snapshot.js';

// The thread's budgets: the rows of budgets[] for it (frame and pool, with soft and hard limits and their
// crossings) with the percent of threads[].budget / pool_budget, else threads[].budget alone (the Rust
// schema's one figure).
function budgets_of(snapshot, t, history) {
  const usage = { frame: t.budget ?? null, pool: t.pool_budget ?? null };
  const percent = (u) => (u ? h('div', { class: 'percent' }, `${u.percent} % of its limit`) : null);
  const listed = snapshot.budgets.filter((b) => b.scope === 'thread' && b.name === t.id)
    .map((b) => h('div', { class: 'thread-budget', 'data-kind': b.kind },
      h('span', { class: 'budget-kind' }, `${b.kind}: `),
      budget_bar(b, history.get(budget_key('thread', t.id, b.kind)) ?? null),
      percent(usage[b.kind])));
  if (listed.length) return listed;
  if (!t.budget) return h('span', { class: 'na' }, 'no budget');
  const b = { used: t.budget.used, soft_limit: null, hard_limit: null, limit: t.budget.limit };
  return [budget_bar(b, history.get(budget_key('thread', t.id, 'frame')) ?? null), percent(t.budget)];
}

export function mount_thread_view(el, ctx) {
  const update = full_panel(el, ctx, (snapshot) => {
    const history = ctx.history();
    const cell = (field, v) => h('td', { class: 'num', 'data-field': field, 'data-bytes': v }, `${exact(v)} B`);
    replace(el, snapshot.threads.length === 0 ? h('p', { class: 'empty' }, 'No threads in this snapshot.') :
      table({ id: 'thread-table', class: 'grid' },
        ['thread', 'name', 'frame memory', 'pool live', 'heap live', 'largest frame', 'budgets'],
        snapshot.threads.map((t) => h('tr', { 'data-thread': t.id },
          h('td', {}, t.id), h('td', {}, t.name || h('span', { class: 'na' }, 'unnamed')),
          cell('frame_bytes', t.frame_bytes), cell('pool_bytes', t.pool_bytes), cell('heap_bytes', t.heap_bytes),
          cell('peak_bytes', t.peak_bytes), h('td', { 'data-field': 'budget' }, budgets_of(snapshot, t, history))))),
    h('p', { class: 'note' }, 'Pool and heap bytes are live bytes the thread allocated minus those it freed (a block ' +
      'freed by another thread counts there).'));
  });
  return { update };
}
