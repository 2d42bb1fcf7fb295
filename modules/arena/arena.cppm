// framealloc.arena: frame memory. frame_arena (one owner), frame_resource (every thread its own arena,
// reset together), markers and frame_scope, objects with destructors in frame memory, guard bytes of
// debug builds, and named scratch arenas that the owner resets. Retention and promotion of frame
// values is framealloc.retention, above this module.
export module framealloc.arena;
export import :chunk_list;
export import :destructor_list;
export import :frame_guards;
export import :frame_arena;
export import :frame_scope;
export import :frame_resource;
export import :frame_objects;
export import :scratch_arena;
