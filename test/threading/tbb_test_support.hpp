// Helpers for the oneTBB tests: bounded waits (a test that goes wrong fails, it never hangs) and a
// rendezvous that proves tasks ran on distinct threads.
#pragma once

#include <oneapi/tbb/global_control.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <thread>

namespace framealloc_test {

// Spins (yielding) until pred() holds or `timeout` passes; returns pred().
template <class Pred>
bool wait_for(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return pred();
        std::this_thread::yield();
    }
    return true;
}

// n parties arrive and wait for one another. Parties that all got through ran at the same time, so on
// n distinct threads. arrive_and_wait() returns false when the others did not come in time.
class rendezvous {
public:
    explicit rendezvous(std::size_t n) : n_(n) {}
    bool arrive_and_wait() {
        arrived_.fetch_add(1);
        return wait_for([&] { return arrived_.load() >= n_; });
    }

private:
    std::size_t n_;
    std::atomic<std::size_t> arrived_{0};
};

// Tests that hand work to TBB directly (tbb::task_group, task_arena::enqueue) rely on TBB's own
// ordering between the spawning thread and the task, which ThreadSanitizer cannot see inside the
// uninstrumented libtbb. publish() before spawning and receive() first thing in the task state that
// ordering with an ordinary atomic (a static one: its initialisation is no write TSan could see race).
// The library's own hand-offs need none of this (frame_task_group, frame_task_body do it themselves).
inline std::atomic<unsigned> tbb_handoff{0};
inline void publish() { tbb_handoff.fetch_add(1, std::memory_order_release); }
inline void receive() { (void)tbb_handoff.load(std::memory_order_acquire); }

// An exception thrown in a raw TBB body and rethrown by wait_for_all() on the waiting thread crosses
// threads inside libtbb as well. The body publishes on its way out (after the exception object exists);
// the waiting thread receives before it reads or destroys the exception.
template <class F>
decltype(auto) publish_on_throw(F&& f) {
    try {
        return f();
    } catch (...) {
        publish();
        throw;
    }
}

// Runs f and returns the exception of type E it threw, received first; nullopt when it threw nothing.
// Any other exception propagates.
template <class E, class F>
std::optional<E> thrown_across(F&& f) {
    try {
        f();
    } catch (const E& e) {
        receive();
        return e;
    }
    return std::nullopt;
}

// The tests want a few TBB workers even on a 2-core machine: threads, not cores, are what they test.
struct tbb_parallelism {
    static constexpr int threads = 4;
    oneapi::tbb::global_control limit{oneapi::tbb::global_control::max_allowed_parallelism, threads};
};

}  // namespace framealloc_test
