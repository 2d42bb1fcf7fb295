// Panels that show one whole snapshot read it through the store, which may have to fetch it again. A
// newer request wins: a slow read of an older selection never overwrites the current one.
import { h, replace } from './dom.js';

export function full_panel(el, ctx, render) {
  let token = 0;
  return async function update(entry = ctx.state.selected_entry()) {
    const mine = ++token;
    if (!entry) {
      replace(el, h('p', { class: 'empty' }, 'No snapshot selected.'));
      return;
    }
    let snapshot;
    try {
      snapshot = await ctx.store.full(entry);
    } catch (e) {
      if (mine === token) replace(el, h('p', { class: 'error' }, `Cannot show this snapshot: ${e.message}`));
      return;
    }
    if (mine === token) render(snapshot, entry);
  };
}
