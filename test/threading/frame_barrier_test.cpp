// frame_barrier: reuse over many generations with 2-8 threads, no lost wakeups, timed waits, leaving.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

import framealloc;

using framealloc::frame_barrier;
using namespace std::chrono_literals;

namespace {
// Every thread writes its slot for generation g, passes the barrier, then checks that every slot holds
// g: a thread released early (a generation completed too soon) would see a slot still at g - 1.
void run_generations(std::size_t threads, std::uint64_t generations) {
    frame_barrier barrier(threads);
    std::vector<std::atomic<std::uint64_t>> slots(threads);
    std::atomic<bool> ok{true};
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (std::uint64_t g = 1; g <= generations; ++g) {
                slots[t].store(g, std::memory_order_relaxed);
                const auto token = barrier.signal_frame_complete();
                barrier.wait_all(token);
                for (auto& s : slots)
                    if (s.load(std::memory_order_relaxed) < g) ok = false;
                barrier.arrive_and_wait();  // second rendezvous: nobody writes g + 1 before all have read g
            }
        });
    for (auto& th : pool) th.join();
    BOOST_TEST(ok.load());
    BOOST_TEST(barrier.current_generation() == 2 * generations);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(frame_barrier_suite)

BOOST_AUTO_TEST_CASE(reusable_over_many_generations_2_to_8_threads) {
    for (std::size_t threads : {2u, 3u, 4u, 8u}) run_generations(threads, 2000);
}

BOOST_AUTO_TEST_CASE(hundred_thousand_generations, *boost::unit_test::label("stress")) {
    run_generations(2, 100000);
    run_generations(8, 100000);
}

BOOST_AUTO_TEST_CASE(waiting_after_completion_returns_at_once) {
    frame_barrier barrier(2);
    const auto g = barrier.signal_frame_complete();
    std::thread([&] { (void)barrier.signal_frame_complete(); }).join();  // completes g
    barrier.wait_all(g);  // no lost wakeup: g is done, nothing to wait for
    barrier.wait_all();   // the calling thread's last generation, also done
    BOOST_TEST(barrier.current_generation() == g + 1);
}

BOOST_AUTO_TEST_CASE(timed_wait_times_out_then_succeeds) {
    frame_barrier barrier(2);
    const auto g = barrier.signal_frame_complete();
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!barrier.wait_all_for(g, 20ms));
    const bool waited = std::chrono::steady_clock::now() - start >= 20ms;
    BOOST_TEST(waited);
    std::thread late([&] {
        std::this_thread::sleep_for(10ms);
        (void)barrier.signal_frame_complete();
    });
    BOOST_TEST(barrier.wait_all_for(5s));
    late.join();
}

BOOST_AUTO_TEST_CASE(a_thread_can_leave) {
    frame_barrier barrier(3);
    std::thread leaver([&] {
        barrier.arrive_and_wait();  // generation 0 with everyone
        barrier.leave();            // counts for generation 1, then gone
    });
    std::thread other([&] {
        for (int g = 0; g < 3; ++g) barrier.arrive_and_wait();
    });
    barrier.arrive_and_wait();  // generation 0: three arrivals
    barrier.arrive_and_wait();  // generation 1: two arrivals plus the leave
    barrier.arrive_and_wait();  // generation 2 needs only two
    other.join();
    leaver.join();
    BOOST_TEST(barrier.participants() == 2u);
    BOOST_TEST(barrier.current_generation() == 3u);
}

BOOST_AUTO_TEST_CASE(misuse_is_reported) {
    BOOST_CHECK_THROW(frame_barrier{0}, framealloc::config_error);
    frame_barrier barrier(1);
    try {
        barrier.wait_all();  // fa: allow FA211 -- this thread never signalled: the runtime's FA201 is under test
        BOOST_FAIL("no exception");
    } catch (const framealloc::frame_error& e) {
        BOOST_TEST(e.code() == "FA201");
    }
    barrier.leave();
    BOOST_CHECK_THROW(barrier.leave(), framealloc::frame_error);
}

BOOST_AUTO_TEST_CASE(leave_after_signal_does_not_count_the_thread_twice) {
    frame_barrier barrier(3);
    const auto g = barrier.signal_frame_complete();  // this thread arrives ...
    barrier.leave();                                  // ... and leaves in the same generation
    BOOST_TEST(barrier.participants() == 2u);
    BOOST_TEST(barrier.current_generation() == g);    // still waiting for the two that stay
    std::thread second([&] { (void)barrier.signal_frame_complete(); });
    second.join();
    BOOST_TEST(barrier.current_generation() == g);    // one of the two has arrived, not both
    BOOST_TEST(!barrier.wait_all_for(g, 5ms));
    std::thread third([&] { (void)barrier.signal_frame_complete(); });
    third.join();
    BOOST_TEST(barrier.current_generation() == g + 1);
    BOOST_TEST(barrier.wait_all_for(g, 5ms));
}

BOOST_AUTO_TEST_CASE(a_barrier_with_no_participant_left_refuses_arrivals_with_fa202) {
    frame_barrier barrier(1);
    barrier.leave();
    BOOST_TEST(barrier.participants() == 0u);
    for (auto call : {+[](frame_barrier& b) { (void)b.signal_frame_complete(); }, +[](frame_barrier& b) { b.leave(); }}) {
        try {
            call(barrier);
            BOOST_FAIL("no exception");
        } catch (const framealloc::frame_error& e) {
            BOOST_TEST(e.code() == "FA202");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
