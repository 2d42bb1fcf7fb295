// framealloc.diagnostics: the instrumentation the allocation paths use — interned hierarchical tags,
// exact per-thread and per-tag counters and statistics, global / per-tag / per-thread-pool budgets
// charged on the allocation paths, and the profiler hooks. It imports only framealloc.core; the
// arena and pool modules import it to count. Reporting (the code registry, the behaviour filter,
// snapshots and their JSON) is framealloc.report, which no allocator imports.
export module framealloc.diagnostics;
export import :tags;
export import :counters;
export import :stats;
export import :budgets;
export import :registry;
export import :profiler_hooks;
export import :accounted_resource;
