module;
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
module framealloc.threading;

import framealloc.core;

namespace framealloc {

namespace {
// The generation each barrier was last signalled in by this thread, for wait_all() without a token.
// Four barriers per thread are remembered (round robin); ids are never reused, so a stale entry of a
// destroyed barrier never matches.
struct signal_record {
    std::uint64_t barrier = 0;
    frame_barrier::generation signalled = 0;
};
thread_local std::array<signal_record, 4> t_signals{};
thread_local std::size_t t_next_signal = 0;

void remember(std::uint64_t barrier, frame_barrier::generation g) {
    for (signal_record& r : t_signals)
        if (r.barrier == barrier) {
            r.signalled = g;
            return;
        }
    t_signals[t_next_signal++ % t_signals.size()] = signal_record{barrier, g};
}
}  // namespace

frame_barrier::frame_barrier(std::size_t participants) : id_(detail::next_resource_id()), participants_(participants) {
    if (participants == 0) throw config_error("frame_barrier needs at least one participant");
}

void frame_barrier::complete_generation_locked() noexcept {
    arrived_ = 0;
    generation_.store(generation_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
}

namespace {
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}
}  // namespace

bool frame_barrier::completed_after_polling(generation g) const noexcept {
    // The acquire pairs with complete_generation_locked()'s release: what every participant did before
    // arriving is visible to a waiter that returns from here, as it is to one woken under the mutex.
    for (int i = 0; i < 16; ++i) {
        if (generation_.load(std::memory_order_acquire) > g) return true;
        cpu_relax();
    }
    for (int i = 0; i < 12; ++i) {
        if (generation_.load(std::memory_order_acquire) > g) return true;
        std::this_thread::yield();  // an oversubscribed machine: let the late participant run
    }
    return false;
}

frame_barrier::generation frame_barrier::signal_frame_complete() {
    std::unique_lock lock(mutex_);
    if (participants_ == 0)
        throw_frame_error(codes::barrier_no_participant,
                          "frame_barrier::signal_frame_complete() after every participant left");
    const generation g = generation_.load(std::memory_order_relaxed);
    if (++arrived_ >= participants_) {
        complete_generation_locked();
        lock.unlock();
        completed_.notify_all();
    }
    remember(id_, g);
    return g;
}

void frame_barrier::wait_all(generation g) {
    if (completed_after_polling(g)) return;
    std::unique_lock lock(mutex_);
    completed_.wait(lock, [&] { return generation_.load(std::memory_order_relaxed) > g; });
}

bool frame_barrier::wait_all_for(generation g, std::chrono::nanoseconds timeout) {
    if (completed_after_polling(g)) return true;
    std::unique_lock lock(mutex_);
    return completed_.wait_for(lock, timeout, [&] { return generation_.load(std::memory_order_relaxed) > g; });
}

frame_barrier::generation frame_barrier::last_signalled_by_this_thread() const {
    for (const signal_record& r : t_signals)
        if (r.barrier == id_) return r.signalled;
    throw_frame_error(codes::barrier_not_signalled, "frame_barrier::wait_all() on a thread that has not signalled this barrier");
}

void frame_barrier::wait_all() { wait_all(last_signalled_by_this_thread()); }

bool frame_barrier::wait_all_for(std::chrono::nanoseconds timeout) {
    return wait_all_for(last_signalled_by_this_thread(), timeout);
}

void frame_barrier::leave() {
    std::unique_lock lock(mutex_);
    if (participants_ == 0) throw_frame_error(codes::barrier_no_participant, "frame_barrier::leave() with no participant left");
    --participants_;
    // Leaving counts as this generation's arrival; later generations wait for one thread fewer. A
    // thread that already arrived in this generation was counted then: its arrival is taken back,
    // so the generation still waits for every participant that stays.
    const generation g = generation_.load(std::memory_order_relaxed);
    for (const signal_record& r : t_signals)
        if (r.barrier == id_ && r.signalled == g && arrived_ > 0) --arrived_;
    if (participants_ == 0 || arrived_ >= participants_) {
        complete_generation_locked();
        lock.unlock();
        completed_.notify_all();
    }
}

std::size_t frame_barrier::participants() const {
    std::lock_guard lock(mutex_);
    return participants_;
}

frame_barrier::generation frame_barrier::current_generation() const {
    std::lock_guard lock(mutex_);
    return generation_.load(std::memory_order_relaxed);
}

}  // namespace framealloc
