// frame_demo: the frame loop of a small simulated game, its systems a oneTBB flow graph on frame and
// pool memory.
//
//   frame_demo [frames] [--snapshots DIR]     (default: 60 frames, snapshots in ./framealloc_snapshots)
//
// The graph is built once: physics (four partitions in parallel) -> AI -> render preparation.
//   physics   moves its slice of the world's entities (pool objects that live across frames) and
//             collects contacts in a frame vector;
//   AI        reads every partition's contacts (frame memory of other threads), runs one path search
//             per agent in frame scratch released agent by agent (frame_scope), despawns and spawns
//             entities (pool frees and allocations from whichever worker runs it), and hands its orders
//             to render preparation through a transfer_handle;
//   render    receives the orders, builds and sorts a draw list and the particles in frame memory, and
//             boxes the frame's overlay line for the main thread, which reads it after end_frame().
// framealloc::run_graph_frame() opens the frame, puts the frame number in, waits for the graph and ends
// the frame. framealloc::tbb_worker_binder gives every thread of the task arena its frame arena and pool
// cache when it joins; every node body is counted as a task of the frame (frame_task_body), so an
// end_frame() that came too early would be FA005, not corrupted memory. Each thread works under a
// frame budget (soft limit: a warning; hard: a failure).
//
// Diagnostics: every system works under a tag (physics, ai::pathfinding, render::particles, ...), so
// every allocation is attributed; every kTagTableEvery frames the demo prints the last frame's per-tag
// table from smart_alloc::stats() and writes a JSON snapshot (schema v2, docs/snapshot.schema.json) to
// the snapshot directory. `touch DIR/snapshot.request` while it runs asks for one more.
//
// The workload rises and falls with a period of 16 frames: the arenas grow during the first busy frames
// (upstream allocations) and then only reuse the chunks they kept.
#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <atomic>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <memory_resource>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

import framealloc;

namespace flow = tbb::flow;

namespace {

constexpr int kPeriod = 16;
constexpr int kPartitions = 4;
constexpr int kReportEvery = 10;
constexpr int kTagTableEvery = 30;

// Load factor in [0.25, 1]: a triangle wave of period kPeriod, so every period repeats the first.
double load(int frame, int shift) {
    const int phase = (frame + shift) % kPeriod;
    const int distance = std::min(phase, kPeriod - phase);
    return 0.25 + 0.75 * distance / (kPeriod / 2);
}

// World state that outlives frames: pool objects.
struct Entity {
    std::uint32_t id;
    float position[3];
    float velocity[3];
    float health;
};

struct Contact {
    std::uint32_t a, b;  // indices in the world
    float depth;
};

// What one physics partition hands to AI: frame memory, valid until end_frame().
struct PhysicsOut {
    int partition;
    std::span<const Contact> contacts;
};

// AI's orders for render preparation: moved into a pool box, received on the render thread.
struct Orders {
    int frame;
    std::uint32_t despawned;
    std::uint32_t spawned;
    std::uint32_t mean_path;
    std::array<float, 3> camera_target;
};

// Breadth-first search scratch for one agent on a 32 x 32 grid: 4 KiB, released when the agent is done.
struct PathScratch {
    static constexpr int side = 32;
    std::array<std::uint16_t, side * side> came_from;
    std::array<std::uint16_t, side * side> queue;
};

struct DrawItem {
    std::uint32_t entity;
    float depth;
};

struct Particle {
    float position[3];
    float velocity[3];
    float life;
};

// The figures of one frame, written by render preparation (the last node) and read after the frame.
struct FrameFigures {
    std::size_t entities = 0;
    std::size_t contacts = 0;
    std::size_t draws = 0;
    std::size_t particles = 0;
    std::uint32_t mean_path = 0;
};

class Game {
public:
    // Builds the systems' nodes in `g` once; run_graph_frame() drives the graph every frame. The graph
    // must outlive the game (its nodes unregister from it when they are destroyed).
    Game(framealloc::smart_alloc& alloc, flow::graph& g) : alloc_(alloc) {
        for (std::uint32_t i = 0; i < 4000; ++i) spawn();
        start_ = std::make_unique<flow::broadcast_node<int>>(g);
        join_ = std::make_unique<join_t>(g);
        for (int p = 0; p < kPartitions; ++p) {
            physics_[p] = std::make_unique<flow::function_node<int, PhysicsOut*>>(
                g, flow::unlimited, counted([this, p](int frame) { return physics(frame, p); }));
            flow::make_edge(*start_, *physics_[p]);
        }
        flow::make_edge(*physics_[0], flow::input_port<0>(*join_));
        flow::make_edge(*physics_[1], flow::input_port<1>(*join_));
        flow::make_edge(*physics_[2], flow::input_port<2>(*join_));
        flow::make_edge(*physics_[3], flow::input_port<3>(*join_));
        ai_ = std::make_unique<flow::function_node<join_t::output_type, framealloc::transfer_handle<Orders>*>>(
            g, flow::serial, counted([this](const join_t::output_type& in) { return ai(in); }));
        render_ = std::make_unique<flow::function_node<framealloc::transfer_handle<Orders>*, flow::continue_msg>>(
            g, flow::serial, counted([this](framealloc::transfer_handle<Orders>* h) { return render(*h); }));
        flow::make_edge(*join_, *ai_);
        flow::make_edge(*ai_, *render_);
    }

