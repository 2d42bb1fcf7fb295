// FA702: a frame span read after co_yield.
#include <span>

#include "coro_support.hpp"

import framealloc;

frame_task chunks(framealloc::smart_alloc& alloc) {
    std::span<float> samples = alloc.frame_array<float>(16);
    for (int i = 0; i < 4; ++i) {
        co_yield i;
        samples[0] += 1.0f;  // expect: FA702
    }
}
