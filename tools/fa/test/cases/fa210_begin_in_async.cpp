// FA210: frame boundaries inside std::async and tbb::parallel_for bodies.
#include <future>
#include <oneapi/tbb/parallel_for.h>

import framealloc;

void frames(framealloc::smart_alloc& alloc) {
    auto next = std::async(std::launch::async, [&alloc] {
        alloc.begin_frame();  // expect: FA210
    });
    next.wait();
    tbb::parallel_for(0, 4, [&](int) {
        alloc.end_frame();  // expect: FA210
    });
}
