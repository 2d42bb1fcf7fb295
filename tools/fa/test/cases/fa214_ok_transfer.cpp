// Near miss for FA214: the value crosses threads in a transfer box, copies are shared, and threads that
// get a pointer are joined within the frame.
#include <atomic>
#include <thread>
#include <utility>

#include <oneapi/tbb/concurrent_queue.h>

import framealloc;

void consume(int value);
void consume_in_frame(int* value);

void share(framealloc::smart_alloc& alloc, tbb::concurrent_queue<framealloc::transfer_handle<int>>& boxes,
           tbb::concurrent_queue<int>& values, std::atomic<int>& latest) {
    int* value = alloc.frame_alloc<int>(1);
    auto box = alloc.frame_box_for_transfer(*value);
    boxes.push(std::move(box));
    values.push(*value);
    latest.store(*value);
    std::thread worker(consume, *value);
    worker.join();
}

void joined_in_frame(framealloc::smart_alloc& alloc) {
    alloc.begin_frame();
    int* value = alloc.frame_alloc<int>(1);
    std::thread worker(consume_in_frame, value);
    worker.join();
    {
        std::jthread scoped(consume_in_frame, value);
    }
    alloc.end_frame();
}
