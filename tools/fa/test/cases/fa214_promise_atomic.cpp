// FA214: frame memory set as a promise's value and published through an atomic.
#include <atomic>
#include <future>

import framealloc;

std::atomic<int*> g_latest{nullptr};

void publish(framealloc::smart_alloc& alloc, std::promise<int*>& result) {
    auto* value = alloc.frame_alloc<int>(3);
    result.set_value(value);  // expect: FA214
    g_latest.store(value);  // expect: FA214
}
