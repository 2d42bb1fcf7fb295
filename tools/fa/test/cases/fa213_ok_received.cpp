// Near miss for FA213: handles received, moved into a task, passed on, returned.
#include <thread>
#include <utility>

import framealloc;

void send(framealloc::transfer_handle<int>&& handle);

int round_trip(framealloc::smart_alloc& alloc) {
    auto handle = alloc.frame_box_for_transfer(5);
    int got = 0;
    std::jthread consumer([h = std::move(handle), &got]() mutable { got = h.receive(); });
    consumer.join();
    auto second = alloc.frame_box_for_transfer(6);
    return got + second.receive();
}

framealloc::transfer_handle<int> make(framealloc::smart_alloc& alloc, bool skip) {
    auto handle = alloc.frame_box_for_transfer(7);
    if (skip) return handle;
    auto other = alloc.frame_box_for_transfer(8);
    send(std::move(other));
    return handle;
}
