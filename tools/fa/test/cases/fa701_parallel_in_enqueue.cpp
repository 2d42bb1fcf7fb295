// FA701: a tbb::parallel_for body is run before the call returns, but here the call itself runs in an
// enqueued task that is never waited for: the frame memory it reaches is captured by that task.
#include <cstddef>
#include <span>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

import framealloc;

void clear_later(framealloc::smart_alloc& alloc, tbb::task_arena& arena) {
    std::span<float> values = alloc.frame_array<float>(64);
    arena.enqueue([&] {  // expect: FA701
        tbb::parallel_for(std::size_t{0}, values.size(), [&](std::size_t i) { values[i] = 0.0f; });
    });
}
