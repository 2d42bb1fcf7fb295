// Per-thread frame budgets: every policy at its exact limit, soft and hard, once per frame, reset each
// frame, own blocks counted, and threads with budgets of their own at the same time.
#include <boost/test/unit_test.hpp>

#include "capture_stderr.hpp"

#include <atomic>
#include <barrier>
#include <cstddef>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

import framealloc;

using framealloc::budget_limits;
using framealloc::budget_policy;

namespace {
framealloc::alloc_config config() {
    auto c = framealloc::alloc_config::minimal();
    c.frame_chunk_size = 4096;
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(thread_budgets)

BOOST_AUTO_TEST_CASE(fail_at_the_exact_limit_every_frame) {
    framealloc::smart_alloc alloc(config());
    alloc.set_thread_frame_budget(1000);
    for (int frame = 0; frame < 3; ++frame) {
        alloc.begin_frame();
        for (int i = 0; i < 10; ++i) BOOST_REQUIRE(alloc.frame_alloc_bytes(100, 1) != nullptr);  // exactly 1000
        try {
            (void)alloc.frame_alloc_bytes(1, 1);
            BOOST_FAIL("no exception");
        } catch (const framealloc::budget_exceeded& e) {
            BOOST_TEST(e.code() == "FA401");
            BOOST_TEST(e.event().limit == 1000u);
            BOOST_TEST(e.event().used_after == 1001u);
        }
        BOOST_CHECK_THROW((void)alloc.frame_alloc<char>(), std::bad_alloc);  // a budget_exceeded is a bad_alloc
        BOOST_TEST(alloc.try_frame_alloc_bytes(1, 1) == nullptr);
        BOOST_TEST(alloc.frame_resource().local_arena().bytes_used() == 1000u);  // refusals took nothing
        alloc.end_frame();  // the budget starts again next frame
    }
}

BOOST_AUTO_TEST_CASE(own_blocks_count_and_fail_cleanly) {
    framealloc::smart_alloc alloc(config());
    alloc.set_thread_frame_budget(50000);
    alloc.begin_frame();
    BOOST_CHECK_THROW((void)alloc.frame_alloc_bytes(60000, 8), framealloc::budget_exceeded);
    BOOST_TEST(alloc.frame_resource().local_arena().stats().large_block_count == 0u);
    BOOST_TEST(alloc.frame_alloc_bytes(40000, 8) != nullptr);  // an own block inside the budget
    BOOST_CHECK_THROW((void)alloc.frame_alloc_bytes(20000, 8), framealloc::budget_exceeded);
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(callback_sees_soft_then_hard_once_per_frame) {
    framealloc::smart_alloc alloc(config());
    std::vector<framealloc::budget_event> events;
    budget_limits limits;
    limits.soft_limit = 100;
    limits.hard_limit = 300;
    limits.soft_policy = budget_policy::callback;
    limits.hard_policy = budget_policy::callback;
    limits.callback = [&](const framealloc::budget_event& e) { events.push_back(e); };
    alloc.set_thread_frame_budget(limits);
    for (int frame = 0; frame < 2; ++frame) {
        events.clear();
        alloc.begin_frame();
        for (int i = 0; i < 10; ++i) (void)alloc.frame_alloc_bytes(10, 1);  // 100: at the soft limit, silent
        BOOST_TEST(events.empty());
        (void)alloc.frame_alloc_bytes(1, 1);  // 101
        BOOST_REQUIRE(events.size() == 1u);
        BOOST_TEST(events[0].code == "FA402");
        BOOST_TEST(events[0].used_after == 101u);
        (void)alloc.frame_alloc_bytes(199, 1);  // 300: at the hard limit
        BOOST_TEST(events.size() == 1u);
        (void)alloc.frame_alloc_bytes(5, 1);  // 305
        BOOST_REQUIRE(events.size() == 2u);
        BOOST_TEST(events[1].code == "FA401");
        BOOST_TEST(events[1].limit == 300u);
        for (int i = 0; i < 50; ++i) (void)alloc.frame_alloc_bytes(100, 1);  // reported once per frame
        BOOST_TEST(events.size() == 2u);
        alloc.end_frame();
    }
}

BOOST_AUTO_TEST_CASE(warn_prints_the_code_and_lets_the_request_through) {
    framealloc::smart_alloc alloc(config());
    budget_limits limits;
    limits.hard_limit = 64;
    limits.hard_policy = budget_policy::warn;
    alloc.set_thread_frame_budget(limits);
    alloc.begin_frame();
    void* p = nullptr;
    const std::string err = capture_stderr([&] { p = alloc.frame_alloc_bytes(100, 1); });
    BOOST_TEST(p != nullptr);
    BOOST_TEST(err.find("framealloc FA401") != std::string::npos);
    BOOST_TEST(err.find("limit 64") != std::string::npos);
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(allow_is_silent_and_clear_removes_the_budget) {
    framealloc::smart_alloc alloc(config());
    budget_limits limits;
    limits.soft_limit = 10;
    limits.hard_limit = 20;
    limits.soft_policy = budget_policy::allow;
    limits.hard_policy = budget_policy::allow;
    alloc.set_thread_frame_budget(limits);
    alloc.begin_frame();
    const std::string err = capture_stderr([&] {
        for (int i = 0; i < 100; ++i) (void)alloc.frame_alloc_bytes(100, 1);
    });
    BOOST_TEST(err.empty());
    alloc.end_frame();
    alloc.set_thread_frame_budget(10);
    alloc.begin_frame();
    BOOST_CHECK_THROW((void)alloc.frame_alloc_bytes(11, 1), framealloc::budget_exceeded);
    alloc.clear_thread_frame_budget();
    BOOST_TEST(alloc.frame_alloc_bytes(11, 1) != nullptr);
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(each_thread_has_its_own_budget_at_the_same_time) {
    framealloc::smart_alloc alloc(config());
    constexpr int threads = 4;
    std::barrier sync(threads + 1);
    std::atomic<int> ok{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            const std::size_t limit = std::size_t(1000 * (t + 1));
            for (int frame = 0; frame < 20; ++frame) {
                sync.arrive_and_wait();  // frame open
                // Like allocation, setting a budget happens inside a frame (never beside begin/end_frame()).
                if (frame == 0) alloc.set_thread_frame_budget(limit);
                bool good = true;
                for (std::size_t used = 0; used < limit; used += 50) good &= alloc.frame_alloc_bytes(50, 1) != nullptr;
                try {
                    (void)alloc.frame_alloc_bytes(1, 1);
                    good = false;
                } catch (const framealloc::budget_exceeded& e) {
                    good &= e.event().limit == limit;
                }
                if (good) ++ok;
                sync.arrive_and_wait();  // work done
                sync.arrive_and_wait();  // frame ended
            }
        });
    for (int frame = 0; frame < 20; ++frame) {
        alloc.begin_frame();
        sync.arrive_and_wait();
        sync.arrive_and_wait();
        alloc.end_frame();
        sync.arrive_and_wait();
    }
    for (auto& th : pool) th.join();
    BOOST_TEST(ok.load() == threads * 20);
}

BOOST_AUTO_TEST_SUITE_END()
