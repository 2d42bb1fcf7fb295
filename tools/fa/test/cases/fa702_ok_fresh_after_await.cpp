// Near miss for FA702: frame memory allocated after the suspension, or only used before it; a scope
// closed before it.
#include "coro_support.hpp"

import framealloc;

frame_task stream(framealloc::smart_alloc& alloc) {
    int* before = alloc.frame_alloc<int>(0);
    *before = 1;
    {
        auto scope = alloc.frame_scope();
        (void)alloc.frame_alloc<int>(2);
    }
    co_await next_frame{};
    int* after = alloc.frame_alloc<int>(0);
    *after = 2;
}
