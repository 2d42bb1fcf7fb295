// FA702: a frame_scope alive across co_await: it would rewind an arena of a later frame.
#include "coro_support.hpp"

import framealloc;

frame_task load(framealloc::smart_alloc& alloc) {
    auto scope = alloc.frame_scope();
    (void)alloc.frame_alloc<int>(1);
    co_await next_frame{};  // expect: FA702
}
