// A oneTBB flow-graph frame loop where every task allocates from frame and pool memory: physics (four
// partitions) -> AI -> render preparation, run with run_graph_frame frame after frame. Values are
// checked end to end; pool objects are made by one system and freed by the next (cross-thread frees);
// AI hands render a value through a transfer_handle. This is the loop the tsan preset runs.
#include <boost/test/unit_test.hpp>

#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/task_arena.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "tbb_test_support.hpp"

import framealloc;

namespace flow = tbb::flow;

namespace {

constexpr int partitions = 4;
constexpr std::uint32_t bodies_per_partition = 512;

// Made by physics in the pool, freed by AI: a cross-thread free every time the two run apart.
struct contact_summary {
    std::uint32_t partition;
    std::uint64_t frame;
    std::uint64_t position_sum;
};

struct physics_result {
    std::uint32_t partition;
    std::uint64_t frame;
    std::span<const std::uint64_t> positions;            // frame memory of the physics thread
    framealloc::pool_ptr<contact_summary> summary;         // pool memory, freed by AI
};

struct ai_decision {
    std::uint64_t frame;
    std::uint64_t checksum;
    std::pmr::string label;  // frame memory, owned by the value that travels in the transfer
};

// Expected values, computed without the graph.
std::uint64_t position(std::uint64_t frame, std::uint32_t partition, std::uint32_t body) {
    return frame * 7919u + partition * 104729u + body * 31u;
}
std::uint64_t expected_checksum(std::uint64_t frame) {
    std::uint64_t sum = 0;
    for (std::uint32_t p = 0; p < partitions; ++p)
        for (std::uint32_t b = 0; b < bodies_per_partition; ++b) sum += position(frame, p, b) * 3u + 1u;
    return sum;
}

void run_loop(int frames) {
    framealloc_test::tbb_parallelism parallelism;
    framealloc::smart_alloc alloc{framealloc::alloc_config::minimal()};
    tbb::task_arena arena(framealloc_test::tbb_parallelism::threads);
    framealloc::tbb_worker_binder binder{alloc, arena};

    std::atomic<int> errors{0};
    std::vector<std::uint64_t> checksums;  // written by the serial render node only
    auto counted = [&](auto body) { return framealloc::frame_task_body(alloc.frame_tasks(), body); };

    arena.execute([&] {
        flow::graph g;
        flow::broadcast_node<std::uint64_t> start(g);

        // Physics: one node per partition, positions in a frame array, a summary in the pool.
        std::vector<std::unique_ptr<flow::function_node<std::uint64_t, physics_result*>>> physics;
        for (std::uint32_t p = 0; p < partitions; ++p)
            physics.push_back(std::make_unique<flow::function_node<std::uint64_t, physics_result*>>(
                g, flow::unlimited, counted([&, p](std::uint64_t frame) {
                    std::span<std::uint64_t> pos = alloc.frame_array<std::uint64_t>(bodies_per_partition);
                    std::uint64_t sum = 0;
                    for (std::uint32_t b = 0; b < bodies_per_partition; ++b) sum += pos[b] = position(frame, p, b);
                    return alloc.frame_alloc<physics_result>(physics_result{
                        p, frame, pos, alloc.pool_alloc<contact_summary>(contact_summary{p, frame, sum})});
                })));

        // AI: joins the partitions, reads their frame memory, frees their pool objects, decides in frame
        // memory and boxes the decision for render.
        using joined = std::array<physics_result*, partitions>;
        flow::join_node<std::tuple<physics_result*, physics_result*, physics_result*, physics_result*>> join(g);
        flow::function_node<std::tuple<physics_result*, physics_result*, physics_result*, physics_result*>,
                            framealloc::transfer_handle<ai_decision>*>
            ai(g, flow::serial, counted([&](const auto& parts) {
                   const joined in{std::get<0>(parts), std::get<1>(parts), std::get<2>(parts), std::get<3>(parts)};
                   auto weights = alloc.frame_vector<std::uint64_t>();
                   std::uint64_t frame = in[0]->frame;
                   for (physics_result* r : in) {
                       if (r->frame != frame || !r->summary || r->summary->frame != frame) ++errors;
                       std::uint64_t sum = 0;
                       for (std::uint64_t x : r->positions) {
                           weights.push_back(x * 3u + 1u);
                           sum += x;
                       }
                       if (sum != r->summary->position_sum) ++errors;
                       r->summary.reset();  // pool free, on this thread
                   }
                   std::uint64_t checksum = 0;
                   for (std::uint64_t w : weights) checksum += w;
                   auto label = alloc.frame_string("frame ");
                   label += std::to_string(frame);
                   auto* handle = alloc.frame_alloc<framealloc::transfer_handle<ai_decision>>(
                       alloc.frame_box_for_transfer(ai_decision{frame, checksum, std::move(label)}));
                   return handle;
               }));

        // Render preparation: receives the decision, builds a draw list in frame memory.
        flow::function_node<framealloc::transfer_handle<ai_decision>*, flow::continue_msg> render(
            g, flow::serial, counted([&](framealloc::transfer_handle<ai_decision>* handle) {
                ai_decision d = handle->receive();
                if (std::string_view(d.label) != "frame " + std::to_string(d.frame)) ++errors;
                auto draws = alloc.frame_vector<std::uint32_t>();
                for (std::uint32_t i = 0; i < 256; ++i) draws.push_back(i * static_cast<std::uint32_t>(d.frame));
                for (std::uint32_t i = 0; i < 256; ++i)
                    if (draws[i] != i * static_cast<std::uint32_t>(d.frame)) ++errors;
                checksums.push_back(d.checksum);
                return flow::continue_msg{};
            }));

        for (std::uint32_t p = 0; p < partitions; ++p) flow::make_edge(start, *physics[p]);
        flow::make_edge(*physics[0], flow::input_port<0>(join));
        flow::make_edge(*physics[1], flow::input_port<1>(join));
        flow::make_edge(*physics[2], flow::input_port<2>(join));
        flow::make_edge(*physics[3], flow::input_port<3>(join));
        flow::make_edge(join, ai);
        flow::make_edge(ai, render);

        for (int frame = 1; frame <= frames; ++frame) {
            const framealloc::frame_resource_stats s =
                framealloc::run_graph_frame(alloc, g, [&] { start.try_put(std::uint64_t(frame)); });
            if (s.bytes_used < partitions * bodies_per_partition * sizeof(std::uint64_t)) ++errors;
        }
    });

    BOOST_TEST(errors.load() == 0);
    BOOST_REQUIRE(checksums.size() == std::size_t(frames));
    for (int frame = 1; frame <= frames; ++frame)
        BOOST_TEST(checksums[static_cast<std::size_t>(frame - 1)] == expected_checksum(std::uint64_t(frame)));
    const framealloc::transfer_stats t = alloc.transfer_stats();
    BOOST_TEST(t.created == std::uint64_t(frames));
    BOOST_TEST(t.received == std::uint64_t(frames));
    BOOST_TEST(alloc.frame_tasks().in_flight() == 0u);
    BOOST_TEST(binder.stats().bind_failures == 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flow_graph_frame_loop)

BOOST_AUTO_TEST_CASE(physics_ai_render_over_frames) { run_loop(100); }

BOOST_AUTO_TEST_CASE(physics_ai_render_over_many_frames, *boost::unit_test::label("stress")) { run_loop(5000); }

BOOST_AUTO_TEST_SUITE_END()
