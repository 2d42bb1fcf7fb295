// Promotions (retained frame values moved to the pool, the heap or a scratch pool at the end of their
// frame) and transfers (values handed between threads): per snapshot on a chart, and the selected
// snapshot's figures, lifetime counters included, with the pool depot's cross-thread traffic.
import { exact } from '../model/format.js';
import { frames_of, promotions, transfers } from '../model/series.js';
import { h, replace, table } from './dom.js';
import { full_panel } from './full_snapshot.js';
import { line_chart } from './line_chart.js';

const promotion_words = {
  to_pool: 'promoted to the pool', to_heap: 'promoted to the heap', to_scratch: 'promoted to a scratch pool',
  discarded: 'dropped by the discard policy', failed: 'could not be promoted',
};
const transfer_words = {
  pending: 'in flight (created, not yet received or dropped)', completed_this_frame: 'received in this frame',
  created: 'created, lifetime', received: 'received, lifetime', dropped: 'destroyed unreceived, lifetime',
  bytes_created: 'bytes transferred, lifetime',
};
const depot_words = {
  blocks_returned_this_frame: 'blocks thread caches handed to the pool depot in this frame',
  blocks_reused_this_frame: 'blocks taken back from the depot in this frame',
  blocks_returned: 'handed to the depot, lifetime', blocks_reused: 'taken back, lifetime',
};

function figures(id, obj, words) {
  return table({ id, class: 'grid compact' }, ['', 'count'],
    Object.keys(words).map((k) => h('tr', { 'data-field': k }, h('td', {}, words[k]),
      h('td', { class: 'num' }, obj[k] === undefined ? '—' : exact(obj[k])))));
}

// Members of an object the viewer has no words for (a field added to the schema later) are listed as
// they are rather than hidden.
function other_figures(obj) {
  return table({ class: 'grid compact' }, ['', 'value'],
    Object.entries(obj).map(([k, v]) => [k, typeof v === 'number' ? exact(v) : JSON.stringify(v)]));
}

export function mount_flow_view(el, ctx) {
  const which = h('select', { 'aria-label': 'Chart', onchange: () => draw() },
    h('option', { value: 'promotions' }, 'promotions per snapshot'), h('option', { value: 'transfers' }, 'transfers per snapshot'));
  const plot = h('div', { id: 'flow-chart', class: 'chart' });
  const details = h('div', { class: 'flow-details' });
  replace(el, h('div', { class: 'controls' }, which), plot, details);
  const chart = new line_chart(plot, { height: 180, unit: 'count', on_pick: (i) => ctx.state.select_index(i) });
  new ResizeObserver(() => chart.resize()).observe(plot);

  function draw() {
    const digests = ctx.store.digests();
    const s = which.value === 'promotions' ? promotions(digests) : transfers(digests);
    chart.set_data(frames_of(digests), s.names, s.columns, false);
    chart.set_selected(ctx.state.selected_index());
  }

  const show = full_panel(details, ctx, (snapshot) => {
    const object = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : null);
    const depot = object(snapshot.depot);         // version 2: the pool's cross-thread traffic
    const deferred = object(snapshot.deferred);   // version 1: zeros (no such queue in framealloc)
    replace(details,
      h('div', { class: 'columns' },
        h('div', {}, h('h3', {}, 'Promotions in this frame'), figures('promotion-table', snapshot.promotions, promotion_words),
          other_keys(snapshot.promotions, promotion_words)),
        h('div', {}, h('h3', {}, 'Transfers'), figures('transfer-table', snapshot.transfers, transfer_words),
          other_keys(snapshot.transfers, transfer_words)),
        depot ? h('div', {}, h('h3', {}, 'Cross-thread frees (pool depot)'), figures('depot-table', depot, depot_words),
          other_keys(depot, depot_words)) : null,
        deferred ? h('div', {}, h('h3', {}, 'Cross-thread frees (deferred)'), other_figures(deferred)) : null));
  });

  function other_keys(obj, words) {
    const extra = Object.fromEntries(Object.entries(obj).filter(([k]) => !(k in words)));
    return Object.keys(extra).length ? other_figures(extra) : null;
  }

  return {
    update() {
      draw();
      show();
    },
    resize: () => chart.resize(),
  };
}
