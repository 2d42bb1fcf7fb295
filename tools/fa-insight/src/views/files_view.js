// Every file the page tried to read: those it could not, each with the reason, and those it read.
import { h, replace, table } from './dom.js';

const shown = 500;

export function mount_files_view(el, ctx) {
  function update() {
    const { store } = ctx;
    const failures = [...store.failures.values()].sort((a, b) => a.name.localeCompare(b.name));
    const entries = store.entries;
    replace(el,
      h('h3', {}, `Could not be read (${failures.length})`),
      failures.length === 0 ? h('p', { class: 'empty' }, 'Every file was read.') :
        table({ id: 'file-errors', class: 'grid compact' }, ['file', 'source', 'why'],
          failures.map((f) => h('tr', { 'data-file': f.name }, h('td', {}, f.name), h('td', {}, f.origin),
            h('td', { class: 'error' }, f.error)))),
      h('h3', {}, `Read (${entries.length})`),
      table({ id: 'file-list', class: 'grid compact' }, ['file', 'source', 'frame', 'taken'],
        entries.slice(-shown).map((e) => h('tr', { 'data-file': e.name }, h('td', {}, e.removed ? `${e.name} (deleted since)` : e.name),
          h('td', {}, e.origin), h('td', { class: 'num' }, String(e.digest.frame)), h('td', {}, e.digest.timestamp)))),
      entries.length > shown ? h('p', { class: 'note' }, `The newest ${shown} of ${entries.length} are listed.`) : null);
  }
  return { update };
}
