// Helpers for the oneTBB tests: bounded waits (a test that goes wrong fails, it never hangs) and a
// rendezvous that proves tasks ran on distinct threads.
#pragma once

#include <oneapi/tbb/global_control.h>

#include <atomic>
#include <chrono>
#include <cstddef>
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

// The tests want a few TBB workers even on a 2-core machine: threads, not cores, are what they test.
struct tbb_parallelism {
    static constexpr int threads = 4;
    oneapi::tbb::global_control limit{oneapi::tbb::global_control::max_allowed_parallelism, threads};
};

}  // namespace framealloc_test
