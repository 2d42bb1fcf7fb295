// frame_task_group: tasks run on TBB threads, allocate frame and pool memory, are counted from
// submission to completion; exceptions reach wait(); cancelled and failed tasks destroy their bodies
// exactly once; the destructor never lets a task outlive the group.
#include <boost/test/unit_test.hpp>

#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <memory_resource>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tbb_test_support.hpp"

import framealloc;

namespace {
// A capture that counts its live copies: every body must be destroyed exactly once, run or not.
std::atomic<int> live_captures{0};
struct tracked_capture {
    tracked_capture() { ++live_captures; }
    tracked_capture(const tracked_capture&) { ++live_captures; }
    tracked_capture(tracked_capture&&) noexcept { ++live_captures; }
    ~tracked_capture() { --live_captures; }
};

struct entity {
    std::uint64_t id;
    double mass;
    std::string name;  // owns heap memory past the small-string buffer
};
}  // namespace

BOOST_AUTO_TEST_SUITE(frame_task_group_suite)

BOOST_AUTO_TEST_CASE(tasks_allocate_frame_and_pool_memory_on_several_threads) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    framealloc::tbb_worker_binder binder{alloc};
    constexpr int tasks_per_frame = 64;
    std::vector<framealloc::pool_ptr<entity>> kept(tasks_per_frame);  // pool objects across frames
    std::mutex threads_mutex;
    std::set<std::thread::id> threads;
    for (int frame = 1; frame <= 20; ++frame) {
        alloc.begin_frame();
        std::atomic<int> bad{0};
        {
            framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
            for (int t = 0; t < tasks_per_frame; ++t)
                tasks.run([&, t] {
                    {
                        std::lock_guard lock(threads_mutex);
                        threads.insert(std::this_thread::get_id());
                    }
                    std::pmr::vector<std::uint64_t> v = alloc.frame_vector<std::uint64_t>();
                    for (std::uint64_t i = 0; i < 500; ++i) v.push_back(i * t + frame);
                    auto label = alloc.frame_string("task ", 5);
                    label += std::to_string(t);
                    // Last frame's entity of this slot must be intact before it is replaced.
                    auto& slot = kept[static_cast<std::size_t>(t)];
                    if (slot && (slot->id != std::uint64_t(frame - 1) * 1000 + t ||
                                 slot->name != "entity of frame " + std::to_string(frame - 1)))
                        ++bad;
                    slot = alloc.pool_alloc<entity>(entity{std::uint64_t(frame) * 1000 + t, 1.5 * t,
                                                           "entity of frame " + std::to_string(frame)});
                    for (std::uint64_t i = 0; i < 500; ++i)
                        if (v[i] != i * t + frame) ++bad;
                    if (std::string_view(label) != "task " + std::to_string(t)) ++bad;
                });
            BOOST_TEST(tasks.wait());
        }
        BOOST_TEST(bad.load() == 0);
        BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
        const framealloc::frame_resource_stats s = alloc.end_frame();
        BOOST_TEST(s.bytes_used >= std::size_t(tasks_per_frame) * 500 * sizeof(std::uint64_t));
    }
    for (int t = 0; t < tasks_per_frame; ++t) BOOST_TEST(kept[static_cast<std::size_t>(t)]->id == 20000u + t);
    // Work really spread (the rendezvous in the binder test proves distinct threads deterministically).
    BOOST_TEST_MESSAGE("threads that ran tasks: " << threads.size());
    BOOST_TEST(threads.size() >= 1u);
}

BOOST_AUTO_TEST_CASE(tasks_can_submit_tasks) {
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    std::atomic<int> leaves{0};
    {
        framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
        for (int a = 0; a < 8; ++a)
            tasks.run([&] {
                for (int b = 0; b < 8; ++b)
                    tasks.run([&, b] {
                        int* x = alloc.frame_alloc<int>(b);
                        if (*x == b) ++leaves;
                    });
            });
        BOOST_TEST(tasks.wait());
    }
    BOOST_TEST(leaves.load() == 64);
    (void)alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(an_exception_reaches_wait_and_every_body_is_destroyed_once) {
    live_captures = 0;
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    {
        framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
        for (int i = 0; i < 50; ++i)
            tasks.run([i, capture = tracked_capture{}] {
                if (i == 7) throw std::runtime_error("task 7 failed");
            });
        BOOST_CHECK_EXCEPTION(tasks.wait(), std::runtime_error,
                              [](const std::runtime_error& e) { return std::string(e.what()) == "task 7 failed"; });
        BOOST_TEST(live_captures.load() == 0);  // ran, failed or cancelled: destroyed
        BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
        // The group is usable again after a failed wait.
        std::atomic<bool> ran{false};
        tasks.run([&] { ran = true; });
        BOOST_TEST(tasks.wait());
        BOOST_TEST(ran.load());
    }
    (void)alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(cancelled_tasks_are_destroyed_without_running) {
    live_captures = 0;
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    std::atomic<int> ran{0};
    {
        framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
        tbb::task_arena one_thread(1);  // no worker: nothing starts before wait()
        one_thread.execute([&] {
            for (int i = 0; i < 20; ++i) tasks.run([&, capture = tracked_capture{}] { ++ran; });
            BOOST_TEST(alloc.frame_tasks().in_flight() == 20u);
            BOOST_TEST(live_captures.load() == 20);
            tasks.cancel();
            BOOST_TEST(!tasks.wait());  // cancelled
        });
    }
    BOOST_TEST(ran.load() == 0);
    BOOST_TEST(live_captures.load() == 0);
    BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
    (void)alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(destroying_a_group_without_wait_waits_for_running_tasks) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    std::latch started(1);
    std::atomic<bool> finished{false};
    {
        framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
        tasks.run([&] {
            started.count_down();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            finished = true;
        });
        tasks.run([] { throw std::runtime_error("dropped by the destructor"); });
        started.wait();
    }  // no wait(): the destructor cancels what has not started and waits for the rest
    BOOST_TEST(finished.load());
    BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
    (void)alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(large_and_overaligned_bodies) {
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    struct alignas(64) wide {
        std::uint64_t words[2048];  // 16 KiB: past the pool's classes, through the heap fallback
    };
    wide w{};
    for (std::uint64_t i = 0; i < 2048; ++i) w.words[i] = i * 3;
    std::atomic<bool> ok{false};
    {
        framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
        tasks.run([w, &ok] {
            bool good = (reinterpret_cast<std::uintptr_t>(&w) % 64) == 0;
            for (std::uint64_t i = 0; i < 2048; ++i) good = good && w.words[i] == i * 3;
            ok = good;
        });
        BOOST_TEST(tasks.wait());
    }
    BOOST_TEST(ok.load());
    (void)alloc.end_frame();
}

BOOST_AUTO_TEST_SUITE_END()
