// Snapshots for the unit tests, shaped as the library writes them (schema v1), with overrides.

export function make_snapshot(overrides = {}) {
  return {
    version: 2,
    timestamp: '2026-12-01T10:00:00.000Z',
    frame: 30,
    duration_us: 5000,
    frame_open: false,
    summary: { frame_bytes: 1000, pool_bytes: 65536, heap_bytes: 200, total_bytes: 66736, peak_bytes: 90000 },
    threads: [
      { id: 'thread-1', name: 'main', frame_bytes: 800, pool_bytes: 300, heap_bytes: 200, peak_bytes: 900, budget: null },
      { id: 'thread-2', name: '', frame_bytes: 200, pool_bytes: 100, heap_bytes: 0, peak_bytes: 400, budget: null },
    ],
    tags: [
      tag('physics', 'frame', 10, 600),
      tag('render', 'frame', 1, 100),
      tag('render::particles', 'frame', 2, 300),
      tag('ai::spawn', 'pool', 5, 400),
    ],
    promotions: { to_pool: 0, to_heap: 0, failed: 0, to_scratch: 0, discarded: 0 },
    transfers: { pending: 0, completed_this_frame: 1, created: 30, received: 30, dropped: 0, bytes_created: 900 },
    depot: { blocks_returned_this_frame: 64, blocks_reused_this_frame: 32, blocks_returned: 640, blocks_reused: 320 },
    diagnostics: [],
    resources: {},
    budgets: [],
    ...overrides,
  };
}

export function tag(path, alloc_kind, alloc_count, bytes, extra = {}) {
  return { path, thread: '', alloc_kind, alloc_count, bytes, avg_lifetime_frames: null, promotion_rate: null,
           diagnostics: [], ...extra };
}

export function budget(scope, name, extra = {}) {
  return { scope, name, kind: 'all', used: 0, soft_limit: 4096, hard_limit: 65536, soft_exceeded: 0,
           hard_exceeded: 0, ...extra };
}

export function text(overrides) {
  return JSON.stringify(make_snapshot(overrides));
}