    flow::broadcast_node<int>& start() { return *start_; }
    const FrameFigures& figures() const { return figures_; }
    // The overlay line of the last frame, boxed in the pool by render preparation: it survives end_frame().
    framealloc::transfer_handle<std::string> take_overlay() { return std::move(overlay_); }

private:
    using join_t = flow::join_node<std::tuple<PhysicsOut*, PhysicsOut*, PhysicsOut*, PhysicsOut*>>;

    template <class Body>
    framealloc::frame_task_body_t<Body> counted(Body body) {
        return framealloc::frame_task_body(alloc_.frame_tasks(), std::move(body));
    }

    // A budget belongs to a thread; TBB threads get theirs the first time they run a system.
    void ensure_budget() {
        thread_local const framealloc::smart_alloc* budgeted = nullptr;
        if (budgeted == &alloc_) return;
        framealloc::budget_limits budget;
        budget.soft_limit = 2u << 20;  // a frame over 2 MiB on one thread deserves a warning
        budget.hard_limit = 8u << 20;  // over 8 MiB is a bug: budget_exceeded
        alloc_.set_thread_frame_budget(budget);
        budgeted = &alloc_;
    }

    void spawn() {
        const std::uint32_t id = next_id_++;
        const float f = static_cast<float>(id % 97);
        world_.push_back(alloc_.pool_alloc<Entity>(
            Entity{id, {f, 0.0f, f * 0.5f}, {0.1f, 0.0f, -0.05f}, 5.0f + static_cast<float>(id % 40)}));
    }

    // Physics: integrates its slice of the world; contacts between neighbours go in a frame vector whose
    // size is only known while it is built.
    PhysicsOut* physics(int frame, int partition) {
        ensure_budget();
        const framealloc::scoped_tag tag = alloc_.tag("physics");
        const std::size_t n = world_.size();
        const std::size_t begin = n * static_cast<std::size_t>(partition) / kPartitions;
        const std::size_t end = n * static_cast<std::size_t>(partition + 1) / kPartitions;
        const int checks = static_cast<int>(1 + 5 * load(frame, partition));
        std::pmr::vector<Contact> contacts = alloc_.frame_vector<Contact>();
        for (std::size_t i = begin; i < end; ++i) {
            Entity& e = *world_[i];
            for (int k = 0; k < 3; ++k) e.position[k] += e.velocity[k] * (1.0f / 60.0f);
            for (int c = 1; c <= checks && i + static_cast<std::size_t>(c) < end; ++c) {
                const Entity& other = *world_[i + static_cast<std::size_t>(c)];
                const float dx = e.position[0] - other.position[0];
                if (dx * dx < 400.0f)
                    contacts.push_back(Contact{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + c),
                                               20.0f - (dx < 0 ? -dx : dx)});
            }
        }
        // The buffer is frame memory: it stays valid after `contacts` is gone (deallocate is a no-op),
        // until end_frame(). AI reads it on whichever thread runs AI.
        return alloc_.frame_alloc<PhysicsOut>(PhysicsOut{partition, {contacts.data(), contacts.size()}});
    }

