// frame_scope: RAII mark/rewind on a frame_arena. Everything the arena hands out inside the scope is
// released (destructors run, newest first) when the scope ends.
//
// If the arena was reset while the scope was open (end_frame() inside the scope) the memory is already
// gone and the destructor does nothing. A scope closed out of stack order cannot be honoured; its
// memory then stays until the frame ends and, in FRAMEALLOC_DEBUG builds, FA004 is printed.
module;
#include <cstdio>
export module framealloc.arena:frame_scope;

import framealloc.core;
import :frame_arena;

export namespace framealloc {

class frame_scope {
public:
    explicit frame_scope(frame_arena& arena) noexcept : arena_(&arena), marker_(arena.mark()) {}
    frame_scope(const frame_scope&) = delete;
    frame_scope& operator=(const frame_scope&) = delete;
    ~frame_scope() { release(); }

    [[nodiscard]] frame_arena& arena() const noexcept { return *arena_; }
    [[nodiscard]] const frame_marker& marker() const noexcept { return marker_; }

private:
    void release() noexcept;

    frame_arena* arena_;
    frame_marker marker_;
};

}  // namespace framealloc
