// A whole frame written the way engine code commonly writes it: the flow graph and the entity world of
// examples/frame_demo.cpp (physics in four partitions -> AI -> render preparation over 3000..5000 pool
// entities, rising and falling with a period of 16 frames), with every stage keeping its per-frame data
// in std::pmr containers on the frame resource, grown as the data comes (no reserve()), instead of the
// presized arrays of whole_frame.cpp. The backends are those of frame_backends.hpp.
//
// What it models, and why these sizes:
//   world    entities on a 256 x 256 ground plane (positions spread by id, speeds up to ~4 units/s,
//            wrapping at the edges), each a pool object that owns a pool pmr::vector of status effects:
//            a hit adds one (at most 8 held), each expires after 30 frames; spawns and despawns as in
//            the demo (despawn when health runs out: it wears by 0.25 a frame from 5..45 and hits take
//            more, so a few dozen entities leave a frame; refill to a wanted count of 3000..5000).
//   physics  per partition (~1000 entities), a uniform-grid broad phase as most engines have one:
//            a spatial hash, pmr::unordered_map<cell, pmr::vector<entity index>>, rebuilt every frame
//            (8-unit cells: ~600 occupied cells per partition, 1-3 entities each), then every entity
//            tested against the 3 x 3 cells around it; contacts (within 2 units) pushed into a
//            pmr::vector read by AI on another thread.
//   AI       16..64 agents a frame (the demo's count), each an A* search over a 32 x 32 navigation
//            grid (a wall every 4th row with one gap, as the demo's): the open set a binary heap in a
//            pmr::vector, the visited cells (came-from and cost) in a pmr::unordered_map, the way a
//            search over a large, sparsely visited world is written; the path returned as a
//            pmr::vector<cell>. Orders in the pool, freed by render, as in the demo.
//   render   entities within 96 units of the camera target, bucketed per material (24) in a
//            pmr::map<material, pmr::vector<draw_item>>, each bucket sorted front to back; a pmr::string
//            debug label per visible 16 x 16 square of entities (longer than the small-string buffer);
//            particles in 8 emitters, each a pmr::vector grown one particle at a time (500..5000 in
//            all); the overlay line a pool string kept until the next frame, as in the demo.
// framealloc_backend::requests_last_frame reports how many memory requests such a frame makes.
//
// Figures (frame_loop.hpp): every frame's time in µs (samples; after 32 frames of warm-up at scale 1),
// their median and 99th percentile, the checksum (the same on every backend), and the process's peak
// resident growth (isolated_runs).
#include <oneapi/tbb/flow_graph.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "frame_graph.hpp"
#include "frame_loop.hpp"

namespace whole_frame_containers {

namespace flow = tbb::flow;
using whole_frame::contact;
using whole_frame::draw_item;
using whole_frame::frame_graph;
using whole_frame::load;
using whole_frame::memory_backend;
using whole_frame::orders;
using whole_frame::partitions;
using whole_frame::particle;
using whole_frame::turn_over;

constexpr float world_side = 256.0f;
constexpr float cell_side = 8.0f;
constexpr float contact_radius = 2.0f;
constexpr float view_radius = 96.0f;
constexpr std::uint16_t materials = 24;
constexpr int emitters = 8;

struct effect {
    std::uint16_t kind;
    std::uint16_t frames_left;
    float strength;
};
struct entity {
    std::uint32_t id;
    std::uint16_t material;
    float position[3];
    float velocity[3];
    float health;
    std::pmr::vector<effect> effects;  // pool memory, like the entity
};

using nav_cell = std::uint16_t;

// A* from the top row to the bottom row of a 32 x 32 grid, walls as in the demo's search.
std::pmr::vector<nav_cell> find_path(int agent, std::pmr::memory_resource* memory) {
    constexpr int side = 32;
    struct open_entry {
        int priority;  // cost so far + Manhattan distance to the goal
        nav_cell at;
        bool operator<(const open_entry& o) const { return priority > o.priority; }  // a min-heap
    };
    struct visit {
        nav_cell from;
        int cost;
    };
    const auto from = static_cast<nav_cell>(agent % side);
    const auto goal = static_cast<nav_cell>((side - 1) * side + (agent * 7) % side);
    const auto estimate = [&](int c) { return std::abs(c % side - goal % side) + std::abs(c / side - goal / side); };
    std::pmr::vector<open_entry> open(memory);
    std::pmr::unordered_map<nav_cell, visit> visited(memory);
    open.push_back({estimate(from), from});
    visited.emplace(from, visit{from, 0});
    while (!open.empty()) {
        std::pop_heap(open.begin(), open.end());
        const nav_cell cell = open.back().at;
        open.pop_back();
        if (cell == goal) break;
        const int cost = visited.at(cell).cost + 1;
        const int x = cell % side, y = cell / side;
        const std::array<int, 4> next = {x > 0 ? cell - 1 : -1, x + 1 < side ? cell + 1 : -1, y > 0 ? cell - side : -1,
                                         y + 1 < side ? cell + side : -1};
        for (const int n : next) {
            const bool wall = n >= 0 && (n / side) % 4 == 2 && (n % side) != (agent + n / side) % side;
            if (n < 0 || wall) continue;
            const auto [it, fresh] = visited.try_emplace(static_cast<nav_cell>(n), visit{cell, cost});
            if (!fresh) {
                if (it->second.cost <= cost) continue;
                it->second = visit{cell, cost};
            }
            open.push_back({cost + estimate(n), static_cast<nav_cell>(n)});
            std::push_heap(open.begin(), open.end());
        }
    }
    std::pmr::vector<nav_cell> path(memory);
    if (!visited.contains(goal)) return path;
    for (nav_cell c = goal; c != from; c = visited.at(c).from) path.push_back(c);
    std::reverse(path.begin(), path.end());
    return path;
}

class game {
public:
    game(memory_backend& memory, flow::graph& g)
        : memory_(memory), graph_(g, [this](int, int p) { physics(p); }, [this] { return ai(); }, [this](orders* o) { render(o); }) {
        for (int i = 0; i < 4000; ++i) spawn();
    }
    ~game() {
        overlay_.reset();
        for (entity* e : world_) despawn(e);
    }

