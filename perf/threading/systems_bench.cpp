// A frame of N parallel systems under oneTBB: every system is a task that builds the containers and
// small objects of its frame on one memory resource, reads them back and tears them down. One iteration
// is one frame: the tasks run on the arena's threads and are waited for; what the frame allocated is
// gone at the end of it (the baselines free each block, framealloc ends the frame).
//
//   framealloc           framealloc::run_frame (task group, begin_frame/end_frame) with a tbb_worker_binder;
//                        every system allocates from the smart_alloc's frame_resource
//   framealloc_raw_tbb   (information) a plain tbb::task_group between begin_frame() and end_frame():
//                        the frame_resource alone, without run_frame's counting and boxing of tasks
//   tbbmalloc            the same tasks (plain task group) on tbb::scalable_memory_resource()
//   new_delete           the same tasks on std::pmr::new_delete_resource() (glibc malloc)
//
// The systems do identical work on every resource: vectors grown by push_back, a hash map of entity ids,
// strings of mixed lengths (short ones in the SSO buffer), and a thousand small objects (32-96 bytes)
// allocated one by one through the resource, all written and read. Real time is the measure (a frame
// is done when its last system is).
#include <benchmark/benchmark.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/scalable_allocator.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

import framealloc;

namespace {

constexpr std::size_t contacts_per_system = 2048;
constexpr std::size_t map_entries = 512;
constexpr std::size_t strings = 256;
constexpr std::size_t small_objects = 1024;
constexpr std::array<std::size_t, 6> string_lengths{5, 14, 22, 40, 72, 130};

struct contact {
    std::uint32_t a, b;
    float depth, normal[3];
};

constexpr std::uint32_t key_of(std::size_t i) noexcept { return static_cast<std::uint32_t>(i) * 2654435761u; }

// One system's frame on `r`. Returns a checksum of everything it read back.
std::uint64_t system_frame(std::pmr::memory_resource* r, std::uint32_t system) {
    std::uint64_t sum = 0;
    std::pmr::vector<contact> contacts{r};
    for (std::uint32_t i = 0; i < contacts_per_system; ++i)
        contacts.push_back(contact{i, i + system, 0.01f * static_cast<float>(i % 7), {0.0f, 1.0f, 0.0f}});
    std::pmr::vector<std::uint32_t> order{r};
    for (std::uint32_t i = 0; i < contacts_per_system; i += 2) order.push_back(i);

    std::pmr::unordered_map<std::uint32_t, std::uint32_t> index{r};
    for (std::size_t i = 0; i < map_entries; ++i) index.emplace(key_of(i + system), static_cast<std::uint32_t>(i));

    std::pmr::vector<std::pmr::string> names{r};
    for (std::size_t i = 0; i < strings; ++i) names.emplace_back(string_lengths[i % string_lengths.size()], static_cast<char>('a' + i % 26));

    // Small objects of mixed sizes, one request each (what `new Node` would be), written whole.
    std::array<void*, small_objects> objects;
    for (std::size_t i = 0; i < small_objects; ++i) {
        const std::size_t bytes = 32 + 32 * (i % 3);
        objects[i] = r->allocate(bytes, alignof(std::max_align_t));
        std::memset(objects[i], static_cast<int>(i & 0xFF), bytes);
    }

    for (const contact& c : contacts) sum += c.a + c.b;
    for (std::uint32_t o : order) sum += contacts[o].b;
    for (std::size_t i = 0; i < map_entries; ++i) sum += index.find(key_of(i + system))->second;
    for (const std::pmr::string& s : names) sum += s.size() + static_cast<unsigned char>(s[s.size() / 2]);
    for (std::size_t i = 0; i < small_objects; ++i) {
        const std::size_t bytes = 32 + 32 * (i % 3);
        sum += static_cast<const unsigned char*>(objects[i])[bytes - 1];
        r->deallocate(objects[i], bytes, alignof(std::max_align_t));  // a no-op on frame memory
    }
    return sum;
}  // the containers die here

std::uint32_t systems(const benchmark::State& state) { return static_cast<std::uint32_t>(state.range(0)); }

// The same arena for every contender: as many threads as the machine has.
tbb::task_arena& bench_arena() {
    static tbb::task_arena arena;
    return arena;
}

void run_baseline(benchmark::State& state, std::pmr::memory_resource* r) {
    std::atomic<std::uint64_t> sum{0};
    bench_arena().execute([&] {
        for (auto _ : state) {
            tbb::task_group g;
            for (std::uint32_t s = 0; s < systems(state); ++s)
                g.run([&, s] { sum.fetch_add(system_frame(r, s), std::memory_order_relaxed); });
            g.wait();
        }
    });
    benchmark::DoNotOptimize(sum.load());
}

void bm_framealloc(benchmark::State& state) {
    framealloc::smart_alloc alloc;
    framealloc::tbb_worker_binder binder{alloc, bench_arena()};
    std::atomic<std::uint64_t> sum{0};
    bench_arena().execute([&] {
        for (auto _ : state) {
            framealloc::run_frame(alloc, [&](framealloc::frame_task_group& tasks) {
                for (std::uint32_t s = 0; s < systems(state); ++s)
                    tasks.run([&, s] { sum.fetch_add(system_frame(&alloc.frame_resource(), s), std::memory_order_relaxed); });
            });
        }
    });
    benchmark::DoNotOptimize(sum.load());
}

void bm_framealloc_raw_tbb(benchmark::State& state) {
    framealloc::smart_alloc alloc;
    framealloc::tbb_worker_binder binder{alloc, bench_arena()};
    std::atomic<std::uint64_t> sum{0};
    bench_arena().execute([&] {
        for (auto _ : state) {
            alloc.begin_frame();
            tbb::task_group g;
            for (std::uint32_t s = 0; s < systems(state); ++s)
                g.run([&, s] { sum.fetch_add(system_frame(&alloc.frame_resource(), s), std::memory_order_relaxed); });
            g.wait();
            (void)alloc.end_frame();
        }
    });
    benchmark::DoNotOptimize(sum.load());
}

void bm_tbbmalloc(benchmark::State& state) { run_baseline(state, tbb::scalable_memory_resource()); }

void bm_new_delete(benchmark::State& state) { run_baseline(state, std::pmr::new_delete_resource()); }

}  // namespace

BENCHMARK(bm_framealloc)->Name("systems/framealloc")->Arg(4)->Arg(16)->UseRealTime();
BENCHMARK(bm_framealloc_raw_tbb)->Name("systems/framealloc_raw_tbb")->Arg(4)->Arg(16)->UseRealTime();
BENCHMARK(bm_tbbmalloc)->Name("systems/tbbmalloc")->Arg(4)->Arg(16)->UseRealTime();
BENCHMARK(bm_new_delete)->Name("systems/new_delete")->Arg(4)->Arg(16)->UseRealTime();
