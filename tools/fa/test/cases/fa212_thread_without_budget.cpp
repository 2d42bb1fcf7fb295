// FA212: a thread allocates frame memory with no frame budget ([threading] require_thread_budget).
#include <thread>

import framealloc;

void stream(framealloc::smart_alloc& alloc) {
    std::thread loader([&alloc] {
        auto* chunk = alloc.frame_alloc<int>(1);  // expect: FA212
        (void)chunk;
    });
    loader.join();
}
