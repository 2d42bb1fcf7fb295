// Near miss for FA701: tbb::parallel_* bodies return before the call does, so within the frame they
// cannot outlive it.
#include <cstddef>
#include <span>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_invoke.h>

import framealloc;

void clear(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    std::span<float> values = alloc.frame_array<float>(64);
    tbb::parallel_for(std::size_t{0}, values.size(), [&](std::size_t i) { values[i] = 0.0f; });
    tbb::parallel_invoke([&] { values[0] = 1.0f; }, [values] { values[1] = 2.0f; });
    alloc.end_frame();
}
