// Allocation through std::pmr::memory_resource* (one virtual call per request), as every std::pmr
// container does it: frame_resource against std::pmr::monotonic_buffer_resource, the standard's bump
// resource. perf/ratios.py reports resource_alloc/frame_resource over resource_alloc/monotonic (target:
// no slower).
//
// One iteration is one frame: n requests of mixed sizes (16..128 bytes, alignment 8 or 16), every byte
// written, then read back through the pointers, then the frame is released. Both resources get ample
// memory up front and never call upstream in steady state: frame_resource keeps its chunk across
// end_frame(); the monotonic resource starts on a preallocated buffer of the same size, to which
// release() rewinds.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <new>
#include <vector>

import framealloc;

namespace {

constexpr std::size_t block_bytes = std::size_t{1} << 20;
constexpr std::array<std::size_t, 8> request_sizes{16, 32, 48, 64, 24, 96, 40, 128};

struct request {
    std::uint64_t* words;
    std::size_t count;
};

// Builds one frame through `resource` and reads it back. The resource pointer is laundered through
// DoNotOptimize by the caller, so the call stays virtual, as it is for a container.
std::uint64_t build_and_read(std::pmr::memory_resource* resource, std::vector<request>& slots) {
    const std::size_t n = slots.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t bytes = request_sizes[i % request_sizes.size()];
        const std::size_t alignment = (i % 4 == 0) ? 16 : 8;
        auto* words = static_cast<std::uint64_t*>(resource->allocate(bytes, alignment));
        const std::size_t count = bytes / sizeof(std::uint64_t);
        for (std::size_t k = 0; k < count; ++k) words[k] = i + k;
        slots[i] = request{words, count};
    }
    benchmark::ClobberMemory();
    std::uint64_t sum = 0;
    for (const request& r : slots) sum += r.words[0] + r.words[r.count - 1];
    return sum;
}

void set_counters(benchmark::State& state) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void bm_frame_resource(benchmark::State& state) {
    framealloc::frame_arena_options options;
    options.initial_chunk_size = block_bytes;
    framealloc::frame_resource frames{options};
    std::pmr::memory_resource* resource = &frames;
    benchmark::DoNotOptimize(resource);
    std::vector<request> slots(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(build_and_read(resource, slots));
        frames.end_frame();
    }
    set_counters(state);
}

// Not a target: frame_arena is a memory_resource too, with one owner. Against frame_resource it shows
// the price of finding the calling thread's arena on every request.
void bm_frame_arena(benchmark::State& state) {
    framealloc::frame_arena_options options;
    options.initial_chunk_size = block_bytes;
    framealloc::frame_arena arena{options};
    std::pmr::memory_resource* resource = &arena;
    benchmark::DoNotOptimize(resource);
    std::vector<request> slots(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(build_and_read(resource, slots));
        arena.reset();
    }
    set_counters(state);
}

void bm_monotonic(benchmark::State& state) {
    std::vector<std::byte> buffer(block_bytes);
    std::pmr::monotonic_buffer_resource monotonic{buffer.data(), buffer.size(), std::pmr::new_delete_resource()};
    std::pmr::memory_resource* resource = &monotonic;
    benchmark::DoNotOptimize(resource);
    std::vector<request> slots(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(build_and_read(resource, slots));
        monotonic.release();
    }
    set_counters(state);
}

// 4096 requests: about 230 KiB a frame, inside L2.
BENCHMARK(bm_monotonic)->Name("resource_alloc/monotonic")->Arg(4096);
BENCHMARK(bm_frame_resource)->Name("resource_alloc/frame_resource")->Arg(4096);
BENCHMARK(bm_frame_arena)->Name("resource_alloc/frame_arena")->Arg(4096);

}  // namespace
