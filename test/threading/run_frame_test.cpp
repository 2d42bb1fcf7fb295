// run_frame and run_graph_frame: a frame's work between begin_frame() and end_frame(), as a task group
// or a flow graph; failures end the frame and reach the caller; frame_task_body counts node bodies.
#include <boost/test/unit_test.hpp>

#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <memory>
#include <memory_resource>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tbb_test_support.hpp"

import framealloc;

namespace flow = tbb::flow;

namespace {
bool is_fa005(const framealloc::frame_error& e) { return e.code() == framealloc::codes::frame_tasks_in_flight; }
}  // namespace

BOOST_AUTO_TEST_SUITE(run_frame_suite)

BOOST_AUTO_TEST_CASE(run_frame_opens_runs_waits_and_ends) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    framealloc::tbb_worker_binder binder{alloc};
    std::atomic<std::uint64_t> sum{0};
    for (int frame = 1; frame <= 10; ++frame) {
        bool opened = false;
        const framealloc::frame_resource_stats s = framealloc::run_frame(alloc, [&](framealloc::frame_task_group& tasks) {
            opened = alloc.in_frame() && alloc.frame_number() == std::uint64_t(frame);
            for (int t = 0; t < 32; ++t)
                tasks.run([&, t] {
                    auto v = alloc.frame_vector<std::uint32_t>();
                    v.resize(1000, static_cast<std::uint32_t>(t));
                    sum += std::accumulate(v.begin(), v.end(), std::uint64_t{0});
                });
        });
        BOOST_TEST(opened);
        BOOST_TEST(!alloc.in_frame());
        BOOST_TEST(s.bytes_used >= 32u * 1000u * sizeof(std::uint32_t));  // the figures of the ended frame
    }
    BOOST_TEST(sum.load() == 10u * 1000u * (31u * 32u / 2u));
}

BOOST_AUTO_TEST_CASE(run_frame_ends_the_frame_when_work_or_a_task_throws) {
    framealloc::smart_alloc alloc;
    BOOST_CHECK_THROW(framealloc::run_frame(alloc, [](framealloc::frame_task_group&) { throw std::runtime_error("work"); }),
                      std::runtime_error);
    BOOST_TEST(!alloc.in_frame());
    std::atomic<int> finished{0};
    BOOST_CHECK_THROW(framealloc::run_frame(alloc,
                                            [&](framealloc::frame_task_group& tasks) {
                                                tasks.run([&] { ++finished; });
                                                tasks.run([] { throw std::logic_error("task"); });
                                            }),
                      std::logic_error);
    BOOST_TEST(!alloc.in_frame());
    BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
    // The next frame begins normally.
    (void)framealloc::run_frame(alloc, [&](framealloc::frame_task_group& tasks) { tasks.run([&] { ++finished; }); });
    BOOST_TEST(finished.load() >= 1);
    // run_frame inside an open frame: begin_frame()'s FA003, and the open frame is left alone.
    alloc.begin_frame();
    BOOST_CHECK_EXCEPTION(framealloc::run_frame(alloc, [](framealloc::frame_task_group&) {}), framealloc::frame_error,
                          [](const framealloc::frame_error& e) { return e.code() == framealloc::codes::frame_lifecycle; });
    BOOST_TEST(alloc.in_frame());
    (void)alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(a_task_that_ends_its_own_frame_is_fa005) {
    framealloc::smart_alloc alloc;
    BOOST_CHECK_EXCEPTION(framealloc::run_frame(alloc,
                                                [&](framealloc::frame_task_group& tasks) {
                                                    // fa: allow FA210 -- the runtime's FA005 is under test
                                                    tasks.run([&] { (void)alloc.end_frame(); });
                                                }),
                          framealloc::frame_error, is_fa005);
    BOOST_TEST(!alloc.in_frame());  // run_frame ended it after the task
}

// The graph is built once; every frame the helper opens the frame, puts the start message, waits, ends.
BOOST_AUTO_TEST_CASE(run_graph_frame_runs_a_graph_built_once) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    framealloc::tbb_worker_binder binder{alloc};
    flow::graph g;
    flow::broadcast_node<int> start(g);
    std::atomic<std::uint64_t> produced{0}, consumed{0};
    // Each of 4 producers fills a frame vector and passes it on; the consumer reads it after the
    // producer's task ended (frame memory stays valid until end_frame()).
    using frame_span = std::pair<const std::uint64_t*, std::size_t>;
    std::vector<std::unique_ptr<flow::function_node<int, frame_span>>> producers;
    flow::function_node<frame_span, flow::continue_msg> consumer(
        g, flow::unlimited, framealloc::frame_task_body(alloc.frame_tasks(), [&](const frame_span& s) {
            consumed += std::accumulate(s.first, s.first + s.second, std::uint64_t{0});
            return flow::continue_msg{};
        }));
    for (int p = 0; p < 4; ++p) {
        producers.push_back(std::make_unique<flow::function_node<int, frame_span>>(
            g, flow::unlimited, framealloc::frame_task_body(alloc.frame_tasks(), [&, p](int frame) {
                std::span<std::uint64_t> values = alloc.frame_array<std::uint64_t>(2000);
                for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::uint64_t(frame) * (p + 1) + i;
                produced += std::accumulate(values.begin(), values.end(), std::uint64_t{0});
                return frame_span{values.data(), values.size()};
            })));
        flow::make_edge(start, *producers.back());
        flow::make_edge(*producers.back(), consumer);
    }
    for (int frame = 1; frame <= 50; ++frame) {
        const framealloc::frame_resource_stats s = framealloc::run_graph_frame(alloc, g, [&] { start.try_put(frame); });
        BOOST_TEST(s.bytes_used >= 4u * 2000u * sizeof(std::uint64_t));
        BOOST_TEST(!alloc.in_frame());
    }
    BOOST_TEST(produced.load() == consumed.load());
    BOOST_TEST(produced.load() > 0u);
}

