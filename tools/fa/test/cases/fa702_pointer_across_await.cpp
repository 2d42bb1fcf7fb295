// FA702: frame memory held across co_await; the coroutine resumes after the frame may have ended.
#include "coro_support.hpp"

import framealloc;

frame_task stream(framealloc::smart_alloc& alloc) {
    int* progress = alloc.frame_alloc<int>(0);
    co_await next_frame{};
    *progress = 1;  // expect: FA702
}
