// One figure per (tag, kind of memory) out of a snapshot's tag rows. Rows come per (tag, thread, kind);
// a row whose thread is "" already covers every thread, so when it exists it is the total and the
// per-thread rows only break it down (adding them would count twice). Without it the total is the sum.

export const memory_kinds = ['frame', 'pool', 'heap'];

export function tag_key(path, kind) {
  return `${path}\u0000${kind}`;
}

function first_number(rows, field) {
  for (const r of rows) if (r[field] !== null) return r[field];
  return null;
}

// tag_totals(snapshot) -> Map(tag_key -> { path, kind, alloc_count, bytes, threads, avg_lifetime_frames,
// promotion_rate, diagnostics }), in the order the tags first appear; threads lists the per-thread rows.
export function tag_totals(snapshot) {
  const groups = new Map();
  for (const row of snapshot.tags) {
    const key = tag_key(row.path, row.alloc_kind);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(row);
  }
  const totals = new Map();
  for (const [key, rows] of groups) {
    const all = rows.find((r) => r.thread === '');
    const per_thread = rows.filter((r) => r.thread !== '');
    const counted = all ? [all] : per_thread;
    const diagnostics = [];
    for (const r of rows) for (const code of r.diagnostics) if (!diagnostics.includes(code)) diagnostics.push(code);
    totals.set(key, {
      path: rows[0].path,
      kind: rows[0].alloc_kind,
      alloc_count: counted.reduce((n, r) => n + r.alloc_count, 0),
      bytes: counted.reduce((n, r) => n + r.bytes, 0),
      threads: per_thread.map((r) => ({ thread: r.thread, alloc_count: r.alloc_count, bytes: r.bytes })),
      avg_lifetime_frames: first_number(counted, 'avg_lifetime_frames'),
      promotion_rate: first_number(counted, 'promotion_rate'),
      diagnostics,
    });
  }
  return totals;
}
