// Transfer round trip: the benchmark thread boxes a 64-byte value, hands it to a partner thread, which
// takes it out, changes it, boxes it again and hands it back; the benchmark thread takes it out and
// checks it. One iteration is a batch of 64 round trips in flight together (64 values out, 64 back):
// 128 boxes made, handed over and received, each freed on the thread that did not make it. Batches
// keep the measure on the transfers rather than on the scheduler of a 2-core shared machine, where a
// single value bouncing between two spinning threads mostly measures who got a core when.
//
//   framealloc_mutex_queue   smart_alloc::frame_box_for_transfer -> transfer_handle through a queue
//                            guarded by a std::mutex (like for like with the baseline: only the box differs)
//   framealloc_spsc          the same handles through Boost.Lockfree's spsc_queue (the library has no
//                            channel of its own: a transfer_handle travels through whatever queue the
//                            program uses; a lock-free one is the usual choice between two threads)
//   unique_ptr_mutex_queue   the baseline of the issue: std::make_unique, a std::unique_ptr through the
//                            mutex-guarded queue
//   unique_ptr_spsc          (information) the unique_ptr through the spsc_queue
// Both sides wait by spinning on their inbound queue (with a yield now and then, the machines are
// shared), so a round trip is cache-line traffic and the two allocations, not a scheduler wake-up.
// Real time is the measure: the partner's work is half of every round trip.
#include <benchmark/benchmark.h>

#include <boost/lockfree/spsc_queue.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <memory_resource>
#include <new>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

import framealloc;

