// The figures of one snapshot that views over many snapshots need (timeline, budget history), kept for
// every snapshot loaded. The full snapshot is read again from its file when a view needs it, so 10 000
// snapshots cost 10 000 digests, not 10 000 parsed documents.
import { budget_key } from './budget_key.js';
import { tag_totals } from './tag_totals.js';

function budgets_of(snapshot) {
  const out = [];
  for (const b of snapshot.budgets) {
    out.push({ key: budget_key(b.scope, b.name, b.kind), scope: b.scope, name: b.name, kind: b.kind, used: b.used,
               soft_limit: b.soft_limit, hard_limit: b.hard_limit, soft_exceeded: b.soft_exceeded,
               hard_exceeded: b.hard_exceeded, limit: null });
  }
  // A thread's frame budget as threads[] reports it: one limit (not said to be soft or hard), used and
  // percent in this frame.
  for (const t of snapshot.threads) {
    if (!t.budget) continue;
    const key = budget_key('thread', t.id, 'frame');
    if (out.some((b) => b.key === key)) continue;  // budgets[] says more (soft and hard): keep that one
    out.push({ key, scope: 'thread', name: t.id, kind: 'frame', used: t.budget.used, soft_limit: null,
               hard_limit: null, limit: t.budget.limit, soft_exceeded: null, hard_exceeded: null });
  }
  return out;
}

export function digest(snapshot) {
  const tag_bytes = { frame: {}, pool: {}, heap: {} };
  for (const t of tag_totals(snapshot).values()) tag_bytes[t.kind][t.path] = t.bytes;
  let pool_live = 0;
  for (const t of snapshot.threads) pool_live += t.pool_bytes;
  return {
    frame: snapshot.frame,
    timestamp: snapshot.timestamp,
    duration_us: snapshot.duration_us,
    frame_open: snapshot.frame_open,
    summary: { ...snapshot.summary },
    pool_live,
    threads: snapshot.threads.map((t) => ({ id: t.id, name: t.name, frame_bytes: t.frame_bytes,
                                            pool_bytes: t.pool_bytes, heap_bytes: t.heap_bytes })),
    tag_bytes,
    budgets: budgets_of(snapshot),
    promotions: { ...snapshot.promotions },
    transfers: { ...snapshot.transfers },
    diagnostics: snapshot.diagnostics.map((d) => ({ code: d.code, tag: d.tag, severity: d.severity, count: d.count })),
  };
}
