// Producer/consumer with every free remote (the xmalloc-test pattern): the benchmark thread allocates
// 64-byte objects, writes them whole and hands them through a bounded single-producer single-consumer
// ring (1024 slots, indices published every 32 objects) to a consumer thread, which reads each one
// whole and frees it. perf/ratios.py --suite pool reports mimalloc over framealloc in real time
// (target: on par or better) and the peak memory of every contender.
//
// One iteration is 4096 objects produced; the consumer lives for the whole run (made before timing,
// joined after) and the pipeline never drains between iterations, so what is timed is the steady state.
// Real time is the measure (UseRealTime); items_per_second is objects through the pipeline per second.
//
// Memory, as counters of the run:
//   peak_held_bytes   what the resource held from its upstream at peak: framealloc's
//                     pool_stats::peak_slab_bytes; the std/Boost pools' bytes from a counting upstream;
//                     foonathan's blocks. Not reported for the general-purpose mallocs (no upstream).
//   rss_peak_growth   the process's resident high-water mark (VmHWM) minus its resident set when main()
//                     started. Process-wide and monotonic, so it means something only in a process that
//                     runs this one benchmark (perf/ratios.py --suite pool starts one per contender).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>
#include <thread>

#include "contenders.hpp"

namespace {

using pool_perf::contender;

constexpr std::size_t object_bytes = 64;
constexpr std::size_t object_alignment = 8;
constexpr std::size_t objects_per_iteration = 4096;

void spin_pause(unsigned& spins) {
    if (++spins < 64) {
        __builtin_ia32_pause();
    } else {
        spins = 0;
        std::this_thread::yield();  // two cores shared with other work: let the other side run
    }
}

// Bounded SPSC ring of pointers. Each side publishes its index every `publish_every` operations (and
// whenever it has to wait), and reloads the other side's index only when the ring looks full (producer)
// or empty (consumer): the index lines then move between the cores once per 32 objects instead of once
// per object, so the ring costs little next to the allocator, whichever side is the faster. (Per-object
// publication made the faster side spin on a line the other side writes every time, and the benchmark
// then measured that ping-pong more than the allocators.) A side that has not yet published at most
// publish_every - 1 operations never blocks the other: capacity > 2 * publish_every.
class spsc_ring {
public:
    static constexpr std::size_t capacity = 1024;
    static constexpr std::size_t publish_every = 32;
    static_assert(capacity > 2 * publish_every);

    void push(void* p) {
        if (tail_ - head_seen_ == capacity) [[unlikely]] {
            publish_tail();
            unsigned spins = 0;
            for (;;) {
                head_seen_ = head_published_.load(std::memory_order_acquire);
                if (tail_ - head_seen_ != capacity) break;
                spin_pause(spins);
            }
        }
        slots_[tail_ & (capacity - 1)] = p;
        if (++tail_ % publish_every == 0) publish_tail();
    }
    void publish_tail() { tail_published_.store(tail_, std::memory_order_release); }

    void* pop() {
        if (head_ == tail_seen_) [[unlikely]] {
            head_published_.store(head_, std::memory_order_release);
            unsigned spins = 0;
            for (;;) {
                tail_seen_ = tail_published_.load(std::memory_order_acquire);
                if (head_ != tail_seen_) break;
                spin_pause(spins);
            }
        }
        void* p = slots_[head_ & (capacity - 1)];
        if (++head_ % publish_every == 0) head_published_.store(head_, std::memory_order_release);
        return p;
    }

private:
    alignas(64) std::atomic<std::size_t> tail_published_{0};  // written by the producer
    alignas(64) std::atomic<std::size_t> head_published_{0};  // written by the consumer
    alignas(64) std::size_t tail_ = 0;                        // the producer's own line
    std::size_t head_seen_ = 0;
    alignas(64) std::size_t head_ = 0;                        // the consumer's own line
    std::size_t tail_seen_ = 0;
    alignas(64) void* slots_[capacity] = {};
};

[[gnu::always_inline]] inline void* produce(std::pmr::memory_resource* resource, std::uint64_t value) {
    auto* words = static_cast<std::uint64_t*>(resource->allocate(object_bytes, object_alignment));
    for (std::size_t k = 0; k < object_bytes / sizeof(std::uint64_t); ++k) words[k] = value + k;
    return words;
}

template <contender C>
void bm_producer_consumer(benchmark::State& state) {
    std::string why;
    pool_perf::box_options options;
    options.largest_request = object_bytes;
    options.shared = true;
    const std::unique_ptr<pool_perf::resource_box> box = pool_perf::make_resource(C, options, why);
    if (!box) {
        state.SkipWithError(why.c_str());
        return;
    }
    std::pmr::memory_resource* resource = box->get();
    benchmark::DoNotOptimize(resource);

    spsc_ring ring;
    std::uint64_t consumed_sum = 0;
    std::thread consumer([&] {
        std::uint64_t sum = 0;
        while (void* p = ring.pop()) {  // null: the end of the run
            const auto* words = static_cast<const std::uint64_t*>(p);
            for (std::size_t k = 0; k < object_bytes / sizeof(std::uint64_t); ++k) sum += words[k];
            resource->deallocate(p, object_bytes, object_alignment);
        }
        consumed_sum = sum;  // published by join()
    });

    std::uint64_t value = 0;
    for (std::size_t i = 0; i < objects_per_iteration; ++i) ring.push(produce(resource, ++value));  // warm-up
    for (auto _ : state) {
        for (std::size_t i = 0; i < objects_per_iteration; ++i) ring.push(produce(resource, ++value));
    }
    ring.push(nullptr);
    ring.publish_tail();
    consumer.join();
    benchmark::DoNotOptimize(consumed_sum);

    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * objects_per_iteration));
    if (const double held = box->peak_held_bytes(); held >= 0) state.counters["peak_held_bytes"] = held;
    const double hwm = pool_perf::rss_high_water_bytes();
    if (hwm >= 0) state.counters["rss_peak_growth"] = hwm - pool_perf::start_rss_bytes();
}

#define POOL_PERF_PRODUCER_CONSUMER(c)                        \
    BENCHMARK_TEMPLATE(bm_producer_consumer, contender::c)    \
        ->Name("producer_consumer/" #c)                       \
        ->Arg(object_bytes)                                   \
        ->UseRealTime()

POOL_PERF_PRODUCER_CONSUMER(framealloc);
POOL_PERF_PRODUCER_CONSUMER(glibc);
POOL_PERF_PRODUCER_CONSUMER(mimalloc);
POOL_PERF_PRODUCER_CONSUMER(jemalloc);
POOL_PERF_PRODUCER_CONSUMER(tbbmalloc);
POOL_PERF_PRODUCER_CONSUMER(std_sync);
POOL_PERF_PRODUCER_CONSUMER(boost_sync);
POOL_PERF_PRODUCER_CONSUMER(foonathan);

}  // namespace
