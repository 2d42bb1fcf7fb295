// framealloc: the umbrella. `import framealloc;` brings every module, plus the umbrella's own
// partitions (modules/framealloc/): alloc_config, smart_alloc and build_snapshot.
export module framealloc;
export import framealloc.core;
export import framealloc.diagnostics;
export import framealloc.arena;
export import framealloc.pool;
export import framealloc.retention;
export import framealloc.threading;
export import framealloc.pmr;
export import framealloc.report;
export import :alloc_config;
export import :smart_alloc;
export import :snapshot_builder;