BOOST_AUTO_TEST_CASE(run_graph_frame_after_a_failing_node) {
    framealloc::smart_alloc alloc;
    flow::graph g;
    std::atomic<int> runs{0};
    // Raw bodies (not frame_task_body): the node built here is read by a worker, an ordering TSan cannot
    // see inside libtbb, so it is stated by publish()/receive() (tbb_test_support.hpp).
    flow::function_node<int, int> node(g, flow::unlimited, [&](int x) {
        framealloc_test::receive();
        ++runs;
        return framealloc_test::publish_on_throw([&] {
            if (x == 2) throw std::runtime_error("node failed");
            return x;
        });
    });
    framealloc_test::publish();
    (void)framealloc::run_graph_frame(alloc, g, [&] { node.try_put(1); });
    const auto failure = framealloc_test::thrown_across<std::runtime_error>(
        [&] { (void)framealloc::run_graph_frame(alloc, g, [&] { node.try_put(2); }); });
    BOOST_TEST((failure && std::string(failure->what()) == "node failed"));
    BOOST_TEST(!alloc.in_frame());
    g.reset();  // TBB's rule after an exception
    (void)framealloc::run_graph_frame(alloc, g, [&] { node.try_put(3); });
    BOOST_TEST(runs.load() == 3);
    // A node that ends the frame it runs in: the graph run counts as a task of the frame.
    flow::graph g2;
    flow::function_node<int, int> ender(g2, flow::serial, [&](int x) {
        framealloc_test::receive();
        framealloc_test::publish_on_throw([&] { (void)alloc.end_frame(); });
        return x;
    });
    // Published inside start(), after begin_frame(): the node reads the frame state begin_frame() wrote.
    const auto ended = framealloc_test::thrown_across<framealloc::frame_error>([&] {
        (void)framealloc::run_graph_frame(alloc, g2, [&] {
            framealloc_test::publish();
            ender.try_put(1);
        });
    });
    BOOST_TEST((ended && is_fa005(*ended)));
    BOOST_TEST(!alloc.in_frame());
}

// A graph driven by hand, without run_graph_frame: frame_task_body still catches end_frame() during a
// node's run (FA005) and a node run that starts after the frame ended (FA005 from the node).
BOOST_AUTO_TEST_CASE(frame_task_body_checks_a_graph_driven_by_hand) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc;
    flow::graph g;
    std::latch started(1);
    std::latch release(1);
    std::atomic<bool> block{true};
    flow::function_node<int, int> node(g, flow::unlimited, framealloc::frame_task_body(alloc.frame_tasks(), [&](int x) {
        int* value = alloc.frame_alloc<int>(x);
        if (block.load()) {
            started.count_down();
            release.wait();
        }
        return *value;
    }));
    alloc.begin_frame();
    node.try_put(41);
    started.wait();
    BOOST_CHECK_EXCEPTION((void)alloc.end_frame(), framealloc::frame_error, is_fa005);
    BOOST_TEST(alloc.in_frame());
    release.count_down();
    g.wait_for_all();
    (void)alloc.end_frame();

    block = false;
    node.try_put(42);  // no frame open: the body refuses before touching frame memory
    bool refused = false;
    try {
        g.wait_for_all();
    } catch (const framealloc::frame_error& e) {
        // A graph driven by hand: TBB carried the exception over, in libtbb where TSan cannot see it;
        // the counter's acquire states that ordering (run_graph_frame does this itself).
        alloc.frame_tasks().sync_with_finished_tasks();
        refused = is_fa005(e);
    }
    BOOST_TEST(refused);
    BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
