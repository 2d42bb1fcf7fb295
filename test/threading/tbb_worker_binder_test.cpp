// tbb_worker_binder: threads of a task arena are bound to the frame and pool resources when they join
// (before their first allocation), and hand their pool cache back when they leave.
#include <boost/test/unit_test.hpp>

#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "tbb_test_support.hpp"

import framealloc;

namespace {
bool bound_to_frames(framealloc::smart_alloc& a) {
    return framealloc::detail::find_thread_state(a.frame_resource().id()) != nullptr;
}
bool bound_to_pools(framealloc::smart_alloc& a) {
    return framealloc::detail::find_thread_state(a.pool_resource().id()) != nullptr;
}

// Runs `n` tasks in `arena` that meet in a rendezvous, so they run on n distinct threads; each calls
// probe() first. Returns false when the threads did not all come.
template <class Probe>
bool on_distinct_threads(tbb::task_arena& arena, std::size_t n, Probe probe) {
    framealloc_test::rendezvous meet(n);
    std::atomic<bool> all_met{true};
    framealloc_test::publish();
    arena.execute([&] {
        tbb::task_group g;
        for (std::size_t i = 0; i < n; ++i)
            g.run([&] {
                framealloc_test::receive();
                probe();
                if (!meet.arrive_and_wait()) all_met = false;
            });
        g.wait();
    });
    return all_met.load();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(tbb_worker_binder_suite)

BOOST_AUTO_TEST_CASE(threads_joining_an_arena_are_bound_before_their_first_allocation) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    framealloc::smart_alloc unbound;  // the control: no binder, so its threads bind on first use only
    tbb::task_arena arena(4);
    framealloc::tbb_worker_binder binder{alloc, arena};

    std::atomic<int> bound{0}, control_bound{0};
    const bool met = on_distinct_threads(arena, 4, [&] {
        if (bound_to_frames(alloc) && bound_to_pools(alloc)) ++bound;
        if (bound_to_frames(unbound) || bound_to_pools(unbound)) ++control_bound;
    });
    BOOST_REQUIRE(met);
    BOOST_TEST(bound.load() == 4);
    BOOST_TEST(control_bound.load() == 0);
    // Bound means an arena and a cache exist for each thread, with nothing allocated yet.
    BOOST_TEST(alloc.frame_resource().stats().threads >= 4u);
    BOOST_TEST(alloc.frame_resource().stats().bytes_used == 0u);
    BOOST_TEST(alloc.pool_resource().stats().threads >= 4u);
    BOOST_TEST(unbound.frame_resource().stats().threads == 0u);
    BOOST_TEST(binder.stats().entries >= 4u);
    BOOST_TEST(binder.stats().bind_failures == 0u);
}

BOOST_AUTO_TEST_CASE(the_default_arena) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    framealloc::tbb_worker_binder binder{alloc};  // the calling thread's arena: the default one
    std::atomic<int> bound{0};
    framealloc_test::rendezvous meet(2);
    std::atomic<bool> met{true};
    tbb::task_group g;
    framealloc_test::publish();
    for (int i = 0; i < 2; ++i)
        g.run([&] {
            framealloc_test::receive();
            if (bound_to_frames(alloc) && bound_to_pools(alloc)) ++bound;
            if (!meet.arrive_and_wait()) met = false;
        });
    g.wait();
    BOOST_REQUIRE(met.load());
    BOOST_TEST(bound.load() == 2);
}

// A worker that leaves the arena flushes its pool cache: the blocks it freed reach the depot, where
// another thread's next refill of that size class finds them.
BOOST_AUTO_TEST_CASE(a_leaving_worker_returns_its_pool_cache) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    tbb::task_arena arena(2);  // one worker; enqueue() runs on workers only, never on this thread
    framealloc::tbb_worker_binder binder{alloc, arena};
    constexpr std::size_t block = 200;
    constexpr int count = 3;  // fewer than a batch: without the flush they would stay in the worker's cache
    std::vector<void*> freed_by_worker;
    std::atomic<bool> done{false};
    const std::uint64_t exits_before = binder.stats().exits;
    framealloc_test::publish();
    arena.enqueue([&] {
        framealloc_test::receive();
        std::vector<void*> blocks;
        for (int i = 0; i < count; ++i) blocks.push_back(alloc.pool_resource().allocate(block, 8));
        for (void* p : blocks) alloc.pool_resource().deallocate(p, block, 8);
        freed_by_worker = blocks;
        done = true;
    });
    BOOST_REQUIRE(framealloc_test::wait_for([&] { return done.load(); }));
    BOOST_REQUIRE(framealloc_test::wait_for([&] { return binder.stats().exits > exits_before; }));
    // This thread never allocated from this pool: its refill pops the newest batch of the class's depot.
    std::set<void*> mine;
    for (int i = 0; i < count; ++i) mine.insert(alloc.pool_resource().allocate(block, 8));
    BOOST_TEST((mine == std::set<void*>(freed_by_worker.begin(), freed_by_worker.end())));
    for (void* p : mine) alloc.pool_resource().deallocate(p, block, 8);
}

BOOST_AUTO_TEST_CASE(workers_allocate_frame_and_pool_memory_over_many_frames) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    tbb::task_arena arena(4);
    framealloc::tbb_worker_binder binder{alloc, arena};
    constexpr int frames = 100;
    constexpr int tasks_per_frame = 16;
    std::vector<framealloc::pool_ptr<std::uint64_t>> carried(tasks_per_frame);
    std::atomic<int> bad{0};
    arena.execute([&] {
        for (int frame = 1; frame <= frames; ++frame) {
            const framealloc::frame_resource_stats s = framealloc::run_frame(alloc, [&](framealloc::frame_task_group& tasks) {
                for (int t = 0; t < tasks_per_frame; ++t)
                    tasks.run([&, t] {
                        auto& slot = carried[static_cast<std::size_t>(t)];
                        if (slot && *slot != std::uint64_t(frame - 1) * 100 + t) ++bad;
                        slot = alloc.pool_alloc<std::uint64_t>(std::uint64_t(frame) * 100 + t);
                        std::uint32_t* scratch = alloc.frame_array<std::uint32_t>(256).data();
                        for (std::uint32_t i = 0; i < 256; ++i) scratch[i] = i ^ static_cast<std::uint32_t>(frame);
                        for (std::uint32_t i = 0; i < 256; ++i)
                            if (scratch[i] != (i ^ static_cast<std::uint32_t>(frame))) ++bad;
                    });
            });
            if (s.bytes_used < std::size_t(tasks_per_frame) * 1024) ++bad;
        }
    });
    BOOST_TEST(bad.load() == 0);
    BOOST_TEST(binder.stats().bind_failures == 0u);
    for (int t = 0; t < tasks_per_frame; ++t)
        BOOST_TEST(*carried[static_cast<std::size_t>(t)] == std::uint64_t(frames) * 100 + t);
}

BOOST_AUTO_TEST_SUITE_END()
