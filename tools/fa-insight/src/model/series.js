// The timeline's series, one value per snapshot, in uPlot's columnar form: x = frames, then one array
// per series. Tags and threads are the union over all snapshots; a tag missing from a snapshot allocated
// nothing in that frame (0), a thread missing from one did not exist then (null: a gap, not a zero).

export const total_series = [
  { id: 'frame', label: 'frame memory', value: (d) => d.summary.frame_bytes },
  { id: 'pool_live', label: 'pool live', value: (d) => d.pool_live },
  { id: 'heap', label: 'heap live', value: (d) => d.summary.heap_bytes },
];

// The pools' footprint (slab bytes) is not a part of the total above but a bound on the pool part.
export const pool_footprint = { id: 'pool_slabs', label: 'pool slabs held', value: (d) => d.summary.pool_bytes };

export function frames_of(digests) {
  return digests.map((d) => d.frame);
}

export function totals(digests) {
  return {
    names: total_series.map((s) => s.label),
    columns: total_series.map((s) => digests.map(s.value)),
  };
}

export function by_tag(digests, kind) {
  const names = [];
  const seen = new Set();
  for (const d of digests)
    for (const path of Object.keys(d.tag_bytes[kind]))
      if (!seen.has(path)) {
        seen.add(path);
        names.push(path);
      }
  names.sort();
  return { names, columns: names.map((path) => digests.map((d) => d.tag_bytes[kind][path] ?? 0)) };
}

const thread_field = { frame: 'frame_bytes', pool: 'pool_bytes', heap: 'heap_bytes' };

export function by_thread(digests, kind) {
  const ids = [];
  const labels = new Map();
  for (const d of digests)
    for (const t of d.threads) {
      if (!labels.has(t.id)) ids.push(t.id);
      labels.set(t.id, t.name ? `${t.id} (${t.name})` : t.id);
    }
  const field = thread_field[kind];
  return {
    names: ids.map((id) => labels.get(id)),
    columns: ids.map((id) => digests.map((d) => {
      const t = d.threads.find((x) => x.id === id);
      return t ? t[field] : null;
    })),
  };
}

export const promotion_series = ['to_pool', 'to_heap', 'to_scratch', 'discarded', 'failed'];
export const transfer_series = ['pending', 'completed_this_frame'];

export function promotions(digests) {
  return { names: promotion_series, columns: promotion_series.map((k) => digests.map((d) => d.promotions[k])) };
}

export function transfers(digests) {
  return { names: transfer_series, columns: transfer_series.map((k) => digests.map((d) => d.transfers[k])) };
}
