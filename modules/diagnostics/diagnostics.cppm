// framealloc.diagnostics: seeing into memory. Tags, exact per-thread and per-tag statistics, global /
// per-tag / per-thread-pool budgets, the behaviour filter, profiler hooks, snapshots and the registry of diagnostic codes. It imports only
// framealloc.core: the arena and pool allocation paths import it to count.
export module framealloc.diagnostics;
export import :tags;
export import :counters;
export import :stats;
export import :budgets;
export import :registry;
export import :code_registry;
export import :behavior_filter;
export import :profiler_hooks;

// Snapshots: docs/snapshot.schema.json describes the JSON.
export import :json_writer;
export import :snapshot;
export import :snapshot_json;
export import :snapshot_config;
export import :snapshot_emitter;
