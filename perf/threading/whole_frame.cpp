// A whole frame: the workload of examples/frame_demo.cpp (a oneTBB flow graph: physics in four
// partitions -> AI -> render preparation, over a world of 3000..5000 pool entities, rising and falling
// with a period of 16 frames) with its frame and pool memory served by one backend:
//   framealloc  smart_alloc: frame_resource() (a bump arena per thread, reset by end_frame()) and
//               pool_resource();
//   glibc, mimalloc, jemalloc, tbbmalloc
//               the general-purpose allocator for both (contenders.hpp's wrappers); frame memory is
//               freed object by object, as a program without frame arenas frees it;
//   std_pools   libstdc++'s std::pmr: one monotonic_buffer_resource per thread of the task arena
//               (indexed by the TBB slot; release()d at the end of every frame) and one
//               synchronized_pool_resource, both over new_delete_resource().
// Diagnostics tags and budgets of the demo are left out (only framealloc has them); everything else
// allocates what the demo allocates, where it allocates it: contacts in frame vectors read by AI on
// another thread, a 4 KiB path-search scratch per agent released at once, entity spawns and despawns
// in the pool, AI's orders in the pool (freed by render), the draw list and particles in frame memory,
// the overlay line as a pool string kept until the next frame.
//
// Figures: every frame's time in µs (samples; after 32 frames of warm-up), their median and 99th
// percentile, and the process's peak resident growth (isolated_runs).
#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "../pool/mt_cases.hpp"
#include "../support/isolated_runs.hpp"

import framealloc;

namespace whole_frame {

namespace flow = tbb::flow;
using pool_perf::contender;

// Frame and pool memory of one backend.
class memory_backend {
public:
    virtual ~memory_backend() = default;
    [[nodiscard]] virtual std::pmr::memory_resource* frame() = 0;  // the calling thread's frame memory
    [[nodiscard]] virtual std::pmr::memory_resource* pool() = 0;
    virtual void begin_frame() {}
    virtual void end_frame() {}
};

class framealloc_backend final : public memory_backend {
public:
    std::pmr::memory_resource* frame() override { return &alloc_.frame_resource(); }
    std::pmr::memory_resource* pool() override { return &alloc_.pool_resource(); }
    void begin_frame() override { alloc_.begin_frame(); }
    void end_frame() override { (void)alloc_.end_frame(); }
    // Allocations (frame and pool) and pool frees of the last frame, from the tags' statistics: how
    // much memory work a frame of this workload does.
    [[nodiscard]] double requests_last_frame() const {
        double n = 0;
        for (const framealloc::tag_stats& t : alloc_.stats().usage.tags)
            n += static_cast<double>(t.last_frame.frame.allocations + t.last_frame.pool.allocations + t.last_frame.pool.frees);
        return n;
    }

private:
    framealloc::smart_alloc alloc_{framealloc::alloc_config{}};
};

class general_backend final : public memory_backend {
public:
    explicit general_backend(contender c) {
        pool_perf::box_options options;
        options.shared = true;
        box_ = pool_perf::make_or_throw(c, options);
    }
    std::pmr::memory_resource* frame() override { return box_->get(); }
    std::pmr::memory_resource* pool() override { return box_->get(); }

private:
    std::unique_ptr<pool_perf::resource_box> box_;
};

class std_pools_backend final : public memory_backend {
public:
    explicit std_pools_backend(int threads) {
        for (int i = 0; i < threads; ++i) frames_.push_back(std::make_unique<std::pmr::monotonic_buffer_resource>());
    }
    std::pmr::memory_resource* frame() override {
        return frames_[static_cast<std::size_t>(tbb::this_task_arena::current_thread_index())].get();
    }
    std::pmr::memory_resource* pool() override { return &pool_; }
    void end_frame() override {
        for (auto& f : frames_) f->release();
    }

private:
    std::vector<std::unique_ptr<std::pmr::monotonic_buffer_resource>> frames_;
    std::pmr::synchronized_pool_resource pool_;
};

constexpr int period = 16;
constexpr int partitions = 4;

double load(int frame, int shift) {
    const int phase = (frame + shift) % period;
    const int distance = std::min(phase, period - phase);
    return 0.25 + 0.75 * distance / (period / 2);
}

struct entity {
    std::uint32_t id;
    float position[3];
    float velocity[3];
    float health;
};
struct contact {
    std::uint32_t a, b;
    float depth;
};
struct orders {
    int frame;
    std::uint32_t despawned, spawned, mean_path;
    std::array<float, 3> camera_target;
};
struct path_scratch {
    static constexpr int side = 32;
    std::array<std::uint16_t, side * side> came_from;
    std::array<std::uint16_t, side * side> queue;
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
    game(memory_backend& memory, flow::graph& g) : memory_(memory), start_(g), join_(g) {
        for (int i = 0; i < 4000; ++i) spawn();
        for (int p = 0; p < partitions; ++p) {
            physics_[static_cast<std::size_t>(p)] = std::make_unique<flow::function_node<int, int>>(
                g, flow::unlimited, [this, p](int frame) { return physics(frame, p); });
            flow::make_edge(start_, *physics_[static_cast<std::size_t>(p)]);
        }
        flow::make_edge(*physics_[0], flow::input_port<0>(join_));
        flow::make_edge(*physics_[1], flow::input_port<1>(join_));
        flow::make_edge(*physics_[2], flow::input_port<2>(join_));
        flow::make_edge(*physics_[3], flow::input_port<3>(join_));
        ai_ = std::make_unique<flow::function_node<join_t::output_type, orders*>>(
            g, flow::serial, [this](const join_t::output_type&) { return ai(); });
        render_ = std::make_unique<flow::function_node<orders*, flow::continue_msg>>(
            g, flow::serial, [this](orders* o) { return render(o); });
        flow::make_edge(join_, *ai_);
        flow::make_edge(*ai_, *render_);
    }
    ~game() {
        overlay_.reset();
        for (entity* e : world_) memory_.pool()->deallocate(e, sizeof(entity), alignof(entity));
    }

