// Global, per-tag and per-thread pool budgets: every policy at its exact limit, subtree coverage,
// once-per-frame soft limits, new budget frame at end_frame, and exactness with concurrent threads.
#include <boost/test/unit_test.hpp>

#include "capture_stderr.hpp"

#include <atomic>
#include <barrier>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

import framealloc;

using framealloc::budget_limits;
using framealloc::budget_policy;

namespace {
budget_limits hard(std::size_t bytes, budget_policy p = budget_policy::fail) {
    budget_limits l;
    l.hard_limit = bytes;
    l.hard_policy = p;
    return l;
}
template <class F>
std::string fails_with(F&& f) {
    try {
        f();
    } catch (const framealloc::budget_exceeded& e) {
        return std::string(e.code());
    }
    return "no exception";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(budgets)

BOOST_AUTO_TEST_CASE(tag_hard_fail_at_the_exact_limit_over_every_kind) {
    framealloc::smart_alloc alloc;
    const auto id = framealloc::intern_tag("budget_exact");
    framealloc::set_tag_budget(id, hard(1024));
    for (int frame = 0; frame < 3; ++frame) {
        alloc.begin_frame();
        alloc.with_tag("budget_exact", [&] {
            BOOST_REQUIRE(alloc.frame_alloc_bytes(512, 8) != nullptr);
            void* p = alloc.pool_resource().allocate(256, 8);
            void* h = alloc.heap_resource().allocate(255, 8);
            BOOST_REQUIRE(alloc.frame_alloc_bytes(1, 1) != nullptr);  // exactly 1024
            BOOST_TEST(fails_with([&] { (void)alloc.frame_alloc_bytes(1, 1); }) == "FA401");
            BOOST_TEST(fails_with([&] { (void)alloc.pool_resource().allocate(8, 8); }) == "FA401");
            BOOST_TEST(fails_with([&] { (void)alloc.heap_resource().allocate(8, 8); }) == "FA401");
            BOOST_TEST(alloc.try_frame_alloc_bytes(1, 1) == nullptr);
            // Freeing does not give budget back: budgets count bytes allocated in the frame.
            alloc.pool_resource().deallocate(p, 256, 8);
            alloc.heap_resource().deallocate(h, 255, 8);
            BOOST_TEST(fails_with([&] { (void)alloc.frame_alloc_bytes(1, 1); }) == "FA401");
        });
        // Outside the tag nothing is limited.
        BOOST_TEST(alloc.frame_alloc_bytes(4096, 8) != nullptr);
        alloc.end_frame();  // the next frame starts at zero again
    }
    bool found = false;
    for (const auto& u : framealloc::budget_usages()) {
        if (u.name != "tag budget_exact") continue;
        found = true;
        BOOST_TEST(u.hard_limit == 1024u);
        BOOST_TEST(u.used == 0u);  // new frame
    }
    BOOST_TEST(found);
    framealloc::clear_tag_budget(id);
    alloc.begin_frame();
    alloc.with_tag("budget_exact", [&] { BOOST_TEST(alloc.frame_alloc_bytes(4096, 8) != nullptr); });
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(a_tag_budget_covers_its_descendants) {
    framealloc::smart_alloc alloc;
    const auto id = framealloc::intern_tag("budget_tree");
    framealloc::set_tag_budget(id, hard(300));
    alloc.begin_frame();
    alloc.with_tag("budget_tree", [&] {
        BOOST_REQUIRE(alloc.frame_alloc_bytes(100, 1) != nullptr);
        alloc.with_tag("child", [&] {
            BOOST_REQUIRE(alloc.frame_alloc_bytes(200, 1) != nullptr);
            BOOST_TEST(fails_with([&] { (void)alloc.frame_alloc_bytes(1, 1); }) == "FA401");
        });
    });
    alloc.end_frame();
    framealloc::clear_tag_budget(id);
}

BOOST_AUTO_TEST_CASE(soft_warn_fires_once_per_frame_and_lets_requests_through) {
    framealloc::smart_alloc alloc;
    budget_limits l;
    l.soft_limit = 100;
    l.soft_policy = budget_policy::warn;
    const auto id = framealloc::intern_tag("budget_warn");
    framealloc::set_tag_budget(id, l);
    for (int frame = 0; frame < 2; ++frame) {
        alloc.begin_frame();
        const std::string out = capture_stderr([&] {
            alloc.with_tag("budget_warn", [&] {
                BOOST_REQUIRE(alloc.frame_alloc_bytes(100, 1) != nullptr);  // at the limit: silent
                BOOST_REQUIRE(alloc.frame_alloc_bytes(1, 1) != nullptr);    // crosses: one warning
                BOOST_REQUIRE(alloc.frame_alloc_bytes(50, 1) != nullptr);   // no second warning
            });
        });
        BOOST_TEST(out.find("FA402") != std::string::npos);
        BOOST_TEST(out.find("tag budget_warn") != std::string::npos);
        BOOST_TEST(out.find("FA402", out.find("FA402") + 1) == std::string::npos);
        alloc.end_frame();
    }
    for (const auto& u : framealloc::budget_usages())
        if (u.name == "tag budget_warn") BOOST_TEST(u.soft_exceeded_frames == 2u);
    framealloc::clear_tag_budget(id);
}

BOOST_AUTO_TEST_CASE(callback_and_allow_policies) {
    framealloc::smart_alloc alloc;
    std::vector<framealloc::budget_event> events;
    budget_limits l;
    l.hard_limit = 64;
    l.hard_policy = budget_policy::callback;
    l.callback = [&](const framealloc::budget_event& e) { events.push_back(e); };
    const auto cb = framealloc::intern_tag("budget_cb");
    framealloc::set_tag_budget(cb, l);
    const auto al = framealloc::intern_tag("budget_allow");
    framealloc::set_tag_budget(al, hard(64, budget_policy::allow));
    alloc.begin_frame();
    alloc.with_tag("budget_cb", [&] {
        BOOST_REQUIRE(alloc.frame_alloc_bytes(64, 1) != nullptr);
        BOOST_TEST(events.empty());
        BOOST_REQUIRE(alloc.frame_alloc_bytes(10, 1) != nullptr);
        BOOST_REQUIRE(alloc.frame_alloc_bytes(10, 1) != nullptr);
    });
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(std::string(events[0].code) == "FA401");
    BOOST_TEST(events[0].limit == 64u);
    BOOST_TEST(events[0].used_after == 74u);
    BOOST_TEST(events[0].requested == 10u);
    const std::string out = capture_stderr([&] {
        alloc.with_tag("budget_allow", [&] { BOOST_REQUIRE(alloc.frame_alloc_bytes(1000, 1) != nullptr); });
    });
    BOOST_TEST(out.empty());
    alloc.end_frame();
    for (const auto& u : framealloc::budget_usages())
        if (u.name == "tag budget_allow") BOOST_TEST(u.hard_exceeded_frames == 1u);
    framealloc::clear_tag_budget(cb);
    framealloc::clear_tag_budget(al);
}

BOOST_AUTO_TEST_CASE(a_throwing_callback_fails_the_request_and_refunds_it) {
    framealloc::smart_alloc alloc;
    budget_limits l;
    l.soft_limit = 10;
    l.soft_policy = budget_policy::callback;
    l.callback = [](const framealloc::budget_event&) { throw std::runtime_error("refused by the engine"); };
    l.hard_limit = 20;
    const auto id = framealloc::intern_tag("budget_cb_throw");
    framealloc::set_tag_budget(id, l);
    alloc.begin_frame();
    alloc.with_tag("budget_cb_throw", [&] {
        BOOST_CHECK_THROW((void)alloc.frame_alloc_bytes(15, 1), std::runtime_error);
        BOOST_REQUIRE(alloc.frame_alloc_bytes(10, 1) != nullptr);  // the 15 were given back
        // The failed report did not count as fired: the next crossing asks the callback again.
        BOOST_CHECK_THROW((void)alloc.frame_alloc_bytes(1, 1), std::runtime_error);
    });
    alloc.end_frame();
    framealloc::clear_tag_budget(id);
}

BOOST_AUTO_TEST_CASE(global_budget_is_exact_with_concurrent_threads) {
    framealloc::smart_alloc alloc;
    constexpr int threads = 4;
    constexpr std::size_t block = 64;
    constexpr std::size_t blocks = 1000;
    framealloc::set_global_budget(hard(block * blocks));
    alloc.begin_frame();
    std::atomic<std::size_t> granted{0};
    std::barrier start(threads);
    std::vector<std::thread> workers;
    std::vector<std::vector<void*>> held(threads);
    std::vector<std::string> refusal_code(threads);  // Boost.Test is not thread-safe: asserted after join
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            start.arrive_and_wait();
            for (;;) {
                try {
                    held[t].push_back(alloc.pool_resource().allocate(block, 8));
                    granted.fetch_add(1);
                } catch (const framealloc::budget_exceeded& e) {
                    refusal_code[t] = e.code();
                    break;
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    for (const auto& code : refusal_code) BOOST_TEST(code == "FA401");
    BOOST_TEST(granted.load() == blocks);  // never one more, never one less
    framealloc::clear_global_budget();
    for (auto& h : held)
        for (void* p : h) alloc.pool_resource().deallocate(p, block, 8);
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(thread_pool_budgets_are_per_thread_and_exact) {
    framealloc::smart_alloc alloc;
    constexpr int threads = 3;
    std::vector<std::thread> workers;
    std::vector<std::size_t> granted(threads);
    std::vector<char> frame_served(threads, 0);  // asserted after join (Boost.Test is not thread-safe)
    alloc.begin_frame();
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            const std::size_t limit = 32 * (10 + t);
            alloc.set_thread_pool_budget(limit);
            std::vector<void*> held;
            for (;;) {
                void* p = nullptr;
                try {
                    p = alloc.pool_resource().allocate(32, 8);
                } catch (const framealloc::budget_exceeded&) {
                    break;
                }
                held.push_back(p);
            }
            granted[t] = held.size();
            // Frame memory is not covered by a pool budget.
            frame_served[t] = alloc.frame_alloc_bytes(10000, 8) != nullptr;
            for (void* p : held) alloc.pool_resource().deallocate(p, 32, 8);
            alloc.clear_thread_pool_budget();
        });
    }
    for (auto& w : workers) w.join();
    alloc.end_frame();
    for (int t = 0; t < threads; ++t) {
        BOOST_TEST(granted[t] == std::size_t(10 + t));
        BOOST_TEST(frame_served[t] == 1);
    }
}

BOOST_AUTO_TEST_CASE(thread_pool_budget_restarts_each_frame) {
    framealloc::smart_alloc alloc;
    alloc.set_thread_pool_budget(128);
    for (int frame = 0; frame < 3; ++frame) {
        alloc.begin_frame();
        void* a = alloc.pool_resource().allocate(128, 8);
        BOOST_TEST(fails_with([&] { (void)alloc.pool_resource().allocate(1, 1); }) == "FA401");
        alloc.pool_resource().deallocate(a, 128, 8);
        alloc.end_frame();
    }
    alloc.clear_thread_pool_budget();
    void* big = alloc.pool_resource().allocate(1024, 8);
    alloc.pool_resource().deallocate(big, 1024, 8);
}

BOOST_AUTO_TEST_SUITE_END()
