// FA701: the frame ends while the thread may still run; it is joined only afterwards.
#include <thread>

import framealloc;

void frame(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    auto* scratch = alloc.frame_alloc<double>(0.0);
    std::jthread writer([&scratch] { *scratch = 2.0; });  // expect: FA701
    alloc.end_frame();
    writer.join();
}