    void run_frame(flow::graph& g, int frame) {
        frame_ = frame;
        graph_.run(g, frame);
        for (auto& c : contacts_) c.reset();  // frame memory: gone before end_frame()
    }
    std::size_t checksum() const { return world_.size() + draws_ + labels_ + path_cells_ + (overlay_ ? overlay_->size() : 0); }

private:
    void spawn() {
        const std::uint32_t id = next_id_++;
        const float x = static_cast<float>(scatter(id) & 0xFFFF) * (world_side / 65536.0f);  // spread by id
        const float z = static_cast<float>(scatter(id) >> 16) * (world_side / 65536.0f);
        void* p = memory_.pool()->allocate(sizeof(entity), alignof(entity));
        auto* e = new (p) entity{id,
                                 static_cast<std::uint16_t>(id % materials),
                                 {x, 0.0f, z},
                                 {static_cast<float>(static_cast<int>(id % 7) - 3), 0.0f, static_cast<float>(static_cast<int>(id % 5) - 2)},
                                 5.0f + static_cast<float>(scatter(~id) >> 24) * (40.0f / 256.0f),
                                 std::pmr::vector<effect>(memory_.pool())};
        e->effects.push_back(effect{0, 60, 1.0f});  // a shield for its first second: no damage from hits
        world_.push_back(e);
    }
    void despawn(entity* e) {
        e->~entity();
        memory_.pool()->deallocate(e, sizeof(entity), alignof(entity));
    }

    // A 32-bit mix (murmur3's finalizer): positions without the lattice a multiplicative hash of
    // consecutive ids draws.
    static std::uint32_t scatter(std::uint32_t h) {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        return h ^ (h >> 16);
    }
    // Back onto the plane, [0, world_side): -1e-6 + 256 rounds to 256.
    static float wrap(float v) {
        v = v < 0.0f ? v + world_side : v >= world_side ? v - world_side : v;
        return v < world_side ? v : 0.0f;
    }
    static std::uint32_t cell_of(const entity& e) {
        return static_cast<std::uint32_t>(e.position[0] / cell_side) << 16 | static_cast<std::uint32_t>(e.position[2] / cell_side);
    }

    void physics(int partition) {
        const std::size_t n = world_.size();
        const std::size_t begin = n * static_cast<std::size_t>(partition) / partitions;
        const std::size_t end = n * static_cast<std::size_t>(partition + 1) / partitions;
        std::pmr::memory_resource* frame = memory_.frame();
        std::pmr::unordered_map<std::uint32_t, std::pmr::vector<std::uint32_t>> grid(frame);
        for (std::size_t i = begin; i < end; ++i) {
            entity& e = *world_[i];
            for (const int k : {0, 2}) e.position[k] = wrap(e.position[k] + e.velocity[k] * (1.0f / 60.0f));
            e.health -= 0.25f;  // wear: an entity lives 20..180 frames unless hit sooner
            for (effect& f : e.effects) --f.frames_left;
            std::erase_if(e.effects, [](const effect& f) { return f.frames_left == 0; });
            grid[cell_of(e)].push_back(static_cast<std::uint32_t>(i));
        }
        std::pmr::vector<contact>& contacts = contacts_[static_cast<std::size_t>(partition)].emplace(frame);
        for (std::size_t i = begin; i < end; ++i) {
            const entity& e = *world_[i];
            const auto cx = static_cast<int>(e.position[0] / cell_side), cz = static_cast<int>(e.position[2] / cell_side);
            for (int z = cz - 1; z <= cz + 1; ++z)
                for (int x = cx - 1; x <= cx + 1; ++x) {
                    if (x < 0 || z < 0) continue;
                    const auto cell = grid.find(static_cast<std::uint32_t>(x) << 16 | static_cast<std::uint32_t>(z));
                    if (cell == grid.end()) continue;
                    for (const std::uint32_t j : cell->second) {
                        if (j <= i) continue;
                        const float dx = e.position[0] - world_[j]->position[0], dz = e.position[2] - world_[j]->position[2];
                        const float d2 = dx * dx + dz * dz;
                        if (d2 < contact_radius * contact_radius)
                            contacts.push_back(contact{static_cast<std::uint32_t>(i), j, contact_radius - std::sqrt(d2)});
                    }
                }
        }
    }

