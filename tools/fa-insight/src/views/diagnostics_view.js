// Diagnostics of the selected snapshot (behaviour filter, budgets), each with what the code means and
// how to fix it from the library's code registry, and every code seen across all snapshots.
import { h, replace, table } from './dom.js';
import { full_panel } from './full_snapshot.js';

function seen_everywhere(digests) {
  const seen = new Map();
  for (const d of digests)
    for (const x of d.diagnostics) {
      const s = seen.get(x.code) ?? { code: x.code, snapshots: 0, first: d.frame, last: d.frame };
      s.snapshots += 1;
      s.last = d.frame;
      seen.set(x.code, s);
    }
  return [...seen.values()].sort((a, b) => a.code.localeCompare(b.code));
}

function explanation(ctx, code) {
  const entry = ctx.codes.find(code);
  if (!entry) return h('div', { class: 'explain unknown' }, ctx.codes.available
    ? `${code} is not in this viewer's code registry (a newer library?).`
    : 'The code registry was not built into this page: explanations are unavailable.');
  return h('div', { class: 'explain' },
    h('div', { class: 'title' }, entry.title),
    h('p', { class: 'explanation' }, entry.explanation),
    h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), entry.hint));
}

export function mount_diagnostics_view(el, ctx) {
  const update = full_panel(el, ctx, (snapshot) => {
    const all = seen_everywhere(ctx.store.digests());
    replace(el,
      h('h3', {}, 'In this snapshot'),
      snapshot.diagnostics.length === 0 ? h('p', { class: 'empty' }, 'No diagnostics in this snapshot.') :
        h('ul', { id: 'diagnostic-list', class: 'diagnostics' }, snapshot.diagnostics.map((d) =>
          h('li', { class: `diagnostic ${d.severity}`, 'data-code': d.code },
            h('div', { class: 'head' },
              h('span', { class: 'code' }, d.code), h('span', { class: 'severity' }, d.severity),
              d.tag === null ? null : h('span', { class: 'tag' }, `tag ${d.tag}`),
              h('span', { class: 'count' }, d.count === 1 ? 'once' : `${d.count} times`)),
            h('div', { class: 'message' }, d.message),
            explanation(ctx, d.code)))),
      h('h3', {}, 'Across all snapshots'),
      all.length === 0 ? h('p', { class: 'empty' }, 'No diagnostics in any snapshot.') :
        table({ id: 'diagnostic-summary', class: 'grid compact' }, ['code', 'title', 'snapshots', 'first frame', 'last frame'],
          all.map((s) => h('tr', { 'data-code': s.code }, h('td', {}, s.code), h('td', {}, ctx.codes.title(s.code)),
            h('td', { class: 'num' }, String(s.snapshots)), h('td', { class: 'num' }, String(s.first)),
            h('td', { class: 'num' }, String(s.last))))));
  });
  return { update };
}
