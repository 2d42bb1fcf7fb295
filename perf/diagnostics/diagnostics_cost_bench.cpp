// The cost of diagnostics on the fast paths. This file is built twice: framealloc_diag_bench against
// the library as configured (diagnostics compiled in) and framealloc_diag_bench_off against a copy
// built with FRAMEALLOC_DIAGNOSTICS=0 (compiled out). perf/diagnostics_cost.py runs both and prints
// the ratios; the target is tags and statistics on the frame path within 1.15x of compiled out.
//
// Modes (the benchmark's argument): 0 idle (no tag opened), 1 tagged (every allocation under a tag,
// the frame loop under an outer one), 2 tagged with the behaviour filter enabled (its work runs at
// end_frame). One iteration is one frame: begin_frame, n allocations, end_frame.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <optional>

import framealloc;

namespace {

struct alignas(16) particle {
    float position[4];
    float velocity[4];
    float color[4];
    float life;
    float size;
    std::uint32_t id;
    std::uint32_t flags;
    explicit particle(std::uint32_t i) noexcept
        : position{float(i), 1, 2, 1}, velocity{0.5f, float(i), 0.25f, 0}, color{1, 0.5f, 0.25f, float(i)},
          life{1}, size{0.125f}, id{i}, flags{i ^ 0x5a5au} {}
};
static_assert(sizeof(particle) == 64);

constexpr int frame_objects = 4096;
constexpr int pool_pairs = 1024;

struct mode_scope {
    explicit mode_scope(int mode) {
        if (mode >= 2) framealloc::enable_behavior_filter();
        if (mode >= 1) tag.emplace("bench::physics");
    }
    ~mode_scope() {
        tag.reset();
        framealloc::disable_behavior_filter();
        framealloc::clear_behavior_report();
    }
    std::optional<framealloc::scoped_tag> tag;
};

void bm_frame_alloc(benchmark::State& state) {
    framealloc::smart_alloc alloc;
    mode_scope mode(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        alloc.begin_frame();
        std::uint32_t sum = 0;
        for (int i = 0; i < frame_objects; ++i) sum += alloc.frame_alloc<particle>(std::uint32_t(i))->flags;
        benchmark::DoNotOptimize(sum);
        alloc.end_frame();
    }
    state.SetItemsProcessed(state.iterations() * frame_objects);
}

void bm_thread_frame(benchmark::State& state) {
    framealloc::smart_alloc alloc;
    mode_scope mode(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        alloc.begin_frame();
        framealloc::frame_handle frame = alloc.thread_frame();
        std::uint32_t sum = 0;
        for (int i = 0; i < frame_objects; ++i) sum += frame.alloc<particle>(std::uint32_t(i))->flags;
        benchmark::DoNotOptimize(sum);
        alloc.end_frame();
    }
    state.SetItemsProcessed(state.iterations() * frame_objects);
}

// Pairs of 16-256 byte allocate/deallocate through memory_resource*, as the pool suite measures.
void bm_pool_pairs(benchmark::State& state) {
    framealloc::smart_alloc alloc;
    mode_scope mode(static_cast<int>(state.range(0)));
    std::pmr::memory_resource* r = &alloc.pool_resource();
    std::array<void*, 16> live{};
    // Slot k always holds a block of 16 + 16 k bytes: each step frees the slot's previous block and
    // allocates a new one of the same size.
    auto size_of = [](std::size_t k) { return 16 + 16 * k; };
    for (auto _ : state) {
        alloc.begin_frame();
        for (int i = 0; i < pool_pairs; ++i) {
            const std::size_t k = std::size_t(i) % live.size();
            if (live[k] != nullptr) r->deallocate(live[k], size_of(k), 8);
            live[k] = r->allocate(size_of(k), 8);
            benchmark::DoNotOptimize(live[k]);
        }
        alloc.end_frame();
    }
    for (std::size_t k = 0; k < live.size(); ++k)
        if (live[k] != nullptr) r->deallocate(live[k], size_of(k), 8);
    state.SetItemsProcessed(state.iterations() * pool_pairs);
}

}  // namespace

BENCHMARK(bm_frame_alloc)->Name("diag/frame_alloc")->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(bm_thread_frame)->Name("diag/thread_frame")->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(bm_pool_pairs)->Name("diag/pool_pairs")->Arg(0)->Arg(1)->Arg(2);
