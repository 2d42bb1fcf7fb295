// framealloc.diagnostics: seeing into memory. It imports only framealloc.core, so the allocation paths
// (arena, pool) can import it. Today: snapshots (the schema v1 model, its JSON writer and the emitter
// that writes them atomically); tags, statistics, budgets and the behaviour filter join here.
export module framealloc.diagnostics;

// Snapshots: docs/snapshot.schema.json describes the JSON.
export import :json_writer;
export import :snapshot;
export import :snapshot_json;
export import :snapshot_config;
export import :snapshot_emitter;
