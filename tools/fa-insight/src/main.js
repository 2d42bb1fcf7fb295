// fa-insight's page: wires the snapshot store, the sources (the served directory, dropped files) and the
// views, and redraws at most once per animation frame whatever arrives.
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { make_code_registry } from './code_registry.js';
import { budget_history } from './model/crossings.js';
import { snapshot_store } from './model/snapshot_store.js';
import { accept_drops, add_files } from './sources/file_source.js';
import { connect_server } from './sources/server_source.js';
import { view_state } from './state.js';
import { h, replace } from './views/dom.js';
import { mount_diagnostics_view } from './views/diagnostics_view.js';
import { mount_diff_view } from './views/diff_view.js';
import { mount_files_view } from './views/files_view.js';
import { mount_flow_view } from './views/flow_view.js';
import { mount_header } from './views/header.js';
import { mount_notices } from './views/notices.js';
import { mount_resources_view } from './views/resources_view.js';
import { mount_selection } from './views/selection.js';
import { mount_tag_view } from './views/tag_view.js';
import { mount_thread_view } from './views/thread_view.js';
import { mount_timeline } from './views/timeline.js';

const $ = (id) => document.getElementById(id);

const store = new snapshot_store();
const state = new view_state(store);
let history_cache = { revision: -1, value: null };
const ctx = {
  store,
  state,
  codes: make_code_registry(),
  // Budget history over all snapshots, computed once per change of the store.
  history() {
    if (history_cache.revision !== store.revision) history_cache = { revision: store.revision, value: budget_history(store.digests()) };
    return history_cache.value;
  },
  request_snapshot: async () => {},
};

const tabs = [
  ['tags', 'Tags', mount_tag_view],
  ['threads', 'Threads', mount_thread_view],
  ['flow', 'Promotions & transfers', mount_flow_view],
  ['resources', 'Resources', mount_resources_view],
  ['diagnostics', 'Diagnostics', mount_diagnostics_view],
  ['diff', 'Diff', mount_diff_view],
  ['files', 'Files', mount_files_view],
];
const panels = new Map();
const tab_buttons = new Map();
for (const [id, label, mount] of tabs) {
  const panel = h('section', { id: `panel-${id}`, class: 'panel', role: 'tabpanel', hidden: true });
  $('panels').append(panel);
  panels.set(id, mount(panel, ctx));
  const button = h('button', { type: 'button', role: 'tab', id: `tab-${id}`, onclick: () => state.show_tab(id) }, label);
  tab_buttons.set(id, button);
}
replace($('tabs'), [...tab_buttons.values()]);

const on_files = async (files) => {
  const { read, skipped } = await add_files(store, files);
  notices.say('info', `Opened ${read} file${read === 1 ? '' : 's'}${skipped ? ` (${skipped} not ending in .json skipped)` : ''}.`);
};
const header = mount_header($('header'), ctx, { on_files });
const notices = mount_notices($('notices'), ctx);
const timeline = mount_timeline($('timeline'), ctx);
const selection = mount_selection($('selection'), ctx);
accept_drops(document.body, $('drop-overlay'), on_files);

let scheduled = false;
function redraw() {
  scheduled = false;
  timeline.update();
  selection.update();
  notices.update();
  for (const [id, button] of tab_buttons) {
    const active = id === state.tab;
    button.setAttribute('aria-selected', String(active));
    $(`panel-${id}`).hidden = !active;
  }
  tab_buttons.get('files').textContent = store.failures.size ? `Files (${store.failures.size} unreadable)` : 'Files';
  panels.get(state.tab).update();
}
function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(redraw);
}
store.on_change(schedule);
state.on_change(schedule);
schedule();

// Scripting and tests read the page's state here (documented in docs/insight.md).
window.fa_insight = { store, state, ctx };

function on_status(s) {
  if (s.state === 'live') header.set_status('live', 'live: following the directory');
  else if (s.state === 'reconnecting') header.set_status('reconnecting', 'connection lost: reconnecting…');
  else if (s.state === 'loading') header.set_status('loading', `loading ${s.done} of ${s.total} files…`);
  else if (s.state === 'loaded') {
    header.set_status('live', 'live: following the directory');
    window.fa_insight.load_ms = s.ms;
  } else if (s.state === 'error') notices.say('error', s.message);
  else if (s.state === 'arrived') {
    const e = store.entries.find((x) => x.name === s.name && x.origin === 'dir');
    const what = e ? `frame ${e.digest.frame} (${s.name})` : s.name;
    notices.say('info', `${s.requested ? 'Requested snapshot arrived' : 'New snapshot'}: ${what}`);
    if (s.requested) header.set_request(`answered: frame ${e ? e.digest.frame : s.name}`);
  }
}

// The served directory, when there is a server (the page opened from disk has none).
async function start() {
  const server = await connect_server(store, on_status);
  if (server) {
    header.set_server(server);
    ctx.request_snapshot = async () => {
      header.set_request('waiting for the program…');
      try {
        await server.request();
      } catch (e) {
        header.set_request('');
        notices.say('error', `The request failed: ${e.message}`);
      }
    };
  } else {
    header.set_status('offline', 'offline: drop snapshot files or open them');
  }
  window.fa_insight.ready = true;
}
start();