    orders* ai() {
        for (const auto& part : contacts_)
            for (const contact& c : *part) {
                entity& hit = *world_[c.a];
                const bool shielded = std::any_of(hit.effects.begin(), hit.effects.end(), [](const effect& f) { return f.kind == 0; });
                if (!shielded) hit.health -= c.depth;
                if (hit.effects.size() < 8) hit.effects.push_back(effect{1, 30, c.depth});
            }
        const int agents = static_cast<int>(16 + 48 * load(frame_, 12));
        std::pmr::memory_resource* frame = memory_.frame();
        std::size_t total = 0;
        for (int agent = 0; agent < agents; ++agent) total += find_path(agent, frame).size();
        path_cells_ = total;
        return turn_over(
            memory_.pool(), world_, frame_, static_cast<std::uint32_t>(total / static_cast<std::size_t>(agents)),
            [this](entity* e) { despawn(e); }, [this] { spawn(); });
    }

    void render(orders* handed) {
        const orders o = *handed;
        memory_.pool()->deallocate(handed, sizeof(orders), alignof(orders));
        std::pmr::memory_resource* frame = memory_.frame();
        std::pmr::map<std::uint16_t, std::pmr::vector<draw_item>> buckets(frame);
        constexpr float group_side = 16.0f;
        constexpr int groups_per_side = static_cast<int>(world_side / group_side);
        std::pmr::vector<std::uint32_t> group_sizes(groups_per_side * groups_per_side, 0, frame);
        std::size_t draws = 0;
        for (const entity* e : world_) {
            const float dx = e->position[0] - o.camera_target[0], dz = e->position[2] - o.camera_target[2];
            const float d2 = dx * dx + dz * dz;
            if (d2 >= view_radius * view_radius) continue;
            buckets[e->material].push_back(draw_item{e->id, d2});
            ++group_sizes[static_cast<std::size_t>(e->position[2] / group_side) * groups_per_side +
                          static_cast<std::size_t>(e->position[0] / group_side)];
            ++draws;
        }
        for (auto& [material, items] : buckets)
            std::sort(items.begin(), items.end(), [](const draw_item& l, const draw_item& r) { return l.depth < r.depth; });
        std::pmr::vector<std::pmr::string> labels(frame);
        for (std::size_t g = 0; g < group_sizes.size(); ++g) {
            if (group_sizes[g] == 0) continue;
            char text[64];
            std::snprintf(text, sizeof text, "group %zu,%zu: %u entities in view", g % groups_per_side, g / groups_per_side, group_sizes[g]);
            labels.emplace_back(text);
        }
        const auto count = static_cast<std::size_t>(500 + 4500 * load(o.frame, 4));
        std::pmr::vector<std::pmr::vector<particle>> particles(emitters, frame);
        for (std::size_t i = 0; i < count; ++i) {
            particle p{};
            p.velocity[1] = 1.0f + static_cast<float>(i % 13);
            p.position[1] = p.velocity[1] * (1.0f / 60.0f);
            p.life = 1.0f - static_cast<float>(i % 100) / 100.0f;
            particles[i % emitters].push_back(p);
        }
        char text[128];
        std::snprintf(text, sizeof text, "%zu entities (+%u -%u), mean path %u, %zu draws, %zu particles", world_.size(),
                      o.spawned, o.despawned, o.mean_path, draws, count);
        overlay_.emplace(text, memory_.pool());
        draws_ = draws;
        labels_ = labels.size();
    }

    memory_backend& memory_;
    std::vector<entity*> world_;
    std::uint32_t next_id_ = 0;
    int frame_ = 0;
    std::size_t draws_ = 0, labels_ = 0, path_cells_ = 0;
    std::array<std::optional<std::pmr::vector<contact>>, partitions> contacts_;
    std::optional<std::pmr::string> overlay_;
    frame_graph graph_;  // last: its nodes call the members above
};

}  // namespace whole_frame_containers

namespace pool_perf {

void register_whole_frame_containers_cases() {
    whole_frame::register_frame_cases<whole_frame_containers::game>("whole_frame_containers");
}

}  // namespace pool_perf
