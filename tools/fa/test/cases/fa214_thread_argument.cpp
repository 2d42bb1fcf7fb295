// FA214: frame memory passed as an argument to a std::thread / std::async callable.
#include <future>
#include <thread>

import framealloc;

void consume(int* value);
int measure(const float* values);

int start(framealloc::smart_alloc& alloc) {
    int* value = alloc.frame_alloc<int>(1);
    std::thread worker(consume, value);  // expect: FA214
    worker.join();
    auto values = alloc.frame_array<float>(3);
    auto result = std::async(std::launch::async, measure, values.data());  // expect: FA214
    return result.get();
}
