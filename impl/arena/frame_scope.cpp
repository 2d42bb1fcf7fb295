module;
#include <framealloc/poison.hpp>

#include <cstdio>
module framealloc.arena;

import framealloc.core;

namespace framealloc {

void frame_scope::release() noexcept {
    if (arena_->try_rewind(marker_)) return;
#if FRAMEALLOC_DEBUG_ENABLED
    if (marker_.epoch != arena_->epoch()) return;  // the frame ended inside the scope: nothing to do
    std::fprintf(stderr,
                 "framealloc %s: frame_scope closed out of stack order or after its frame ended; its memory "
                 "is released at end_frame()\n",
                 codes::invalid_marker.data());
#endif
}

}  // namespace framealloc
