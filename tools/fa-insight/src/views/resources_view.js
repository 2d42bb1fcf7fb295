// The resources' own figures as the library's stats() report them (frame arenas, pools, tracked heap),
// and any other object in the snapshot the viewer has no view for: a field added to the schema later is
// shown as it is rather than hidden.
import { exact } from '../model/format.js';
import { h, replace, table } from './dom.js';
import { full_panel } from './full_snapshot.js';

const shown_elsewhere = new Set(['version', 'timestamp', 'frame', 'duration_us', 'frame_open', 'summary', 'threads', 'tags',
                                 'promotions', 'transfers', 'deferred', 'depot', 'diagnostics', 'budgets', 'resources']);

const titles = { frame: 'Frame arenas', pool: 'Pools', heap: 'Tracked heap' };

function figures(id, obj) {
  return table({ id, class: 'grid compact' }, ['', 'value'],
    Object.entries(obj).map(([k, v]) => h('tr', { 'data-field': k }, h('td', {}, k),
      h('td', { class: 'num' }, typeof v === 'number' ? exact(v) : JSON.stringify(v)))));
}

export function mount_resources_view(el, ctx) {
  const update = full_panel(el, ctx, (snapshot) => {
    const resources = snapshot.resources && typeof snapshot.resources === 'object' ? snapshot.resources : {};
    const others = Object.entries(snapshot).filter(([k, v]) => !shown_elsewhere.has(k) && v !== null && typeof v === 'object');
    replace(el,
      h('div', { class: 'columns' }, Object.entries(resources).map(([k, v]) => h('div', {},
        h('h3', {}, titles[k] ?? k), v !== null && typeof v === 'object' ? figures(`resource-${k}`, v) : String(v)))),
      others.length === 0 ? null : [h('h3', {}, 'Other figures in this snapshot'),
        h('div', { class: 'columns' }, others.map(([k, v]) => h('div', {}, h('h4', {}, k), figures(`other-${k}`, v))))],
      h('p', { class: 'note' }, 'As the resources report them: bytes reserved from upstream, chunks and slabs held, ' +
        'lifetime counts of upstream calls.'));
  });
  return { update };
}
