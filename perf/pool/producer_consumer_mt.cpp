// Producer/consumer with W producers and W consumers, every free remote (the xmalloc-test pattern):
// each producer fills a batch of 4096 objects (64 B, or mixed 16..256 B from workload.hpp's
// sequence), writing their first word, and pushes it on a LIFO stack of at most 100 batches guarded by
// one mutex and two condition variables; consumers pop a batch, read and free every object, then free
// the batch record (4096 pointers and sizes, 40 KiB) — which comes from the resource too (framealloc
// hands it to its heap fallback; foonathan's single node size cannot hold it, so its records come from
// new/delete). W = 4 puts 8 threads on this 2-core machine: oversubscribed on purpose.
//
// One measurement produces and consumes 400 batches per producer (a total of 400 W x 4096 objects);
// throughput is objects freed per second of wall time, from the first producer's start to the last
// consumer's end. The peak resident growth of the process (isolated_runs) is the memory figure; how
// much of it is the workload's own live memory depends on how far the producers ran ahead of the
// consumers (the scheduler's doing, on two cores), so the run also reports peak_batches_in_flight: the
// most batch records allocated and not yet freed at once (each holds 4096 live objects).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <mutex>
#include <thread>
#include <vector>

#include "../support/isolated_runs.hpp"
#include "mt_cases.hpp"
#include "workload.hpp"

namespace pool_perf {

namespace {

using framealloc_perf::measurement;

constexpr std::size_t objects_per_batch = 4096;
constexpr std::size_t stack_capacity = 100;

struct batch {
    void* objects[objects_per_batch];
    std::uint16_t bytes[objects_per_batch];
};

// The LIFO stack of full batches, as xmalloc-test has it.
class batch_stack {
public:
    void push(batch* b) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return count_ < stack_capacity; });
        slots_[count_++] = b;
        not_empty_.notify_one();
    }
    // Null once every producer is done and the stack is empty.
    batch* pop() {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return count_ > 0 || producers_left_ == 0; });
        if (count_ == 0) return nullptr;
        batch* b = slots_[--count_];
        not_full_.notify_one();
        return b;
    }
    void set_producers(std::size_t n) { producers_left_ = n; }
    void producer_done() {
        std::lock_guard lock(mutex_);
        if (--producers_left_ == 0) not_empty_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable not_empty_;
    std::condition_variable not_full_;
    batch* slots_[stack_capacity] = {};
    std::size_t count_ = 0;
    std::size_t producers_left_ = 0;
};

void run(measurement& m, double scale, contender c, bool mixed, int w) {
    box_options options;
    options.largest_request = mixed ? 256 : 64;
    options.shared = true;
    const std::unique_ptr<resource_box> box = make_or_throw(c, options);
    std::pmr::memory_resource* resource = box->get();
    std::pmr::memory_resource* records = c == contender::foonathan ? std::pmr::new_delete_resource() : resource;
    const auto batches_per_producer = static_cast<std::size_t>(std::max(2.0, 400 * scale));

    std::atomic<std::size_t> in_flight{0};
    std::atomic<std::size_t> peak_in_flight{0};
    batch_stack stack;
    stack.set_producers(static_cast<std::size_t>(w));
    std::vector<std::uint64_t> sums(static_cast<std::size_t>(w));
    std::vector<std::thread> threads;
    const auto start = std::chrono::steady_clock::now();
    for (int p = 0; p < w; ++p)
        threads.emplace_back([&, p] {
            std::size_t next = static_cast<std::size_t>(p) * 1031;  // producers start apart in the sequence
            for (std::size_t n = 0; n < batches_per_producer; ++n) {
                auto* b = static_cast<batch*>(records->allocate(sizeof(batch), alignof(batch)));
                const std::size_t now = in_flight.fetch_add(1, std::memory_order_relaxed) + 1;
                std::size_t peak = peak_in_flight.load(std::memory_order_relaxed);
                while (now > peak && !peak_in_flight.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {}
                for (std::size_t i = 0; i < objects_per_batch; ++i) {
                    const request r = mixed ? sequence[(next + i) % sequence_length] : request{64, 8};
                    auto* words = static_cast<std::uint64_t*>(resource->allocate(r.bytes, r.alignment));
                    words[0] = n + i;
                    b->objects[i] = words;
                    b->bytes[i] = static_cast<std::uint16_t>(r.bytes | (r.alignment == 16 ? 0x8000 : 0));
                }
                next += objects_per_batch;
                stack.push(b);
            }
            stack.producer_done();
        });
    for (int q = 0; q < w; ++q)
        threads.emplace_back([&, q] {
            std::uint64_t sum = 0;
            while (batch* b = stack.pop()) {
                for (std::size_t i = 0; i < objects_per_batch; ++i) {
                    const std::size_t bytes = b->bytes[i] & 0x7fff;
                    const std::size_t alignment = (b->bytes[i] & 0x8000) ? 16 : 8;
                    sum += *static_cast<const std::uint64_t*>(b->objects[i]);
                    resource->deallocate(b->objects[i], bytes, alignment);
                }
                records->deallocate(b, sizeof(batch), alignof(batch));
                in_flight.fetch_sub(1, std::memory_order_relaxed);
            }
            sums[static_cast<std::size_t>(q)] = sum;
        });
    for (std::thread& t : threads) t.join();
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.ops = static_cast<double>(batches_per_producer * objects_per_batch * static_cast<std::size_t>(w));
    std::uint64_t total = 0;
    for (const std::uint64_t s : sums) total += s;
    m.set("checksum", static_cast<double>(total % 1000003));
    m.set("peak_batches_in_flight", static_cast<double>(peak_in_flight.load()));
    double object_bytes = 0;  // of one batch, on average: the live bytes a batch in flight holds
    for (std::size_t i = 0; i < objects_per_batch; ++i) object_bytes += mixed ? sequence[i % sequence_length].bytes : 64;
    m.set("bytes_per_batch", object_bytes + static_cast<double>(sizeof(batch)));
    if (const double held = box->peak_held_bytes(); held >= 0) m.set("peak_held_bytes", held);
}

}  // namespace

void register_producer_consumer_cases() {
    for (const bool mixed : {false, true})
        for (const int w : {1, 2, 4})
            for (const contender c : shared_contenders)
                framealloc_perf::register_case({"producer_consumer", std::string(name_of(c)), {{"W", w}},
                                                mixed ? "mixed" : "64B",
                                                [=](framealloc_perf::measurement& m, double scale) { run(m, scale, c, mixed, w); }});
}

}  // namespace pool_perf