namespace {

struct path_result {
    std::array<float, 15> waypoints;
    std::uint32_t agent;
};
static_assert(sizeof(path_result) == 64);

path_result make_result(std::uint32_t agent) {
    path_result r{};
    for (std::size_t i = 0; i < r.waypoints.size(); ++i) r.waypoints[i] = static_cast<float>(agent + i);
    r.agent = agent;
    return r;
}

void spin_pause(unsigned& spins) {
    if (++spins < 64) {
        __builtin_ia32_pause();
    } else {
        spins = 0;
        std::this_thread::yield();
    }
}

template <class T>
class mutex_queue {
public:
    void push(T v) {
        std::lock_guard lock(mutex_);
        items_.push_back(std::move(v));
    }
    std::optional<T> try_pop() {
        std::lock_guard lock(mutex_);
        if (items_.empty()) return std::nullopt;
        T v = std::move(items_.front());
        items_.pop_front();
        return v;
    }

private:
    std::mutex mutex_;
    std::deque<T> items_;
};

// Boost's spsc_queue holds trivially copyable-ish slots; move-only handles travel as raw owners.
template <class T>
class spsc_channel {
public:
    void push(T v) {
        // Wait for room first: then the queue holds fewer than `depth` owners and the slot written now
        // (the one pushed `depth` pushes ago) has been popped.
        unsigned spins = 0;
        while (queue_.write_available() == 0) spin_pause(spins);
        T* owner = new (slot_for_push()) T(std::move(v));
        queue_.push(owner);
    }
    std::optional<T> try_pop() {
        T* owner = nullptr;
        if (!queue_.pop(owner)) return std::nullopt;
        T v = std::move(*owner);
        owner->~T();
        return v;
    }

private:
    // The queue carries pointers into a ring of slots as deep as the queue (see push()).
    static constexpr std::size_t depth = 128;
    void* slot_for_push() { return &slots_[next_++ % depth]; }
    struct alignas(T) slot {
        unsigned char bytes[sizeof(T)];
    };
    std::array<slot, depth> slots_{};
    std::size_t next_ = 0;
    boost::lockfree::spsc_queue<T*, boost::lockfree::capacity<depth>> queue_;
};

template <class T, class Q>
T pop_spinning(Q& q) {
    unsigned spins = 0;
    for (;;) {
        if (auto v = q.try_pop()) return std::move(*v);
        spin_pause(spins);
    }
}

constexpr std::uint32_t batch = 64;

// The round trip, over any handle type: `box` makes a handle from a value, `open` takes it out.
template <class Handle, template <class> class Queue, class Box, class Open>
void round_trips(benchmark::State& state, Box box, Open open) {
    Queue<Handle> there;
    Queue<Handle> back;
    const auto trips = static_cast<std::int64_t>(state.max_iterations) * batch;
    std::thread partner([&] {
        for (std::int64_t i = 0; i < trips; ++i) {
            path_result r = open(pop_spinning<Handle>(there));
            r.waypoints[0] += 1.0f;
            back.push(box(r));
        }
    });
    std::uint32_t agent = 0;
    std::uint64_t bad = 0;
    for (auto _ : state) {
        for (std::uint32_t i = 0; i < batch; ++i) there.push(box(make_result(agent + i)));
        for (std::uint32_t i = 0; i < batch; ++i) {
            const path_result r = open(pop_spinning<Handle>(back));
            const std::uint32_t a = agent + i;  // one partner, FIFO channels: values come back in order
            if (r.agent != a || r.waypoints[0] != static_cast<float>(a) + 1.0f || r.waypoints[14] != static_cast<float>(a) + 14.0f) ++bad;
        }
        agent += batch;
    }
    partner.join();
    if (bad != 0) state.SkipWithError("a value came back changed");
    state.SetItemsProcessed(state.iterations() * batch);  // round trips
}

void bm_framealloc_mutex_queue(benchmark::State& state) {
    framealloc::smart_alloc alloc;
    round_trips<framealloc::transfer_handle<path_result>, mutex_queue>(
        state, [&](const path_result& r) { return alloc.frame_box_for_transfer(r); },
        [](framealloc::transfer_handle<path_result> h) { return h.receive(); });
}

void bm_framealloc_spsc(benchmark::State& state) {
    framealloc::smart_alloc alloc;
    round_trips<framealloc::transfer_handle<path_result>, spsc_channel>(
        state, [&](const path_result& r) { return alloc.frame_box_for_transfer(r); },
        [](framealloc::transfer_handle<path_result> h) { return h.receive(); });
}

// (Diagnosis) The box alone: a move-only owner of a pool block, without transfer_handle's statistics.
struct pool_box {
    path_result* value = nullptr;
    std::pmr::memory_resource* pool = nullptr;
    pool_box() = default;
    pool_box(path_result* v, std::pmr::memory_resource* p) : value(v), pool(p) {}
    pool_box(pool_box&& o) noexcept : value(std::exchange(o.value, nullptr)), pool(o.pool) {}
    pool_box& operator=(pool_box&& o) noexcept {
        std::swap(value, o.value);
        pool = o.pool;
        return *this;
    }
    ~pool_box() {
        if (value != nullptr) pool->deallocate(value, sizeof(path_result), alignof(path_result));
    }
};

void bm_pool_box_spsc(benchmark::State& state) {
    framealloc::smart_alloc alloc;
    std::pmr::memory_resource* pool = &alloc.pool_resource();
    round_trips<pool_box, spsc_channel>(
        state,
        [&](const path_result& r) {
            return pool_box(::new (pool->allocate(sizeof(path_result), alignof(path_result))) path_result(r), pool);
        },
        [](pool_box b) { return *b.value; });
}

void bm_unique_ptr_mutex_queue(benchmark::State& state) {
    round_trips<std::unique_ptr<path_result>, mutex_queue>(
        state, [](const path_result& r) { return std::make_unique<path_result>(r); },
        [](std::unique_ptr<path_result> p) { return *p; });
}

void bm_unique_ptr_spsc(benchmark::State& state) {
    round_trips<std::unique_ptr<path_result>, spsc_channel>(
        state, [](const path_result& r) { return std::make_unique<path_result>(r); },
        [](std::unique_ptr<path_result> p) { return *p; });
}

}  // namespace

BENCHMARK(bm_framealloc_mutex_queue)->Name("transfer/framealloc_mutex_queue")->UseRealTime();
BENCHMARK(bm_framealloc_spsc)->Name("transfer/framealloc_spsc")->UseRealTime();
BENCHMARK(bm_unique_ptr_mutex_queue)->Name("transfer/unique_ptr_mutex_queue")->UseRealTime();
BENCHMARK(bm_unique_ptr_spsc)->Name("transfer/unique_ptr_spsc")->UseRealTime();
BENCHMARK(bm_pool_box_spsc)->Name("transfer/pool_box_spsc")->UseRealTime();
