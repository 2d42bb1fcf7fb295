// frame_task_counter and smart_alloc::end_frame(): end_frame() while a task of the frame runs is
// frame_error FA005 and releases nothing; a task that starts outside a frame is FA005 too.
#include <boost/test/unit_test.hpp>

#include <oneapi/tbb/task_arena.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <string>
#include <string_view>
#include <thread>

#include "tbb_test_support.hpp"

import framealloc;

namespace {
// Runs f, which must throw frame_error with code FA005; returns its message ("" when it did not throw).
template <class F>
std::string expect_fa005(F&& f) {
    try {
        f();
    } catch (const framealloc::frame_error& e) {
        BOOST_TEST(e.code() == framealloc::codes::frame_tasks_in_flight);
        BOOST_TEST(std::string_view(e.what()).starts_with("FA005: "));
        return e.what();
    }
    BOOST_ERROR("no frame_error FA005");
    return {};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(frame_task_counter_suite)

BOOST_AUTO_TEST_CASE(fa005_is_registered_once) {
    BOOST_TEST(framealloc::codes::frame_tasks_in_flight == "FA005");
    BOOST_TEST(framealloc::codes::frame_tasks_in_flight != framealloc::codes::frame_lifecycle);
    BOOST_TEST(framealloc::codes::frame_tasks_in_flight != framealloc::codes::invalid_marker);
}

BOOST_AUTO_TEST_CASE(counter_lifecycle) {
    framealloc::frame_task_counter c;
    BOOST_TEST(!c.is_open());  // a new counter is closed
    expect_fa005([&] { c.enter(); });
    BOOST_TEST(c.in_flight() == 0u);  // the refused enter() counted nothing

    c.open();
    c.enter();
    c.enter();
    BOOST_TEST(c.in_flight() == 2u);
    const std::string message = expect_fa005([&] { c.close(); });
    BOOST_TEST(message.find("2 task(s)") != std::string::npos);
    BOOST_TEST(c.is_open());  // refused: still open, tasks may go on and even start
    c.enter();
    BOOST_TEST(c.in_flight() == 3u);
    c.leave();
    c.leave();
    c.leave();
    BOOST_TEST(c.in_flight() == 0u);
    c.close();
    BOOST_TEST(!c.is_open());
    expect_fa005([&] { c.enter(); });  // after the end of the frame
    BOOST_TEST(c.in_flight() == 0u);
    {
        c.open();
        framealloc::frame_task_scope scope(c);
        BOOST_TEST(c.in_flight() == 1u);
    }
    BOOST_TEST(c.in_flight() == 0u);
    c.close();
}

// The deterministic case: a TBB task of the frame waits on a latch while the owner
// calls end_frame(). The call must fail, release nothing, and leave the frame open; once the task is
// done, end_frame() succeeds.
BOOST_AUTO_TEST_CASE(end_frame_while_a_task_group_task_is_blocked_is_fa005) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    std::latch started(1);
    std::latch release(1);
    std::atomic<bool> intact{false};
    {
        framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
        tasks.run([&] {
            std::array<std::uint32_t, 1000>* values = alloc.frame_alloc<std::array<std::uint32_t, 1000>>();
            for (std::uint32_t i = 0; i < values->size(); ++i) (*values)[i] = i * 7u;
            started.count_down();
            release.wait();  // the owner calls end_frame() now
            bool ok = true;
            for (std::uint32_t i = 0; i < values->size(); ++i) ok = ok && (*values)[i] == i * 7u;
            intact = ok;  // the memory was not released (nor poisoned) under the task
        });
        started.wait();
        BOOST_TEST(alloc.frame_tasks().in_flight() == 1u);
        const std::string message = expect_fa005([&] { (void)alloc.end_frame(); });
        BOOST_TEST(message.find("1 task(s)") != std::string::npos);
        BOOST_TEST(alloc.in_frame());  // nothing ended
        BOOST_TEST(alloc.frame_resource().stats().bytes_used >= 4000u);
        release.count_down();
        BOOST_TEST(tasks.wait());
    }
    BOOST_TEST(intact.load());
    BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
    const framealloc::frame_resource_stats ended = alloc.end_frame();
    BOOST_TEST(ended.bytes_used >= 4000u);
    BOOST_TEST(!alloc.in_frame());
    BOOST_TEST(alloc.frame_resource().stats().bytes_used == 0u);
}

// A task submitted but not started yet is in flight too: its memory use is still to come.
BOOST_AUTO_TEST_CASE(a_submitted_task_that_has_not_started_counts) {
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    std::atomic<int> ran{0};
    {
        framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
        tbb::task_arena one_thread(1);  // its only thread is the owner, which is not running tasks yet
        one_thread.execute([&] {
            tasks.run([&] { ++ran; });
            BOOST_TEST(ran.load() == 0);
            expect_fa005([&] { (void)alloc.end_frame(); });
            BOOST_TEST(tasks.wait());
        });
    }
    BOOST_TEST(ran.load() == 1);
    (void)alloc.end_frame();
}

// Work on a thread of one's own, counted with frame_task_scope.
BOOST_AUTO_TEST_CASE(frame_task_scope_on_a_std_thread) {
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    std::latch entered(1);
    std::latch release(1);
    std::thread worker([&] {
        framealloc::frame_task_scope counted(alloc.frame_tasks());
        auto v = alloc.frame_vector<int>();
        v.assign(100, 5);
        entered.count_down();
        release.wait();
    });
    entered.wait();
    expect_fa005([&] { (void)alloc.end_frame(); });
    release.count_down();
    worker.join();
    (void)alloc.end_frame();
    // Between frames, a task cannot start: the next frame's memory is not its own.
    expect_fa005([&] { framealloc::frame_task_scope late(alloc.frame_tasks()); });
    framealloc::frame_task_group tasks(alloc.frame_tasks(), alloc.pool_resource());
    bool ran = false;
    expect_fa005([&] { tasks.run([&] { ran = true; }); });
    BOOST_TEST(tasks.wait());
    BOOST_TEST(!ran);
    BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
