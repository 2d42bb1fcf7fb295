// Near miss for FA212: the thread sets its budget before it allocates; a thread that allocates nothing.
#include <thread>

import framealloc;

void stream(framealloc::smart_alloc& alloc) {
    std::thread loader([&alloc] {
        alloc.set_thread_frame_budget(1u << 20);
        auto* chunk = alloc.frame_alloc<int>(1);
        (void)chunk;
    });
    std::thread idle([] {});
    loader.join();
    idle.join();
}
