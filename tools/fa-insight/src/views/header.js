// The top bar: where the snapshots come from, whether the page follows a directory live, the button that
// asks the running program for a snapshot, and the file chooser for snapshot files on disk.
import { h, replace } from './dom.js';

export function mount_header(el, ctx, { on_files }) {
  const status = h('span', { id: 'live-status', 'data-state': 'offline' }, 'offline');
  const source = h('span', { id: 'source' }, 'no directory: drop snapshot files on the page');
  const request = h('button', { type: 'button', id: 'request-snapshot', hidden: true, onclick: () => ctx.request_snapshot() },
    'Request snapshot');
  const request_state = h('span', { id: 'request-state', class: 'hint' });
  const chooser = h('input', { type: 'file', id: 'open-files', multiple: true, accept: '.json,application/json',
                               onchange: (e) => on_files(e.target.files) });
  replace(el, h('h1', {}, 'fa-insight'), source, status, request, request_state,
    h('label', { class: 'open' }, 'Open files… ', chooser));
  return {
    set_server(server) {
      source.textContent = server.directory;
      source.title = `snapshots in ${server.directory}`;
      request.hidden = false;
      request.title = `creates ${server.directory}/${server.request_file}: the program writes a snapshot at its next frame`;
    },
    // The last request: pending until the program writes the snapshot it asked for.
    set_request(text) {
      request_state.textContent = text ? `request: ${text}` : '';
    },
    set_status(state, text) {
      status.dataset.state = state;
      status.textContent = text;
    },
  };
}
