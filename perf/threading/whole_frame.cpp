// A whole frame: the workload of examples/frame_demo.cpp (a oneTBB flow graph: physics in four
// partitions -> AI -> render preparation, over a world of 3000..5000 pool entities, rising and falling
// with a period of 16 frames) with its frame and pool memory served by each backend of
// frame_backends.hpp (framealloc, glibc, mimalloc, jemalloc, tbbmalloc, std_pools).
// Diagnostics tags and budgets of the demo are left out (only framealloc has them); everything else
// allocates what the demo allocates, where it allocates it: contacts in frame vectors read by AI on
// another thread, a 4 KiB path-search scratch per agent released at once, entity spawns and despawns
// in the pool, AI's orders in the pool (freed by render), the draw list and particles in frame memory,
// the overlay line as a pool string kept until the next frame. whole_frame_containers.cpp is the same
// frame written with std::pmr containers, where memory is a larger share of the work.
//
// Figures (frame_loop.hpp): every frame's time in µs (samples; after 32 frames of warm-up at scale 1),
// their median and 99th percentile, and the process's peak resident growth (isolated_runs).
#include <oneapi/tbb/flow_graph.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "frame_graph.hpp"
#include "frame_loop.hpp"

namespace whole_frame {

namespace flow = tbb::flow;

struct entity {
    std::uint32_t id;
    float position[3];
    float velocity[3];
    float health;
};
struct path_scratch {
    static constexpr int side = 32;
    std::array<std::uint16_t, side * side> came_from;
    std::array<std::uint16_t, side * side> queue;
};

std::uint16_t search(path_scratch& s, int agent) {
    constexpr int side = path_scratch::side;
    constexpr std::uint16_t unvisited = 0xFFFF;
    s.came_from.fill(unvisited);
    const int from = agent % side;
    const int goal = (side - 1) * side + (agent * 7) % side;
    std::size_t head = 0, tail = 0;
    s.queue[tail++] = static_cast<std::uint16_t>(from);
    s.came_from[static_cast<std::size_t>(from)] = static_cast<std::uint16_t>(from);
    while (head < tail && s.came_from[static_cast<std::size_t>(goal)] == unvisited) {
        const int cell = s.queue[head++];
        const int x = cell % side, y = cell / side;
        const std::array<int, 4> next = {x > 0 ? cell - 1 : -1, x + 1 < side ? cell + 1 : -1, y > 0 ? cell - side : -1,
                                         y + 1 < side ? cell + side : -1};
        for (int n : next) {
            const bool wall = n >= 0 && (n / side) % 4 == 2 && (n % side) != (agent + n / side) % side;
            if (n < 0 || wall || s.came_from[static_cast<std::size_t>(n)] != unvisited) continue;
            s.came_from[static_cast<std::size_t>(n)] = static_cast<std::uint16_t>(cell);
            s.queue[tail++] = static_cast<std::uint16_t>(n);
        }
    }
    std::uint16_t length = 0;
    for (int c = goal; c != from && s.came_from[static_cast<std::size_t>(c)] != unvisited; ++length)
        c = s.came_from[static_cast<std::size_t>(c)];
    return length;
}

class game {
public:
    game(memory_backend& memory, flow::graph& g)
        : memory_(memory),
          graph_(g, [this](int frame, int p) { physics(frame, p); }, [this] { return ai(); }, [this](orders* o) { render(o); }) {
        for (int i = 0; i < 4000; ++i) spawn();
    }
    ~game() {
        overlay_.reset();
        for (entity* e : world_) memory_.pool()->deallocate(e, sizeof(entity), alignof(entity));
    }

    void run_frame(flow::graph& g, int frame) {
        frame_ = frame;
        graph_.run(g, frame);
        for (auto& c : contacts_) c.reset();  // frame memory: gone before end_frame()
    }
    std::size_t checksum() const { return world_.size() + draws_ + (overlay_ ? overlay_->size() : 0); }

private:
    void spawn() {
        const std::uint32_t id = next_id_++;
        const float f = static_cast<float>(id % 97);
        void* p = memory_.pool()->allocate(sizeof(entity), alignof(entity));
        world_.push_back(new (p) entity{id, {f, 0.0f, f * 0.5f}, {0.1f, 0.0f, -0.05f}, 5.0f + static_cast<float>(id % 40)});
    }

