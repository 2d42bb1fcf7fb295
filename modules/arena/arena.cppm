// framealloc.arena: frame memory. frame_arena (one owner), frame_resource (every thread its own arena,
// reset together), markers and frame_scope.
export module framealloc.arena;
export import :chunk_list;
export import :destructor_list;
export import :frame_guards;
export import :frame_arena;
export import :frame_scope;
export import :frame_resource;
export import :frame_objects;
