// frame_barrier: the end-of-frame rendezvous of a fixed set of threads, reusable frame after frame.
//
// What:        signal_frame_complete() arrives for the current generation and returns it; wait_all()
//              blocks until that generation is complete (every participant arrived). A generation that
//              completed before the waiter got there is not waited for again: the token says which
//              generation to wait for, so no wakeup can be lost. wait_all_for() gives up after a timeout.
//              leave() arrives one last time and removes the caller from later generations; after a
//              signal_frame_complete() in the same generation it does not arrive twice (the generation
//              still waits for every participant that stays).
// Complexity:  O(1) per call plus the wakeup of waiters; one mutex and one condition variable (a frame
//              rendezvous happens once per frame per thread: blocking is the point). A waiter first
//              polls the generation briefly (16 pauses, then 12 yields, as libstdc++'s std::barrier
//              does) and only then sleeps: when the last thread is a moment behind, the rendezvous
//              costs no futex sleep and wake-up (perf/threading/barrier_bench.cpp compares it with
//              std::barrier).
// Threads:     all functions from any thread.
// Errors:      config_error (FA002) for zero participants; frame_error FA201 for wait_all() on a thread
//              that never signalled this barrier, FA202 for leave() or
//              signal_frame_complete() with no participant left.
module;
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
export module framealloc.threading:frame_barrier;

import framealloc.core;

export namespace framealloc {

class frame_barrier {
public:
    using generation = std::uint64_t;

    explicit frame_barrier(std::size_t participants);
    frame_barrier(const frame_barrier&) = delete;
    frame_barrier& operator=(const frame_barrier&) = delete;

    // Arrives for the current generation; returns it. The last arrival completes it and wakes waiters.
    generation signal_frame_complete();
    // Blocks until generation `g` is complete; returns at once if it already is.
    void wait_all(generation g);
    // wait_all() for the generation the calling thread last signalled on this barrier.
    void wait_all();
    // As wait_all(g), giving up after `timeout`: true when the generation completed.
    bool wait_all_for(generation g, std::chrono::nanoseconds timeout);
    bool wait_all_for(std::chrono::nanoseconds timeout);
    // signal_frame_complete() then wait_all().
    void arrive_and_wait() { wait_all(signal_frame_complete()); }
    // Arrives for the current generation and leaves: later generations need one participant fewer.
    void leave();

    [[nodiscard]] std::size_t participants() const;
    [[nodiscard]] generation current_generation() const;  // the generation now collecting arrivals

private:
    generation last_signalled_by_this_thread() const;
    // True once generation g is complete, polled for a moment before the caller blocks.
    bool completed_after_polling(generation g) const noexcept;
    void complete_generation_locked() noexcept;

    std::uint64_t id_;
    mutable std::mutex mutex_;
    std::condition_variable completed_;
    std::size_t participants_;
    std::size_t arrived_ = 0;
    // Written under mutex_ (release); read without it by the polling phase of a wait (acquire).
    std::atomic<generation> generation_{0};
};

}  // namespace framealloc
