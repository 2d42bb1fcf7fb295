// A frame of std::pmr containers, built, read and torn down on different resources: frame_resource
// (end_frame() each frame), std::pmr::new_delete_resource(), and a monotonic_buffer_resource over
// new/delete released each frame. perf/ratios.py reports new_delete and monotonic over frame_resource
// (targets: at least 2x, and above 1x).
//
// The frame: four vectors of ints/floats grown by push_back, 1024 strings of lengths 3..250 (short
// ones stay in the SSO buffer) each extended once, and an unordered_map of n entries (10'000 by
// default); then everything is read back (every map entry looked up) and destroyed. The containers do
// identical work on every resource; only where their memory comes from and goes back to differs.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <string>
#include <unordered_map>
#include <vector>

import framealloc;

namespace {

constexpr std::size_t vector_elements = 4096;
constexpr std::size_t string_count = 1024;
constexpr std::array<std::size_t, 8> string_lengths{3, 12, 15, 24, 40, 64, 120, 250};

// Spreads keys over the hash table the way entity ids would, without being sequential.
constexpr std::uint32_t key_of(std::size_t i) noexcept { return static_cast<std::uint32_t>(i) * 2654435761u; }

std::uint64_t container_frame(std::pmr::memory_resource* resource, std::size_t map_entries) {
    std::pmr::vector<int> ids{resource};
    std::pmr::vector<int> parents{resource};
    std::pmr::vector<float> xs{resource};
    std::pmr::vector<float> weights{resource};
    for (std::size_t i = 0; i < vector_elements; ++i) {
        ids.push_back(static_cast<int>(i));
        xs.push_back(static_cast<float>(i) * 0.5f);
        if (i % 2 == 0) parents.push_back(static_cast<int>(i / 2));
        if (i % 3 == 0) weights.push_back(1.0f / static_cast<float>(i + 1));
    }

    std::pmr::vector<std::pmr::string> names{resource};  // the strings get the resource too
    for (std::size_t i = 0; i < string_count; ++i) {
        names.emplace_back(string_lengths[i % string_lengths.size()], static_cast<char>('a' + i % 26));
        names.back() += "_lod";
    }

    std::pmr::unordered_map<std::uint32_t, float> positions{resource};
    for (std::size_t i = 0; i < map_entries; ++i) positions.emplace(key_of(i), static_cast<float>(i));

    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) sum += static_cast<std::uint64_t>(ids[i]) + static_cast<std::uint64_t>(xs[i]);
    for (const int p : parents) sum += static_cast<std::uint64_t>(p);
    for (const float w : weights) sum += static_cast<std::uint64_t>(w * 1024.0f);
    for (const std::pmr::string& s : names) sum += s.size() + static_cast<unsigned char>(s[s.size() / 2]);
    for (std::size_t i = 0; i < map_entries; ++i) sum += static_cast<std::uint64_t>(positions.find(key_of(i))->second);
    return sum;
}  // every container is destroyed here, giving its memory back to the resource

std::size_t map_entries(const benchmark::State& state) { return static_cast<std::size_t>(state.range(0)); }

void bm_frame_resource(benchmark::State& state) {
    framealloc::frame_resource frames;  // default options: 64 KiB first chunk, growing, chunks kept
    for (auto _ : state) {
        benchmark::DoNotOptimize(container_frame(&frames, map_entries(state)));
        frames.end_frame();
    }
}

void bm_new_delete(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(container_frame(std::pmr::new_delete_resource(), map_entries(state)));
}

void bm_monotonic(benchmark::State& state) {
    std::pmr::monotonic_buffer_resource monotonic{std::pmr::new_delete_resource()};
    for (auto _ : state) {
        benchmark::DoNotOptimize(container_frame(&monotonic, map_entries(state)));
        monotonic.release();
    }
}

// Not a target: a monotonic resource that starts on a preallocated 1 MiB buffer, so release() makes no
// upstream calls, like frame_resource, which keeps its chunks. Separates "bump" from "keeps its memory".
void bm_monotonic_buffered(benchmark::State& state) {
    std::vector<std::byte> buffer(std::size_t{1} << 20);
    std::pmr::monotonic_buffer_resource monotonic{buffer.data(), buffer.size(), std::pmr::new_delete_resource()};
    for (auto _ : state) {
        benchmark::DoNotOptimize(container_frame(&monotonic, map_entries(state)));
        monotonic.release();
    }
}

BENCHMARK(bm_new_delete)->Name("pmr_containers/new_delete")->Arg(10'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_monotonic)->Name("pmr_containers/monotonic")->Arg(10'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_monotonic_buffered)->Name("pmr_containers/monotonic_buffered")->Arg(10'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_frame_resource)->Name("pmr_containers/frame_resource")->Arg(10'000)->Unit(benchmark::kMicrosecond);

}  // namespace
