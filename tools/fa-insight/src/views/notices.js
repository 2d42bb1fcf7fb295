// One-line messages under the header: files that could not be read (always shown while there are
// some), and what just happened (a request sent, a snapshot arrived).
import { h, replace } from './dom.js';

export function mount_notices(el, ctx) {
  let message = null;
  function update() {
    const failures = ctx.store.failures.size;
    replace(el,
      failures === 0 ? null : h('div', { id: 'failure-banner', class: 'notice error' },
        `${failures} file${failures === 1 ? '' : 's'} could not be read: `,
        h('a', { href: '#files', onclick: (e) => { e.preventDefault(); ctx.state.show_tab('files'); } }, 'see Files'),
        ' (the others are shown).'),
      message === null ? null : h('div', { id: 'event-notice', class: `notice ${message.kind}` }, message.text));
  }
  return {
    update,
    say(kind, text) {
      message = { kind, text };
      update();
    },
  };
}
