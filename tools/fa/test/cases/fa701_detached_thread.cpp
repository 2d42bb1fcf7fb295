// FA701: a detached thread keeps a reference to frame memory past the frame.
#include <thread>

import framealloc;

void fire_and_forget(framealloc::smart_alloc& alloc) {
    int* progress = alloc.frame_alloc<int>(0);
    std::thread([&] { *progress = 1; }).detach();  // expect: FA701
}

void detached_later(framealloc::smart_alloc& alloc) {
    auto samples = alloc.frame_array<float>(8);
    std::thread worker([samples] { samples[0] = 1.0f; });  // expect: FA701
    worker.detach();
}
