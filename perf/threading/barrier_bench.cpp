// Barrier cost per frame: T threads (the benchmark thread and T - 1 partners) meet once per frame with
// no work in between, so the time per iteration is what one frame's rendezvous costs.
//
//   frame_barrier   framealloc::frame_barrier::arrive_and_wait() (signal_frame_complete + wait_all)
//   std_barrier     std::barrier<>::arrive_and_wait()
//
// The partners are made before timing and do exactly as many rendezvous as the benchmark thread
// (state.max_iterations), so nobody waits for a partner that already left. Real time is the measure.
#include <benchmark/benchmark.h>

#include <barrier>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

import framealloc;

namespace {

template <class Barrier>
void rendezvous(benchmark::State& state, Barrier& barrier) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    const auto frames = static_cast<std::int64_t>(state.max_iterations);
    std::vector<std::thread> partners;
    for (std::size_t t = 1; t < threads; ++t)
        partners.emplace_back([&] {
            for (std::int64_t f = 0; f < frames; ++f) barrier.arrive_and_wait();
        });
    for (auto _ : state) barrier.arrive_and_wait();
    for (std::thread& p : partners) p.join();
}

void bm_frame_barrier(benchmark::State& state) {
    framealloc::frame_barrier barrier(static_cast<std::size_t>(state.range(0)));
    rendezvous(state, barrier);
}

void bm_std_barrier(benchmark::State& state) {
    std::barrier<> barrier(static_cast<std::ptrdiff_t>(state.range(0)));
    rendezvous(state, barrier);
}

}  // namespace

BENCHMARK(bm_frame_barrier)->Name("barrier/frame_barrier")->Arg(2)->Arg(4)->UseRealTime();
BENCHMARK(bm_std_barrier)->Name("barrier/std_barrier")->Arg(2)->Arg(4)->UseRealTime();
