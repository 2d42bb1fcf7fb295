// The tag hierarchy of one snapshot: 'render::particles' is a child of 'render'. Each node carries its
// own figures (allocations made under exactly that tag) and its subtree's (itself and every
// descendant), per kind of memory. A parent with no rows of its own still appears.
import { memory_kinds, tag_totals } from './tag_totals.js';

function empty_figures() {
  const f = {};
  for (const k of memory_kinds) f[k] = { alloc_count: 0, bytes: 0 };
  return f;
}

function node(name, path) {
  return { name, path, self: empty_figures(), subtree: empty_figures(), rows: [], children: [] };
}

function child(parent, name, path) {
  let c = parent.children.find((x) => x.name === name);
  if (!c) {
    c = node(name, path);
    parent.children.push(c);
  }
  return c;
}

function add_subtree(n) {
  for (const c of n.children) {
    add_subtree(c);
    for (const k of memory_kinds) {
      n.subtree[k].alloc_count += c.subtree[k].alloc_count;
      n.subtree[k].bytes += c.subtree[k].bytes;
    }
  }
  n.children.sort((a, b) => a.name.localeCompare(b.name));
}

// build_tag_tree(snapshot) -> root node (path ''), whose children are the top-level tags.
export function build_tag_tree(snapshot) {
  const root = node('', '');
  for (const t of tag_totals(snapshot).values()) {
    const parts = t.path.split('::');
    let n = root;
    for (let i = 0; i < parts.length; ++i) n = child(n, parts[i], parts.slice(0, i + 1).join('::'));
    n.self[t.kind] = { alloc_count: t.alloc_count, bytes: t.bytes };
    n.subtree[t.kind] = { alloc_count: t.alloc_count, bytes: t.bytes };
    n.rows.push(t);
  }
  add_subtree(root);
  return root;
}

// Depth-first list of [node, depth] for rendering, the root left out.
export function flatten(root) {
  const out = [];
  const walk = (n, depth) => {
    for (const c of n.children) {
      out.push([c, depth]);
      walk(c, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}