    // AI: one path search per agent, each in frame scratch released when the agent is done; despawns the
    // entities that lost their health, spawns new ones, and sends its orders to render preparation.
    framealloc::transfer_handle<Orders>* ai(const join_t::output_type& in) {
        ensure_budget();
        const framealloc::scoped_tag tag = alloc_.tag("ai");
        const std::array<PhysicsOut*, kPartitions> parts{std::get<0>(in), std::get<1>(in), std::get<2>(in), std::get<3>(in)};
        std::size_t contacts = 0;
        for (const PhysicsOut* p : parts)
            for (const Contact& c : p->contacts) {
                world_[c.a]->health -= c.depth * 0.05f;
                ++contacts;
            }

        const int frame = frame_;
        const int agents = static_cast<int>(16 + 48 * load(frame, 12));
        std::pmr::vector<std::uint16_t> lengths = alloc_.frame_vector<std::uint16_t>();
        lengths.reserve(static_cast<std::size_t>(agents));  // outlives the scopes below
        alloc_.with_tag("pathfinding", [&] {  // ai::pathfinding
            for (int agent = 0; agent < agents; ++agent) {
                auto scope = alloc_.frame_scope();
                lengths.push_back(search(*alloc_.frame_alloc<PathScratch>(), agent));
            }  // each scope ends here: the scratch goes back to this thread's arena at once
        });

        Orders orders{frame, 0, 0, 0, {0.0f, 0.0f, 0.0f}};
        std::size_t total = 0;
        for (std::uint16_t l : lengths) total += l;
        orders.mean_path = static_cast<std::uint32_t>(total / lengths.size());
        // Despawn: pool frees on whichever worker runs AI this frame.
        const auto gone = std::remove_if(world_.begin(), world_.end(), [](const auto& e) { return e->health <= 0.0f; });
        orders.despawned = static_cast<std::uint32_t>(world_.end() - gone);
        world_.erase(gone, world_.end());
        const auto wanted = static_cast<std::size_t>(3000 + 2000 * load(frame, 8));
        alloc_.with_tag("spawn", [&] {  // ai::spawn: pool allocations of new entities
            while (world_.size() < wanted) {
                spawn();
                ++orders.spawned;
            }
        });
        orders.camera_target = {world_.front()->position[0], world_.front()->position[1], world_.front()->position[2]};
        figures_.entities = world_.size();
        figures_.contacts = contacts;
        figures_.mean_path = orders.mean_path;
        // The handle itself is frame memory; the Orders it carries are in the pool.
        return alloc_.frame_alloc<framealloc::transfer_handle<Orders>>(alloc_.frame_box_for_transfer(orders));
    }

