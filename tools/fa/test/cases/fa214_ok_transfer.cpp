// Near miss for FA214: the value crosses threads in a transfer box, pool memory and copies are shared.
#include <atomic>
#include <thread>
#include <utility>

#include <oneapi/tbb/concurrent_queue.h>

import framealloc;

void consume(int value);

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
