// FA212: the budget is set only after the first allocation of the thread.
#include <thread>

import framealloc;

void mix(framealloc::smart_alloc& alloc) {
    std::thread t([&] {
        float* buffer = alloc.frame_array<float>(64).data();  // expect: FA212
        alloc.set_thread_frame_budget(1u << 20);
        (void)buffer;
    });
    t.join();
}
