// framealloc: the umbrella. `import framealloc;` brings every module that exists today.
export module framealloc;
export import framealloc.core;
export import framealloc.diagnostics;
export import framealloc.arena;
export import framealloc.pool;
export import framealloc.threading;
export import framealloc.pmr;
export import framealloc.diagnostics;
export import :alloc_config;
export import :promotion_result;
export import :smart_alloc;
export import :snapshot_builder;
