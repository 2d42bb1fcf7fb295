// Thread churn: 20 000 short-lived threads, two at a time, each allocating and freeing through one
// shared resource and exiting — a job system that makes a thread per job, a server that makes one per
// connection. Each thread runs four of workload.hpp's batches (256 requests of 16..256 B, allocated,
// written, read, freed) and leaves 16 blocks behind for the next thread of its pair slot to free, so
// exited threads' caches also hold blocks other threads allocated.
//
// Two variants:
//   pool    every contender, the requests straight to the resource;
//   frames  framealloc only: a smart_alloc whose frame loop (begin_frame, the pair of threads, join,
//           end_frame) runs on the main thread; each thread also takes 64 frame allocations (8 KiB in
//           all) from smart_alloc::frame_resource() and its pool requests go to smart_alloc's pool.
// Figures: threads per second, and the resident growth per 10 000 threads after the first tenth of
// the threads (the steady state: a per-thread leak shows as a slope, caches filled once do not).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory_resource>
#include <string>
#include <thread>

#include "../support/isolated_runs.hpp"
#include "mt_cases.hpp"
#include "workload.hpp"

import framealloc;

namespace pool_perf {

namespace {

using framealloc_perf::measurement;

constexpr std::size_t kept_per_thread = 16;
constexpr std::size_t kept_bytes = 48;

struct pair_slot {
    void* kept[kept_per_thread] = {};
};

void thread_body(std::pmr::memory_resource* pool, std::pmr::memory_resource* frame, pair_slot& slot,
                 std::size_t index) {
    std::uint64_t sum = 0;
    for (std::size_t b = 0; b < 4; ++b) sum += run_batch(pool, ((index + b) % batches_in_sequence) * batch_size);
    if (frame != nullptr)
        for (std::size_t i = 0; i < 64; ++i) {
            auto* words = static_cast<std::uint64_t*>(frame->allocate(128, 8));
            words[0] = i;
            words[15] = sum;
        }
    for (void*& p : slot.kept) {
        if (p != nullptr) pool->deallocate(p, kept_bytes, 8);
        p = pool->allocate(kept_bytes, 8);
        *static_cast<std::uint64_t*>(p) = sum;
    }
}

double rss_now() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) * 1024.0;
    return -1.0;
}

// Runs `threads` threads two at a time; `frame_loop` (may be empty) wraps each pair.
template <class FrameLoop>
void churn(measurement& m, std::size_t threads, std::pmr::memory_resource* pool, std::pmr::memory_resource* frame,
           FrameLoop&& frame_loop) {
    pair_slot slots[2];
    const std::size_t warm = threads / 10;
    double rss_warm = 0;
    std::chrono::steady_clock::time_point start;
    for (std::size_t i = 0; i < threads; i += 2) {
        if (i == warm) {
            rss_warm = rss_now();
            start = std::chrono::steady_clock::now();
        }
        frame_loop([&] {
            std::thread a(thread_body, pool, frame, std::ref(slots[0]), i);
            std::thread b(thread_body, pool, frame, std::ref(slots[1]), i + 1);
            a.join();
            b.join();
        });
    }
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.ops = static_cast<double>(threads - warm);
    m.set("rss_growth_per_10k_threads", (rss_now() - rss_warm) * 10000.0 / static_cast<double>(threads - warm));
    for (pair_slot& s : slots)
        for (void* p : s.kept) pool->deallocate(p, kept_bytes, 8);
}

std::size_t thread_count(double scale) { return static_cast<std::size_t>(std::max(200.0, 20000 * scale)) / 2 * 2; }

void run_pool(measurement& m, double scale, contender c) {
    box_options options;
    options.shared = true;
    const std::unique_ptr<resource_box> box = make_or_throw(c, options);
    churn(m, thread_count(scale), box->get(), nullptr, [](auto&& pair) { pair(); });
    if (const double held = box->peak_held_bytes(); held >= 0) m.set("peak_held_bytes", held);
}

void run_frames(measurement& m, double scale) {
    framealloc::smart_alloc alloc{framealloc::alloc_config{}};
    churn(m, thread_count(scale), &alloc.pool_resource(), &alloc.frame_resource(), [&](auto&& pair) {
        alloc.begin_frame();
        pair();
        alloc.end_frame();
    });
    m.set("peak_held_bytes", static_cast<double>(alloc.pool_resource().stats().peak_slab_bytes));
}

}  // namespace

void register_thread_churn_cases() {
    for (const contender c : shared_contenders)
        framealloc_perf::register_case({"thread_churn", std::string(name_of(c)), {}, "pool",
                                        [=](framealloc_perf::measurement& m, double scale) { run_pool(m, scale, c); }});
    framealloc_perf::register_case({"thread_churn", "framealloc", {}, "frames",
                                    [](framealloc_perf::measurement& m, double scale) { run_frames(m, scale); }});
}

}  // namespace pool_perf