    void run_frame(flow::graph& g, int frame) {
        frame_ = frame;
        start_.try_put(frame);
        g.wait_for_all();
        for (auto& c : contacts_) c.reset();  // frame memory: gone before end_frame()
    }
    std::size_t checksum() const { return world_.size() + draws_ + (overlay_ ? overlay_->size() : 0); }

private:
    using join_t = flow::join_node<std::tuple<int, int, int, int>>;

    void spawn() {
        const std::uint32_t id = next_id_++;
        const float f = static_cast<float>(id % 97);
        void* p = memory_.pool()->allocate(sizeof(entity), alignof(entity));
        world_.push_back(new (p) entity{id, {f, 0.0f, f * 0.5f}, {0.1f, 0.0f, -0.05f}, 5.0f + static_cast<float>(id % 40)});
    }

    int physics(int frame, int partition) {
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
        return partition;
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
        auto* o = static_cast<orders*>(memory_.pool()->allocate(sizeof(orders), alignof(orders)));
        *o = orders{frame_, 0, 0, static_cast<std::uint32_t>(total / lengths.size()), {}};
        const auto gone = std::partition(world_.begin(), world_.end(), [](const entity* e) { return e->health > 0.0f; });
        for (auto it = gone; it != world_.end(); ++it) memory_.pool()->deallocate(*it, sizeof(entity), alignof(entity));
        o->despawned = static_cast<std::uint32_t>(world_.end() - gone);
        world_.erase(gone, world_.end());
        const auto wanted = static_cast<std::size_t>(3000 + 2000 * load(frame_, 8));
        while (world_.size() < wanted) {
            spawn();
            ++o->spawned;
        }
        o->camera_target = {world_.front()->position[0], world_.front()->position[1], world_.front()->position[2]};
        return o;
    }

    flow::continue_msg render(orders* handed) {
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
        return {};
    }

    memory_backend& memory_;
    std::vector<entity*> world_;
    std::uint32_t next_id_ = 0;
    int frame_ = 0;
    std::size_t draws_ = 0;
    std::array<std::optional<std::pmr::vector<contact>>, partitions> contacts_;
    std::optional<std::pmr::string> overlay_;
    flow::broadcast_node<int> start_;
    join_t join_;
    std::array<std::unique_ptr<flow::function_node<int, int>>, partitions> physics_;
    std::unique_ptr<flow::function_node<join_t::output_type, orders*>> ai_;
    std::unique_ptr<flow::function_node<orders*, flow::continue_msg>> render_;
};

std::unique_ptr<memory_backend> make_backend(const std::string& name, int threads) {
    if (name == "framealloc") return std::make_unique<framealloc_backend>();
    if (name == "std_pools") return std::make_unique<std_pools_backend>(threads);
    for (const contender c : {contender::glibc, contender::mimalloc, contender::jemalloc, contender::tbbmalloc})
        if (name == pool_perf::name_of(c)) return std::make_unique<general_backend>(c);
    throw std::runtime_error("unknown backend " + name);
}

void run(framealloc_perf::measurement& m, double scale, const std::string& backend) {
    const int warm_up = 32;
    const int frames = static_cast<int>(std::max(16.0, 640 * scale));
    tbb::task_arena arena;  // as many threads as the machine has
    const std::unique_ptr<memory_backend> memory = make_backend(backend, arena.max_concurrency());
    std::size_t checksum = 0;
    arena.execute([&] {
        flow::graph g;
        game world(*memory, g);
        for (int frame = 1; frame <= warm_up + frames; ++frame) {
            const auto t0 = std::chrono::steady_clock::now();
            memory->begin_frame();
            world.run_frame(g, frame);
            memory->end_frame();
            const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
            if (frame > warm_up) {
                m.samples.push_back(us);
                m.seconds += us * 1e-6;
            }
        }
        checksum = world.checksum();
    });
    m.ops = frames;
    std::vector<double> sorted = m.samples;
    std::sort(sorted.begin(), sorted.end());
    m.set("median_us", sorted[sorted.size() / 2]);
    m.set("p99_us", sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)]);
    m.set("checksum", static_cast<double>(checksum));
    if (const auto* fa = dynamic_cast<const framealloc_backend*>(memory.get())) m.set("requests_last_frame", fa->requests_last_frame());
}

}  // namespace whole_frame

namespace pool_perf {

void register_whole_frame_cases() {
    for (const char* backend : {"framealloc", "glibc", "mimalloc", "jemalloc", "tbbmalloc", "std_pools"})
        framealloc_perf::register_case({"whole_frame", backend, {}, "",
                                        [b = std::string(backend)](framealloc_perf::measurement& m, double scale) {
                                            whole_frame::run(m, scale, b);
                                        }});
}

}  // namespace pool_perf
