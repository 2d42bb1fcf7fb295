// What the person has chosen: the snapshot shown in the panels, the two compared in the diff, the open
// tab, and whether the selection follows the newest snapshot as new ones arrive (on until they pick an
// older one).

export class view_state {
  constructor(store) {
    this.store = store;
    this.selected = null;   // entry id
    this.follow = true;
    this.diff = { a: null, b: null };  // entry ids; null: first and selected
    this.tab = 'tags';
    this.listeners = [];
    store.on_change(() => {
      const entries = store.entries;
      if (entries.length === 0) return;
      if (this.follow || !store.by_id.has(this.selected)) this.selected = entries[entries.length - 1].id;
    });
  }

  on_change(f) {
    this.listeners.push(f);
  }

  changed() {
    for (const f of this.listeners) f(this);
  }

  selected_entry() {
    return this.store.by_id.get(this.selected) ?? null;
  }

  selected_index() {
    const e = this.selected_entry();
    return e ? this.store.entries.indexOf(e) : -1;
  }

  select_index(i) {
    const entries = this.store.entries;
    if (i < 0 || i >= entries.length) return;
    this.selected = entries[i].id;
    this.follow = i === entries.length - 1;
    this.changed();
  }

  set_follow(on) {
    this.follow = on;
    if (on && this.store.entries.length) this.selected = this.store.entries.at(-1).id;
    this.changed();
  }

  show_tab(tab) {
    this.tab = tab;
    this.changed();
  }

  diff_entries() {
    const entries = this.store.entries;
    const a = this.store.by_id.get(this.diff.a) ?? entries[0] ?? null;
    const b = this.store.by_id.get(this.diff.b) ?? this.selected_entry() ?? entries.at(-1) ?? null;
    return { a, b };
  }
}
