// FA214: frame memory passed as an argument to a std::thread / std::async task that can outlive the
// frame: a detached thread, a future waited for only after end_frame().
#include <future>
#include <thread>

import framealloc;

void consume(int* value);
int measure(const float* values);

int start(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    int* value = alloc.frame_alloc<int>(1);
    std::thread(consume, value).detach();  // expect: FA214
    auto values = alloc.frame_array<float>(3);
    auto result = std::async(std::launch::async, measure, values.data());  // expect: FA214
    std::thread late(consume, alloc.frame_alloc<int>(2));  // expect: FA214
    alloc.end_frame();
    late.join();
    return result.get();
}