    void physics(int frame, int partition) {
        const std::size_t n = world_.size();
        const std::size_t begin = n * static_cast<std::size_t>(partition) / partitions;
        const std::size_t end = n * static_cast<std::size_t>(partition + 1) / partitions;
        const int checks = static_cast<int>(1 + 5 * load(frame, partition));
        std::pmr::vector<contact>& contacts = contacts_[static_cast<std::size_t>(partition)].emplace(memory_.frame());
        for (std::size_t i = begin; i < end; ++i) {
            entity& e = *world_[i];
            for (int k = 0; k < 3; ++k) e.position[k] += e.velocity[k] * (1.0f / 60.0f);
            for (int c = 1; c <= checks && i + static_cast<std::size_t>(c) < end; ++c) {
                const entity& other = *world_[i + static_cast<std::size_t>(c)];
                const float dx = e.position[0] - other.position[0];
                if (dx * dx < 400.0f)
                    contacts.push_back(contact{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + c),
                                               20.0f - (dx < 0 ? -dx : dx)});
            }
        }
    }

    orders* ai() {
        for (const auto& part : contacts_)
            for (const contact& c : *part) world_[c.a]->health -= c.depth * 0.05f;
        const int agents = static_cast<int>(16 + 48 * load(frame_, 12));
        std::pmr::memory_resource* frame = memory_.frame();
        std::pmr::vector<std::uint16_t> lengths(frame);
        lengths.reserve(static_cast<std::size_t>(agents));
        for (int agent = 0; agent < agents; ++agent) {
            void* scratch = frame->allocate(sizeof(path_scratch), alignof(path_scratch));
            lengths.push_back(search(*static_cast<path_scratch*>(scratch), agent));
            frame->deallocate(scratch, sizeof(path_scratch), alignof(path_scratch));
        }
        std::size_t total = 0;
        for (const std::uint16_t l : lengths) total += l;
        return turn_over(
            memory_.pool(), world_, frame_, static_cast<std::uint32_t>(total / lengths.size()),
            [this](entity* e) { memory_.pool()->deallocate(e, sizeof(entity), alignof(entity)); }, [this] { spawn(); });
    }

    void render(orders* handed) {
        const orders o = *handed;
        memory_.pool()->deallocate(handed, sizeof(orders), alignof(orders));
        std::pmr::memory_resource* frame = memory_.frame();
        std::pmr::vector<draw_item> draws(frame);
        draws.reserve(world_.size());
        for (const entity* e : world_) {
            const float dz = e->position[2] - o.camera_target[2];
            const float dx = e->position[0] - o.camera_target[0];
            draws.push_back(draw_item{e->id, dx * dx + dz * dz});
        }
        std::sort(draws.begin(), draws.end(), [](const draw_item& l, const draw_item& r) { return l.depth > r.depth; });
        const auto count = static_cast<std::size_t>(500 + 4500 * load(o.frame, 4));
        auto* particles = static_cast<particle*>(frame->allocate(count * sizeof(particle), alignof(particle)));
        for (std::size_t i = 0; i < count; ++i) {
            particles[i].velocity[1] = 1.0f + static_cast<float>(i % 13);
            particles[i].position[1] = particles[i].velocity[1] * (1.0f / 60.0f);
            particles[i].life = 1.0f - static_cast<float>(i % 100) / 100.0f;
        }
        char text[128];
        std::snprintf(text, sizeof text, "%zu entities (+%u -%u), mean path %u, %zu draws, %zu particles", world_.size(),
                      o.spawned, o.despawned, o.mean_path, draws.size(), count);
        overlay_.emplace(text, memory_.pool());
        frame->deallocate(particles, count * sizeof(particle), alignof(particle));
        draws_ = draws.size();
    }

    memory_backend& memory_;
    std::vector<entity*> world_;
    std::uint32_t next_id_ = 0;
    int frame_ = 0;
    std::size_t draws_ = 0;
    std::array<std::optional<std::pmr::vector<contact>>, partitions> contacts_;
    std::optional<std::pmr::string> overlay_;
    frame_graph graph_;  // last: its nodes call the members above
};

}  // namespace whole_frame

namespace pool_perf {

void register_whole_frame_cases() { whole_frame::register_frame_cases<whole_frame::game>("whole_frame"); }

}  // namespace pool_perf
