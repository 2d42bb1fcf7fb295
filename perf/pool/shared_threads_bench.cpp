// Two threads sharing one resource, each allocating and freeing its own blocks (workload.hpp's batches
// of 64 requests of 16..256 B, FIFO): aggregate throughput. perf/ratios.py --suite pool reports
// std_sync and mimalloc over framealloc in real time (targets: at least 5x, on par or better).
//
// Google Benchmark runs the function on two threads (->Threads(2)); the shared resource of each
// contender is made once (a function-local static, so its slabs and thread bindings outlive the runs)
// and warmed by each thread before timing. The threads start half a sequence apart, so they never ask
// for the same size at the same moment by construction. Real time is the measure (UseRealTime): the
// reported time is per batch of either thread, so items_per_second is the throughput of both together.
// The unsynchronized pools are not contenders here; foonathan's pool is guarded by a std::mutex.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <string>

#include "contenders.hpp"
#include "workload.hpp"

namespace {

using pool_perf::contender;

struct shared_entry {
    std::once_flag made;
    std::unique_ptr<pool_perf::resource_box> box;
    std::string why;
};

// The resource both threads share; made once per contender, kept until exit.
shared_entry& shared_resource(contender c) {
    static std::array<shared_entry, pool_perf::contender_count> entries;
    shared_entry& e = entries[static_cast<std::size_t>(c)];
    std::call_once(e.made, [&] {
        pool_perf::box_options options;
        options.shared = true;
        e.box = pool_perf::make_resource(c, options, e.why);
    });
    return e;
}

template <contender C>
void bm_shared(benchmark::State& state) {
    shared_entry& shared = shared_resource(C);
    if (!shared.box) {
        state.SkipWithError(shared.why.c_str());
        return;
    }
    std::pmr::memory_resource* resource = shared.box->get();
    benchmark::DoNotOptimize(resource);
    const std::size_t start = static_cast<std::size_t>(state.thread_index()) * (pool_perf::batches_in_sequence / 2);
    for (std::size_t b = 0; b < pool_perf::batches_in_sequence; ++b)  // warm-up: this thread's cache, one pass
        benchmark::DoNotOptimize(pool_perf::run_batch(resource, b * pool_perf::batch_size));
    std::size_t batch = start;
    for (auto _ : state) {
        benchmark::DoNotOptimize(pool_perf::run_batch(resource, batch * pool_perf::batch_size));
        batch = (batch + 1) % pool_perf::batches_in_sequence;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

#define POOL_PERF_SHARED(c)                                                       \
    BENCHMARK_TEMPLATE(bm_shared, contender::c)                                   \
        ->Name("shared_2_threads/" #c)                                            \
        ->Arg(pool_perf::batch_size)                                              \
        ->Threads(2)                                                              \
        ->UseRealTime()

POOL_PERF_SHARED(framealloc);
POOL_PERF_SHARED(glibc);
POOL_PERF_SHARED(mimalloc);
POOL_PERF_SHARED(jemalloc);
POOL_PERF_SHARED(tbbmalloc);
POOL_PERF_SHARED(std_sync);
POOL_PERF_SHARED(boost_sync);
POOL_PERF_SHARED(foonathan);

}  // namespace
