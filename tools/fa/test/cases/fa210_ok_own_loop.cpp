// Near miss for FA210: a thread that runs the frame loop of its own allocator, and a task that makes
// and drives an allocator of its own.
#include <oneapi/tbb/task_group.h>
#include <thread>

import framealloc;

void streaming_thread(framealloc::smart_alloc& loader) {
    std::thread t([&loader] {
        for (int frame = 0; frame < 3; ++frame) {
            loader.begin_frame();
            loader.end_frame();
        }
    });
    t.join();
}

void isolated_task() {
    tbb::task_group group;
    group.run([] {
        framealloc::smart_alloc own{framealloc::alloc_config{}};
        own.begin_frame();
        own.end_frame();
    });
    group.wait();
}
