// One thread, alloc+free pairs of 16..256 B through std::pmr::memory_resource*: framealloc's
// pool_resource against glibc malloc, mimalloc, jemalloc, tbbmalloc, the std and Boost pool resources
// and a foonathan memory_pool. perf/ratios.py --suite pool reports glibc, std_unsync and mimalloc over
// framealloc (targets: at least 2x, at least 2x, above 1x) and the others for information.
//
// One iteration is one batch of workload.hpp: 64 requests allocated and written, then read back and
// freed in the same order; successive iterations walk the fixed 4096-request sequence, so every
// contender sees the same requests in the same order. Each run makes a fresh resource and warms it with
// one pass over the sequence before timing (a pool's first slabs, a malloc's first pages are not the
// steady state measured here). Items: alloc+free pairs.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>

#include "contenders.hpp"
#include "workload.hpp"

namespace {

using pool_perf::contender;

template <contender C>
void bm_alloc_free(benchmark::State& state) {
    std::string why;
    const std::unique_ptr<pool_perf::resource_box> box = pool_perf::make_resource(C, pool_perf::box_options{}, why);
    if (!box) {
        state.SkipWithError(why.c_str());
        return;
    }
    std::pmr::memory_resource* resource = box->get();
    benchmark::DoNotOptimize(resource);
    for (std::size_t b = 0; b < pool_perf::batches_in_sequence; ++b)  // warm-up: one pass
        benchmark::DoNotOptimize(pool_perf::run_batch(resource, b * pool_perf::batch_size));
    std::size_t batch = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(pool_perf::run_batch(resource, batch * pool_perf::batch_size));
        batch = (batch + 1) % pool_perf::batches_in_sequence;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

#define POOL_PERF_ALLOC_FREE(c) \
    BENCHMARK_TEMPLATE(bm_alloc_free, contender::c)->Name("alloc_free/" #c)->Arg(pool_perf::batch_size)

POOL_PERF_ALLOC_FREE(framealloc);
POOL_PERF_ALLOC_FREE(glibc);
POOL_PERF_ALLOC_FREE(mimalloc);
POOL_PERF_ALLOC_FREE(jemalloc);
POOL_PERF_ALLOC_FREE(tbbmalloc);
POOL_PERF_ALLOC_FREE(std_unsync);
POOL_PERF_ALLOC_FREE(std_sync);
POOL_PERF_ALLOC_FREE(boost_unsync);
POOL_PERF_ALLOC_FREE(boost_sync);
POOL_PERF_ALLOC_FREE(foonathan);
POOL_PERF_ALLOC_FREE(floor);  // information: the benchmark's own cost (contenders.hpp)
POOL_PERF_ALLOC_FREE(ideal);  // information: a size-class pool stripped of everything (contenders.hpp)
POOL_PERF_ALLOC_FREE(ideal_checked);  // information: ideal plus only the duties every pool fast path has

}  // namespace
