// The cost of a snapshot, the cold side of diagnostics: build_snapshot() (statistics merge, per-thread
// arenas, budgets, the behaviour filter's report), to_json(), and emit() (JSON written to a file,
// renamed into place, old files pruned) for a program of 8 threads that each used 200 tags in the
// frame described. Snapshot writing runs at a frame boundary on the frame owner, never on an
// allocation path: this is what one costs the frame that takes it.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

import framealloc;

namespace {

constexpr int thread_count = 8;
constexpr int tags_per_thread = 200;

// One frame's traffic by 8 live threads over 200 tags each (frame, pool and heap memory), then
// end_frame(). The threads stay alive (parked) so that the snapshot describes 8 threads with arenas;
// the state is built once and lives until the process exits.
struct program {
    framealloc::smart_alloc alloc;
    std::mutex mutex;
    std::condition_variable cv;
    int ready = 0;
    std::vector<std::thread> threads;

    program() {
        alloc.begin_frame();
        for (int t = 0; t < thread_count; ++t) {
            threads.emplace_back([this, t] {
                framealloc::set_thread_name("worker " + std::to_string(t));
                for (int g = 0; g < tags_per_thread; ++g) {
                    alloc.with_tag("system" + std::to_string(g % 20) + "::part" + std::to_string(g), [&] {
                        (void)alloc.frame_alloc_bytes(64, 8);
                        void* p = alloc.pool_resource().allocate(96, 8);
                        alloc.pool_resource().deallocate(p, 96, 8);
                        if (g % 10 == 0) {
                            void* h = alloc.heap_resource().allocate(20000, 8);
                            alloc.heap_resource().deallocate(h, 20000, 8);
                        }
                    });
                }
                std::unique_lock lock(mutex);
                ++ready;
                cv.notify_all();
                cv.wait(lock, [] { return false; });  // parked for the life of the process
            });
            threads.back().detach();
        }
        std::unique_lock lock(mutex);
        cv.wait(lock, [this] { return ready == thread_count; });
        lock.unlock();
        alloc.end_frame();
    }
};

program& the_program() {
    static program* p = new program;  // never destroyed: its threads never return
    return *p;
}

void report_size(benchmark::State& state, const framealloc::snapshot& s) {
    state.counters["threads"] = static_cast<double>(s.threads.size());
    state.counters["tag_rows"] = static_cast<double>(s.tags.size());
}

void BM_build_snapshot(benchmark::State& state) {
    program& p = the_program();
    framealloc::snapshot s;
    for (auto _ : state) {
        s = framealloc::build_snapshot(p.alloc);
        benchmark::DoNotOptimize(s);
    }
    report_size(state, s);
}
BENCHMARK(BM_build_snapshot)->Unit(benchmark::kMicrosecond);

void BM_snapshot_to_json(benchmark::State& state) {
    program& p = the_program();
    const framealloc::snapshot s = framealloc::build_snapshot(p.alloc);
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string json = framealloc::to_json(s);
        bytes = json.size();
        benchmark::DoNotOptimize(json.data());
    }
    state.counters["json_bytes"] = static_cast<double>(bytes);
    report_size(state, s);
}
BENCHMARK(BM_snapshot_to_json)->Unit(benchmark::kMicrosecond);

// What a program pays per snapshot it writes: build, serialise, write, rename, prune (4 kept).
void BM_build_and_emit(benchmark::State& state) {
    program& p = the_program();
    const auto dir = std::filesystem::temp_directory_path() / ("framealloc-snapshot-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    framealloc::snapshot_emitter emitter{framealloc::snapshot_config{}.with_directory(dir).with_max_snapshots(4)};
    framealloc::snapshot s;
    std::uint64_t frame = 0;
    for (auto _ : state) {
        s = framealloc::build_snapshot(p.alloc, ++frame);
        benchmark::DoNotOptimize(emitter.emit(s));
    }
    report_size(state, s);
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_build_and_emit)->Unit(benchmark::kMicrosecond);

}  // namespace
