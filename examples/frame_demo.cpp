// frame_demo: the frame loop of a small simulated game, with frame memory used from four threads.
//
//   frame_demo [frames]          (default 60)
//
// The main thread owns the frame: it calls begin_frame(), releases three persistent workers (physics,
// particles, AI) through a framealloc::frame_barrier, waits for them at a second rendezvous, and calls
// end_frame(). Each worker runs under a per-thread frame budget (soft limit: a warning; hard: a failure).
// Every thread allocates from the same smart_alloc; each gets an arena of its own, so no allocation
// takes a lock. end_frame() releases everything at once and returns the figures of the frame.
//
// The workload rises and falls with a period of 16 frames, so the arenas grow during the first busy
// frames (upstream allocations) and then only reuse the chunks they kept: after that warm-up the
// "upstream" column stops moving.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

import framealloc;

namespace {

constexpr int kWorkers = 3;
constexpr int kPeriod = 16;

// Load factor in [0.25, 1]: a triangle wave that peaks when (frame + shift) % kPeriod == kPeriod / 2.
// It depends on the phase only, so every period repeats the first one exactly.
double load(int frame, int shift) {
    const int phase = (frame + shift) % kPeriod;
    const int distance = std::min(phase, kPeriod - phase);  // 0 .. kPeriod / 2
    return 0.25 + 0.75 * distance / (kPeriod / 2);
}

struct Contact {
    std::uint32_t a, b;
    float depth;
    float normal[3];
};

struct Particle {
    float position[3];
    float velocity[3];
    float life;
    std::uint32_t emitter;
};

// Breadth-first search scratch for one agent on a 32 x 32 grid: 4 KiB, gone when the agent is done.
struct PathScratch {
    static constexpr int side = 32;
    std::array<std::uint16_t, side * side> came_from;
    std::array<std::uint16_t, side * side> queue;
};

// What a worker hands to the main thread: a line of the debug overlay. It lives in frame memory, so the
// pointer is valid until end_frame(), which also runs the string's destructor.
using Report = std::pmr::string*;

Report make_report(framealloc::smart_alloc& alloc, const char* text) {
    return alloc.frame_alloc<std::pmr::string>(alloc.frame_string(text));
}

// Physics: a contact list whose size is only known while it is built, so a frame_vector.
Report simulate_physics(framealloc::smart_alloc& alloc, int frame) {
    const auto bodies = static_cast<std::uint32_t>(2000 + 10000 * load(frame, 0));
    std::pmr::vector<Contact> contacts = alloc.frame_vector<Contact>();
    for (std::uint32_t i = 0; i + 1 < bodies; ++i)
        for (std::uint32_t k = 0; k < i % 3; ++k)
            contacts.push_back(Contact{i, i + 1 + k, 0.01f * static_cast<float>(k), {0.0f, 1.0f, 0.0f}});
    float depth = 0.0f;
    for (const Contact& c : contacts) depth += c.depth;

    char text[96];
    std::snprintf(text, sizeof text, "physics: %u bodies, %zu contacts, depth %.1f", bodies, contacts.size(),
                  static_cast<double>(depth));
    return make_report(alloc, text);
}  // `contacts` gives nothing back here (deallocate is a no-op): its memory returns at end_frame()

// Particles: each emitter's count is known up front, so a frame_array (value-initialised, and no
// destructor to register for a trivial type). One array per emitter keeps every request well below the
// chunk size: a request larger than a chunk gets a block of its own from upstream, every frame.
Report simulate_particles(framealloc::smart_alloc& alloc, int frame) {
    constexpr std::uint32_t emitters = 8;
    const auto per_emitter = static_cast<std::size_t>(250 + 2250 * load(frame, 4));
    std::size_t bytes = 0;
    for (std::uint32_t e = 0; e < emitters; ++e) {
        std::span<Particle> particles = alloc.frame_array<Particle>(per_emitter);
        std::span<std::uint32_t> draw_order = alloc.frame_array<std::uint32_t>(per_emitter);
        for (std::size_t i = 0; i < per_emitter; ++i) {
            Particle& p = particles[i];
            p.emitter = e;
            p.velocity[1] = 1.0f + static_cast<float>((i + e) % 13);
            p.position[1] = p.velocity[1] * (1.0f / 60.0f);
            p.life = 1.0f - static_cast<float>(i % 100) / 100.0f;
            draw_order[i] = static_cast<std::uint32_t>(i);
        }
        std::sort(draw_order.begin(), draw_order.end(), [&](std::uint32_t l, std::uint32_t r) {
            return particles[l].position[1] > particles[r].position[1];  // back to front
        });
        bytes += particles.size_bytes() + draw_order.size_bytes();
    }

    char text[96];
    std::snprintf(text, sizeof text, "particles: %zu alive, %zu KiB", emitters * per_emitter, bytes / 1024);
    return make_report(alloc, text);
}

// AI: one path search per agent. A frame_scope around each search releases its scratch when the agent
// is done, so the next agent reuses the same bytes and the frame only ever holds one search.
Report simulate_ai(framealloc::smart_alloc& alloc, int frame) {
    const int agents = static_cast<int>(16 + 48 * load(frame, 12));
    constexpr int side = PathScratch::side;
    constexpr std::uint16_t unvisited = 0xFFFF;

    // Results outlive the scopes, so reserve them before: growing inside a scope would put the buffer
    // in memory the scope releases.
    std::pmr::vector<std::uint16_t> path_lengths = alloc.frame_vector<std::uint16_t>();
    path_lengths.reserve(static_cast<std::size_t>(agents));

    for (int agent = 0; agent < agents; ++agent) {
        auto scope = alloc.frame_scope();
        PathScratch* s = alloc.frame_alloc<PathScratch>();
        s->came_from.fill(unvisited);
        const int start = agent % side;                           // top row
        const int goal = (side - 1) * side + (agent * 7) % side;  // bottom row
        std::size_t head = 0, tail = 0;
        s->queue[tail++] = static_cast<std::uint16_t>(start);
        s->came_from[static_cast<std::size_t>(start)] = static_cast<std::uint16_t>(start);
        while (head < tail && s->came_from[static_cast<std::size_t>(goal)] == unvisited) {
            const int cell = s->queue[head++];
            const int x = cell % side, y = cell / side;
            const std::array<int, 4> next = {x > 0 ? cell - 1 : -1, x + 1 < side ? cell + 1 : -1,
                                             y > 0 ? cell - side : -1, y + 1 < side ? cell + side : -1};
            for (int n : next) {
                const bool wall = n >= 0 && (n / side) % 4 == 2 && (n % side) != (agent + n / side) % side;
                if (n < 0 || wall || s->came_from[static_cast<std::size_t>(n)] != unvisited) continue;
                s->came_from[static_cast<std::size_t>(n)] = static_cast<std::uint16_t>(cell);
                s->queue[tail++] = static_cast<std::uint16_t>(n);
            }
        }
        std::uint16_t length = 0;
        for (int c = goal; c != start && s->came_from[static_cast<std::size_t>(c)] != unvisited; ++length)
            c = s->came_from[static_cast<std::size_t>(c)];
        path_lengths.push_back(length);
    }  // each scope ends here: the 4 KiB of scratch go back to this thread's arena at once

    std::size_t total = 0;
    for (std::uint16_t l : path_lengths) total += l;
    char text[96];
    std::snprintf(text, sizeof text, "ai: %d agents, mean path %zu cells", agents, total / path_lengths.size());
    return make_report(alloc, text);
}

using System = Report (*)(framealloc::smart_alloc&, int);
constexpr std::array<System, kWorkers> kSystems = {simulate_physics, simulate_particles, simulate_ai};

double kib(std::size_t bytes) { return static_cast<double>(bytes) / 1024.0; }

}  // namespace

