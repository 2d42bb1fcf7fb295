// The timeline over frames: one point per snapshot. Totals (frame memory, pool live, heap live), or the
// same split per tag or per thread for one kind of memory; stacked or as lines. Budget crossings are
// marked on the top edge and listed under the chart; clicking a point selects that snapshot.
import { crossing_marks } from '../model/crossings.js';
import { by_tag, by_thread, frames_of, totals } from '../model/series.js';
import { h, replace } from './dom.js';
import { line_chart } from './line_chart.js';

// Crossings listed as buttons under the chart; the chart marks every one.
const chips_shown = 12;

export function mount_timeline(el, ctx) {
  const choice = { split: 'totals', kind: 'frame', stacked: true };
  const split = h('select', { id: 'timeline-split', 'aria-label': 'Split', onchange: (e) => { choice.split = e.target.value; update(); } },
    h('option', { value: 'totals' }, 'Totals'), h('option', { value: 'tag' }, 'Per tag'),
    h('option', { value: 'thread' }, 'Per thread'));
  const kind = h('select', { id: 'timeline-kind', 'aria-label': 'Memory', onchange: (e) => { choice.kind = e.target.value; update(); } },
    h('option', { value: 'frame' }, 'frame memory'), h('option', { value: 'pool' }, 'pool'), h('option', { value: 'heap' }, 'heap'));
  const stacked = h('input', { type: 'checkbox', id: 'timeline-stacked', checked: true,
                               onchange: (e) => { choice.stacked = e.target.checked; update(); } });
  const reset = h('button', { type: 'button', onclick: () => chart.reset_zoom() }, 'Zoom out');
  const plot = h('div', { id: 'timeline-chart', class: 'chart' });
  const marks = h('div', { id: 'timeline-crossings', class: 'marks' });
  replace(el,
    h('div', { class: 'controls' }, h('h2', {}, 'Timeline'), split, kind, h('label', {}, stacked, ' stacked'), reset,
      h('span', { class: 'hint' }, 'drag to zoom · double-click to zoom out · click a point to select it')),
    plot, marks);
  const chart = new line_chart(plot, { height: 260, unit: 'bytes', on_pick: (i) => ctx.state.select_index(i) });
  ctx.timeline = chart;
  new ResizeObserver(() => chart.resize()).observe(plot);

  function series(digests) {
    if (choice.split === 'tag') return by_tag(digests, choice.kind);
    if (choice.split === 'thread') return by_thread(digests, choice.kind);
    return totals(digests);
  }

  function update() {
    kind.disabled = choice.split === 'totals';
    const digests = ctx.store.digests();
    const { names, columns } = series(digests);
    chart.set_data(frames_of(digests), names, columns, choice.stacked);
    const m = crossing_marks(ctx.history());
    chart.set_marks(m);
    chart.set_selected(ctx.state.selected_index());
    replace(marks, m.length === 0 ? null : [
      h('span', { class: 'label' }, 'Budget crossings:'),
      m.slice(0, chips_shown).map((x) => h('button', { type: 'button', class: `mark-chip ${x.level}`, 'data-frame': x.frame, title: x.details.join('\n'),
                                 onclick: () => ctx.state.select_index(ctx.store.index_of_frame(x.frame)) },
        `frame ${x.frame}: ${x.labels.join(', ')}`)),
      m.length > chips_shown ? h('span', { class: 'hint' }, `and ${m.length - chips_shown} more (all marked on the chart)`) : null,
    ]);
  }
  return { update };
}
