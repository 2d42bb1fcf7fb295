// framealloc.arena: frame memory. frame_arena (one owner), frame_resource (every thread its own arena,
// reset together), markers and frame_scope; retention and promotion (retention_policy, retained<T>,
// retention_set, promotion_batch, promotion_summary) and named scratch arenas.
export module framealloc.arena;
export import :chunk_list;
export import :destructor_list;
export import :frame_guards;
export import :frame_arena;
export import :frame_scope;
export import :frame_resource;
export import :frame_objects;
export import :retention_policy;
export import :promotion_summary;
export import :scratch_arena;
export import :retained;
export import :promotion_batch;
export import :retention_set;