int main(int argc, char** argv) {
    int frames = 60;
    if (argc > 1) {
        const std::string_view arg = argv[1];
        const auto [end, error] = std::from_chars(arg.data(), arg.data() + arg.size(), frames);
        if (error != std::errc{} || end != arg.data() + arg.size() || frames < 1 || frames > 100000) {
            std::fprintf(stderr, "usage: %s [frames]   (1..100000, default 60)\n", argv[0]);
            return 2;
        }
    }

    // The defaults, per thread: a 256 KiB first chunk, each next one twice as large (up to 16 MiB), and
    // up to 64 MiB of chunks kept across frames for reuse.
    framealloc::smart_alloc alloc{framealloc::alloc_config{}};
    std::array<Report, kWorkers> reports{};

    // Two phases per frame: "frame open, go" and "work done". The barrier's arrive/wait pairs are the
    // happens-before edges that make begin_frame() visible to the workers and their work to end_frame().
    // A last phase keeps the workers alive until the last end_frame(): a thread that exits hands its
    // arena back (its memory stays valid until the next end_frame()), which would blur the figures.
    framealloc::frame_barrier sync(kWorkers + 1);
    std::vector<std::thread> workers;
    for (int w = 0; w < kWorkers; ++w)
        workers.emplace_back([&, w] {
            for (int frame = 1; frame <= frames; ++frame) {
                sync.arrive_and_wait();  // begin_frame() has run
                if (frame == 1) {
                    // A budget belongs to the calling thread; like allocation, it is set inside a frame.
                    framealloc::budget_limits budget;
                    budget.soft_limit = 2u << 20;  // a frame over 2 MiB on one worker deserves a warning
                    budget.hard_limit = 8u << 20;  // over 8 MiB is a bug: budget_exceeded
                    alloc.set_thread_frame_budget(budget);
                }
                reports[static_cast<std::size_t>(w)] = kSystems[static_cast<std::size_t>(w)](alloc, frame);
                sync.arrive_and_wait();  // end_frame() may run
            }
            sync.arrive_and_wait();  // the last frame has ended
        });

    std::printf("frame  threads   used KiB  reserved KiB  chunks  busiest thread KiB  upstream allocs\n");
    std::uint64_t upstream_before = 0;
    int last_growth_frame = 0;
    std::size_t peak_used = 0;
    std::string last_overlay;  // ordinary memory: it must outlive its frame
    framealloc::frame_resource_stats last{};

    for (int frame = 1; frame <= frames; ++frame) {
        alloc.begin_frame();
        sync.arrive_and_wait();  // workers run their systems
        sync.arrive_and_wait();  // ... and are done

        {   // The main thread allocates too: it assembles the debug overlay from the workers' lines.
            std::pmr::string overlay = alloc.frame_string();
            for (Report r : reports) (overlay += overlay.empty() ? "" : " | ") += *r;
            if (frame == frames) last_overlay.assign(overlay.data(), overlay.size());  // copy out of frame memory
        }  // frame containers die before end_frame(): nothing may refer to frame memory after it

        // Per-thread figures must be read before end_frame() resets the arenas.
        std::size_t busiest = 0;
        for (const framealloc::frame_arena_stats& t : alloc.frame_resource().thread_stats())
            busiest = std::max(busiest, t.bytes_used);

        const framealloc::frame_resource_stats s = alloc.end_frame();  // every thread's memory is released
        const std::uint64_t grown = s.upstream_allocations - upstream_before;
        if (grown != 0) last_growth_frame = frame;
        upstream_before = s.upstream_allocations;
        peak_used = std::max(peak_used, s.bytes_used);
        last = s;
        std::printf("%5d  %7zu  %9.1f  %12.1f  %6zu  %18.1f  %15llu", frame, s.threads,
                    kib(s.bytes_used), kib(s.bytes_reserved), s.chunk_count, kib(busiest),
                    static_cast<unsigned long long>(s.upstream_allocations));
        if (grown != 0) std::printf("  (+%llu)", static_cast<unsigned long long>(grown));
        std::printf("\n");
    }
    sync.arrive_and_wait();
    for (std::thread& t : workers) t.join();

    std::printf("\ndebug overlay of frame %d:\n  %s\n", frames, last_overlay.c_str());
    std::printf("\nsummary: %d frames, %zu threads with frame memory, peak %.1f KiB used in one frame\n", frames,
                last.threads, kib(peak_used));
    std::printf("  upstream allocations: %llu in all, deallocations: %llu, %.1f KiB kept for reuse\n",
                static_cast<unsigned long long>(last.upstream_allocations),
                static_cast<unsigned long long>(last.upstream_deallocations), kib(last.bytes_reserved));
    std::printf("  warm-up: the arenas grew until frame %d; frames %d..%d made no upstream allocation\n",
                last_growth_frame, last_growth_frame + 1, frames);
    if (frames < 2 * kPeriod)
        std::printf("  (the workload repeats every %d frames: run at least %d to see the steady state)\n", kPeriod,
                    2 * kPeriod);
    return 0;
}
