// framealloc.report: the cold half of seeing into memory. The registry of diagnostic codes (one
// meaning per FA code, with an explanation and a fix), the behaviour filter (FA5xx reports fed once
// per frame by smart_alloc::end_frame()), snapshots (the data model, its JSON, the atomic writer with
// pruning and the request file). It reads what framealloc.diagnostics counted; no allocator imports it,
// so a change here rebuilds only what reports.
export module framealloc.report;
export import :code_registry;
export import :behavior_filter;
export import :json_writer;
export import :snapshot;
export import :snapshot_json;
export import :snapshot_config;
export import :snapshot_emitter;
