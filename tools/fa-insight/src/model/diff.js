// Differences between two snapshots (a -> b): what a person compares when a frame looks worse than
// another. Every figure is a row { key, a, b, delta }; a side that lacks the row has null there.
import { tag_totals } from './tag_totals.js';

function row(key, a, b) {
  const delta = a === null || b === null ? null : b - a;
  return { key, a, b, delta };
}

function fields(a, b, names) {
  return names.map((n) => row(n, a[n] ?? null, b[n] ?? null));
}

function keyed(a_items, b_items, key_of, value_of) {
  const a = new Map(a_items.map((x) => [key_of(x), x]));
  const b = new Map(b_items.map((x) => [key_of(x), x]));
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys.map((k) => ({ key: k, a: a.has(k) ? value_of(a.get(k)) : null, b: b.has(k) ? value_of(b.get(k)) : null }));
}

function tags(a, b) {
  const ta = tag_totals(a);
  const tb = tag_totals(b);
  const keys = [...new Set([...ta.keys(), ...tb.keys()])];
  const rows = keys.map((k) => {
    const x = ta.get(k);
    const y = tb.get(k);
    const any = x ?? y;
    return {
      path: any.path,
      kind: any.kind,
      bytes: row('bytes', x ? x.bytes : null, y ? y.bytes : null),
      alloc_count: row('alloc_count', x ? x.alloc_count : null, y ? y.alloc_count : null),
    };
  });
  return rows.sort((p, q) => p.path.localeCompare(q.path) || p.kind.localeCompare(q.kind));
}

function threads(a, b) {
  return keyed(a.threads, b.threads, (t) => t.id, (t) => t).map(({ key, a: x, b: y }) => ({
    id: key,
    frame_bytes: row('frame_bytes', x ? x.frame_bytes : null, y ? y.frame_bytes : null),
    pool_bytes: row('pool_bytes', x ? x.pool_bytes : null, y ? y.pool_bytes : null),
    heap_bytes: row('heap_bytes', x ? x.heap_bytes : null, y ? y.heap_bytes : null),
  }));
}

function budgets(a, b) {
  const key = (x) => `${x.scope} ${x.name} ${x.kind}`;
  return keyed(a.budgets, b.budgets, key, (x) => x).map(({ key: k, a: x, b: y }) => ({
    budget: k,
    used: row('used', x ? x.used : null, y ? y.used : null),
    soft_exceeded: row('soft_exceeded', x ? x.soft_exceeded : null, y ? y.soft_exceeded : null),
    hard_exceeded: row('hard_exceeded', x ? x.hard_exceeded : null, y ? y.hard_exceeded : null),
  }));
}

function diagnostics(a, b) {
  const key = (d) => `${d.code} ${d.tag ?? ''}`;
  const rows = keyed(a.diagnostics, b.diagnostics, key, (d) => d);
  return {
    added: rows.filter((r) => r.a === null).map((r) => r.b),
    gone: rows.filter((r) => r.b === null).map((r) => r.a),
    changed: rows.filter((r) => r.a !== null && r.b !== null && r.a.count !== r.b.count)
      .map((r) => ({ code: r.a.code, tag: r.a.tag, count: row('count', r.a.count, r.b.count) })),
  };
}

export function diff_snapshots(a, b) {
  return {
    frames: row('frame', a.frame, b.frame),
    summary: fields(a.summary, b.summary, ['frame_bytes', 'pool_bytes', 'heap_bytes', 'total_bytes', 'peak_bytes']),
    tags: tags(a, b),
    threads: threads(a, b),
    budgets: budgets(a, b),
    promotions: fields(a.promotions, b.promotions, ['to_pool', 'to_heap', 'to_scratch', 'discarded', 'failed']),
    transfers: fields(a.transfers, b.transfers, ['pending', 'completed_this_frame', 'created', 'received', 'dropped',
                                                 'bytes_created']),
    diagnostics: diagnostics(a, b),
  };
}
