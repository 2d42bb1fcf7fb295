// The snapshot the panels below show: its frame, time and file, buttons to step through the snapshots,
// and whether the selection follows the newest one.
import { h, replace } from './dom.js';

export function mount_selection(el, ctx) {
  function update() {
    const { store, state } = ctx;
    const e = state.selected_entry();
    const i = state.selected_index();
    const n = store.entries.length;
    if (!e) {
      replace(el, h('p', { class: 'empty' }, n === 0 && store.failures.size === 0
        ? 'No snapshots yet. Run the program with snapshots on, press "Request snapshot", or drop snapshot files here.'
        : 'No readable snapshot: see Files.'));
      return;
    }
    const d = e.digest;
    replace(el,
      h('button', { type: 'button', 'aria-label': 'Previous snapshot', disabled: i <= 0, onclick: () => state.select_index(i - 1) }, '◀'),
      h('input', { type: 'range', min: 0, max: n - 1, value: i, 'aria-label': 'Snapshot',
                   oninput: (ev) => state.select_index(Number(ev.target.value)) }),
      h('button', { type: 'button', 'aria-label': 'Next snapshot', disabled: i >= n - 1, onclick: () => state.select_index(i + 1) }, '▶'),
      h('span', { id: 'selected-frame', class: 'frame', 'data-frame': d.frame }, `frame ${d.frame}`),
      h('span', { class: 'meta' }, `${i + 1} of ${n} · ${d.timestamp || 'no time'} · ${d.duration_us === null ? '' : `${d.duration_us} µs`}` +
        `${d.frame_open ? ' · taken inside an open frame (partial figures)' : ''} · ${e.name}${e.removed ? ' (since deleted)' : ''}`),
      h('label', { class: 'follow' }, h('input', { type: 'checkbox', id: 'follow-newest', checked: state.follow,
                                                    onchange: (ev) => state.set_follow(ev.target.checked) }), ' follow newest'));
  }
  return { update };
}
