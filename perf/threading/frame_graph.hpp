// The frame of examples/frame_demo.cpp as both whole-frame cases run it: its load curve, the records
// its stages hand each other, the oneTBB flow graph that orders the stages, and the world's turnover.
// The frame number is broadcast to `partitions` physics nodes (unlimited concurrency: the partitions
// run side by side), a join waits for all of them, then AI (serial) makes the orders that render
// (serial) consumes.
#pragma once

#include <oneapi/tbb/flow_graph.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <tuple>
#include <vector>

namespace whole_frame {

inline constexpr int partitions = 4;

// frame_demo's load: each system's work rises and falls between 0.25 and 1 with a period of 16
// frames, each system at its own phase (`shift`).
inline constexpr int period = 16;
inline double load(int frame, int shift) {
    const int phase = (frame + shift) % period;
    const int distance = std::min(phase, period - phase);
    return 0.25 + 0.75 * distance / (period / 2);
}

struct contact {
    std::uint32_t a, b;  // indices into the world
    float depth;
};
struct orders {  // from AI to render, in pool memory
    int frame;
    std::uint32_t despawned, spawned, mean_path;
    std::array<float, 3> camera_target;
};
struct draw_item {
    std::uint32_t entity;
    float depth;
};
struct particle {
    float position[3];
    float velocity[3];
    float life;
};

class frame_graph {
public:
    // physics(int frame, int partition), ai() -> orders*, render(orders*): the stages' bodies.
    template <class Physics, class Ai, class Render>
    frame_graph(tbb::flow::graph& g, Physics physics, Ai ai, Render render) : start_(g), join_(g) {
        namespace flow = tbb::flow;
        for (int p = 0; p < partitions; ++p) {
            physics_[static_cast<std::size_t>(p)] = std::make_unique<flow::function_node<int, int>>(
                g, flow::unlimited, [physics, p](int frame) {
                    physics(frame, p);
                    return p;
                });
            flow::make_edge(start_, *physics_[static_cast<std::size_t>(p)]);
        }
        static_assert(partitions == 4, "the join below has one port per partition");
        flow::make_edge(*physics_[0], flow::input_port<0>(join_));
        flow::make_edge(*physics_[1], flow::input_port<1>(join_));
        flow::make_edge(*physics_[2], flow::input_port<2>(join_));
        flow::make_edge(*physics_[3], flow::input_port<3>(join_));
        ai_ = std::make_unique<flow::function_node<join_t::output_type, orders*>>(
            g, flow::serial, [ai](const join_t::output_type&) { return ai(); });
        render_ = std::make_unique<flow::function_node<orders*, flow::continue_msg>>(g, flow::serial, [render](orders* o) {
            render(o);
            return flow::continue_msg{};
        });
        flow::make_edge(join_, *ai_);
        flow::make_edge(*ai_, *render_);
    }

    // Runs one frame through the graph and waits for it.
    void run(tbb::flow::graph& g, int frame) {
        start_.try_put(frame);
        g.wait_for_all();
    }

private:
    using join_t = tbb::flow::join_node<std::tuple<int, int, int, int>>;

    tbb::flow::broadcast_node<int> start_;
    join_t join_;
    std::array<std::unique_ptr<tbb::flow::function_node<int, int>>, partitions> physics_;
    std::unique_ptr<tbb::flow::function_node<join_t::output_type, orders*>> ai_;
    std::unique_ptr<tbb::flow::function_node<orders*, tbb::flow::continue_msg>> render_;
};

// The end of AI's stage in frame_demo: the entities whose health ran out leave the world (despawn(e)
// returns each to the pool), the world is refilled to its wanted size (3000..5000 on the load curve,
// by spawn()), and the orders for render are made in pool memory.
template <class Entity, class Despawn, class Spawn>
orders* turn_over(std::pmr::memory_resource* pool, std::vector<Entity*>& world, int frame, std::uint32_t mean_path,
                  Despawn despawn, Spawn spawn) {
    auto* o = static_cast<orders*>(pool->allocate(sizeof(orders), alignof(orders)));
    *o = orders{frame, 0, 0, mean_path, {}};
    const auto gone = std::partition(world.begin(), world.end(), [](const Entity* e) { return e->health > 0.0f; });
    for (auto it = gone; it != world.end(); ++it) despawn(*it);
    o->despawned = static_cast<std::uint32_t>(world.end() - gone);
    world.erase(gone, world.end());
    const auto wanted = static_cast<std::size_t>(3000 + 2000 * load(frame, 8));
    while (world.size() < wanted) {
        spawn();
        ++o->spawned;
    }
    o->camera_target = {world.front()->position[0], world.front()->position[1], world.front()->position[2]};
    return o;
}

}  // namespace whole_frame