    static std::uint16_t search(PathScratch& s, int agent) {
        constexpr int side = PathScratch::side;
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
            const std::array<int, 4> next = {x > 0 ? cell - 1 : -1, x + 1 < side ? cell + 1 : -1,
                                             y > 0 ? cell - side : -1, y + 1 < side ? cell + side : -1};
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

    // Render preparation: receives AI's orders, builds a sorted draw list and the particles.
    flow::continue_msg render(framealloc::transfer_handle<Orders>& handle) {
        ensure_budget();
        const framealloc::scoped_tag tag = alloc_.tag("render");
        const Orders orders = handle.receive();
        std::pmr::vector<DrawItem> draws = alloc_.frame_vector<DrawItem>();
        draws.reserve(world_.size());
        for (const auto& e : world_) {
            const float dz = e->position[2] - orders.camera_target[2];
            const float dx = e->position[0] - orders.camera_target[0];
            draws.push_back(DrawItem{e->id, dx * dx + dz * dz});
        }
        std::sort(draws.begin(), draws.end(), [](const DrawItem& l, const DrawItem& r) { return l.depth > r.depth; });
        const auto count = static_cast<std::size_t>(500 + 4500 * load(orders.frame, 4));
        std::span<Particle> particles =
            alloc_.with_tag("particles", [&] { return alloc_.frame_array<Particle>(count); });  // render::particles
        for (std::size_t i = 0; i < particles.size(); ++i) {
            particles[i].velocity[1] = 1.0f + static_cast<float>(i % 13);
            particles[i].position[1] = particles[i].velocity[1] * (1.0f / 60.0f);
            particles[i].life = 1.0f - static_cast<float>(i % 100) / 100.0f;
        }
        figures_.draws = draws.size();
        figures_.particles = particles.size();

        char text[128];
        std::snprintf(text, sizeof text, "%zu entities (+%u -%u), %zu contacts, mean path %u, %zu draws, %zu particles",
                      world_.size(), orders.spawned, orders.despawned, figures_.contacts, orders.mean_path,
                      draws.size(), particles.size());
        overlay_ = alloc_.frame_box_for_transfer(std::string(text));  // pool box: read after end_frame()
        return {};
    }

public:
    int frame_ = 0;  // the frame being run, set by the main thread before run_graph_frame

private:
    framealloc::smart_alloc& alloc_;
    std::vector<framealloc::pool_ptr<Entity>> world_;  // touched by physics (disjoint slices), then AI, then render
    std::uint32_t next_id_ = 0;
    FrameFigures figures_;
    framealloc::transfer_handle<std::string> overlay_;
    std::unique_ptr<flow::broadcast_node<int>> start_;
    std::array<std::unique_ptr<flow::function_node<int, PhysicsOut*>>, kPartitions> physics_;
    std::unique_ptr<join_t> join_;
    std::unique_ptr<flow::function_node<join_t::output_type, framealloc::transfer_handle<Orders>*>> ai_;
    std::unique_ptr<flow::function_node<framealloc::transfer_handle<Orders>*, flow::continue_msg>> render_;
};

double kib(std::size_t bytes) { return static_cast<double>(bytes) / 1024.0; }

// The last frame's usage per tag, from smart_alloc::stats(): what each system allocated and freed.
void print_tag_table(const framealloc::smart_alloc& alloc, int frame) {
    const framealloc::allocator_stats st = alloc.stats();
    std::printf("\n  frame %d by tag      frame allocs  frame KiB  pool allocs  pool frees  pool KiB  heap allocs\n", frame);
    for (const framealloc::tag_stats& t : st.usage.tags) {
        const framealloc::usage_stats& u = t.last_frame;
        if (u.frame.allocations + u.pool.allocations + u.pool.frees + u.heap.allocations == 0) continue;
        std::printf("  %-20s %12llu  %9.1f  %11llu  %10llu  %8.1f  %11llu\n", t.path.empty() ? "(untagged)" : t.path.c_str(),
                    static_cast<unsigned long long>(u.frame.allocations), kib(u.frame.bytes),
                    static_cast<unsigned long long>(u.pool.allocations), static_cast<unsigned long long>(u.pool.frees),
                    kib(u.pool.bytes), static_cast<unsigned long long>(u.heap.allocations));
    }
    std::printf("\n");
}

void run_demo(int frames, const std::filesystem::path& snapshot_dir) {
    framealloc::smart_alloc alloc{framealloc::alloc_config{}};
    // Snapshots: written every kTagTableEvery frames, and whenever DIR/snapshot.request appears. No
    // minimum interval: the periodic writes come often enough that one would keep every request waiting.
    framealloc::snapshot_emitter snapshots{framealloc::snapshot_config{}
                                               .with_directory(snapshot_dir)
                                               .with_max_snapshots(8)
                                               .with_min_interval(std::chrono::milliseconds(0))};
    std::size_t snapshots_written = 0;
    std::filesystem::path last_snapshot;
    tbb::task_arena arena;                                // as many threads as the machine has
    framealloc::tbb_worker_binder binder{alloc, arena};  // after alloc and arena: destroyed before them

    std::printf("frame  threads  frame KiB  reserved KiB  pool KiB  entities  contacts  draws  upstream allocs\n");
    std::uint64_t upstream_before = 0;
    int last_growth_frame = 0;
    std::size_t peak_used = 0;
    std::string last_overlay;
    framealloc::frame_resource_stats last{};

    arena.execute([&] {
        flow::graph g;    // in the arena: the graph's tasks run on its threads
        Game game(alloc, g);
        for (int frame = 1; frame <= frames; ++frame) {
            game.frame_ = frame;
            const framealloc::frame_resource_stats s =
                framealloc::run_graph_frame(alloc, g, [&] { game.start().try_put(frame); });
            // The frame has ended: its memory is gone, but the overlay line was boxed in the pool.
            last_overlay = game.take_overlay().receive();

            const std::uint64_t grown = s.upstream_allocations - upstream_before;
            if (grown != 0) last_growth_frame = frame;
            upstream_before = s.upstream_allocations;
            peak_used = std::max(peak_used, s.bytes_used);
            last = s;
            if (frame == 1 || frame % kReportEvery == 0 || frame == frames) {
                const FrameFigures& f = game.figures();
                std::printf("%5d  %7zu  %9.1f  %12.1f  %8.1f  %8zu  %8zu  %5zu  %15llu", frame, s.threads,
                            kib(s.bytes_used), kib(s.bytes_reserved), kib(alloc.pool_resource().stats().slab_bytes),
                            f.entities, f.contacts, f.draws, static_cast<unsigned long long>(s.upstream_allocations));
                if (grown != 0) std::printf("  (+%llu)", static_cast<unsigned long long>(grown));
                std::printf("\n");
            }
            if (frame % kTagTableEvery == 0 || frame == frames) {
                print_tag_table(alloc, frame);
                last_snapshot = snapshots.emit(framealloc::build_snapshot(alloc));
                ++snapshots_written;
            } else if (snapshots.maybe_emit([&] { return framealloc::build_snapshot(alloc); })) {
                ++snapshots_written;  // asked for by the request file
            }
        }
    });

    const framealloc::transfer_stats t = alloc.transfer_stats();
    std::printf("\noverlay of frame %d (boxed in the pool, read after its end_frame()):\n  %s\n", frames,
                last_overlay.c_str());
    std::printf("\nsummary: %d frames, %zu threads with frame memory, peak %.1f KiB of frame memory in one frame\n",
                frames, last.threads, kib(peak_used));
    std::printf("  graph: physics x%d -> AI -> render preparation, every node body counted as a task of its frame\n",
                kPartitions);
    std::printf("  transfers: %llu created, %llu received, %llu in flight; binder: %llu scheduler entries\n",
                static_cast<unsigned long long>(t.created), static_cast<unsigned long long>(t.received),
                static_cast<unsigned long long>(t.in_flight()),
                static_cast<unsigned long long>(binder.stats().entries));
    std::printf("  upstream: %llu allocations, %llu deallocations; the arenas grew until frame %d\n",
                static_cast<unsigned long long>(last.upstream_allocations),
                static_cast<unsigned long long>(last.upstream_deallocations), last_growth_frame);
    std::printf("  snapshots: %zu written, the last %s (the newest 8 are kept)\n", snapshots_written,
                last_snapshot.string().c_str());
    if (frames < 2 * kPeriod)
        std::printf("  (the workload repeats every %d frames: run at least %d to see the steady state)\n", kPeriod,
                    2 * kPeriod);
#ifdef FRAMEALLOC_INSIGHT_LAUNCHER
    const char* viewer = FRAMEALLOC_INSIGHT_LAUNCHER;  // this build's fa-insight
#else
    const char* viewer = "fa-insight";
#endif
    const std::string dir = std::filesystem::absolute(snapshot_dir).lexically_normal().string();
    std::string shown = dir;  // shell-quoted when it must be, so the line can be pasted as it is
    if (dir.find_first_of(" \t'\"$\\`") != std::string::npos) {
        shown = "'";
        for (const char c : dir) shown += c == '\'' ? std::string("'\\''") : std::string(1, c);
        shown += "'";
    }
    std::printf("\nview them in the browser: %s serve %s\n", viewer, shown.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    int frames = 60;
    std::filesystem::path snapshot_dir = "framealloc_snapshots";
    bool frames_given = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--snapshots" && i + 1 < argc) {
            snapshot_dir = argv[++i];
            continue;
        }
        const auto [end, error] = std::from_chars(arg.data(), arg.data() + arg.size(), frames);
        if (frames_given || error != std::errc{} || end != arg.data() + arg.size() || frames < 1 || frames > 100000) {
            std::fprintf(stderr, "usage: %s [frames] [--snapshots DIR]   (frames 1..100000, default 60)\n", argv[0]);
            return 2;
        }
        frames_given = true;
    }
    // TBB's worker threads are joined before exit (tbb::finalize): a clean exit for leak checkers. Without
    // it libtbb keeps the binder's observer proxy while a worker still refers to it, and LeakSanitizer
    // reports it although the binder stopped observing.
    tbb::task_scheduler_handle scheduler{tbb::attach{}};
    try {
        run_demo(frames, snapshot_dir);
    } catch (const framealloc::snapshot_error& e) {  // FA009: the directory is not writable, the disk full...
        std::fprintf(stderr, "frame_demo: %s\n", e.what());
        return 1;
    }
    if (!tbb::finalize(scheduler, std::nothrow)) std::fprintf(stderr, "frame_demo: TBB workers still busy at exit\n");
    return 0;
}
