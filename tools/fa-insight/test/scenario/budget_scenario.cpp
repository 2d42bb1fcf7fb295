// budget_scenario: a short frame loop that the viewer's browser test reads back. It has what the demo
// leaves out on purpose: a tag budget crossed in known frames (soft limit in every fourth frame, the
// hard limit in frame 8) and the behaviour filter on, so the snapshots carry budget counters and
// diagnostics the library itself produced.
//
//   budget_scenario DIR [FRAMES]           FRAMES frames (default 12), one snapshot per frame
//   budget_scenario --live DIR SECONDS     about 100 frames a second for SECONDS; one snapshot at the
//                                          first frame, then one per request file (what the viewer's
//                                          "Request snapshot" button writes)
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

import framealloc;

namespace {

constexpr std::size_t kSoft = 16 << 10;
constexpr std::size_t kHard = 64 << 10;

// Physics frame bytes in `frame`: under the soft limit, over it every fourth frame, over the hard
// limit in frame 8.
std::size_t physics_bytes(int frame) {
    if (frame == 8) return 80 << 10;
    return frame % 4 == 0 ? 24 << 10 : 8 << 10;
}

// One frame of the loop: physics on a worker thread under its budget, pool and heap work on this one,
// a transfer between threads.
void run_frame(framealloc::smart_alloc& alloc, int frame, std::vector<framealloc::pool_ptr<std::array<char, 48>>>& entities) {
    alloc.begin_frame();
    std::thread worker([&] {
        framealloc::set_thread_name("physics worker");
        const framealloc::scoped_tag tag("physics");
        for (std::size_t done = 0; done < physics_bytes(frame); done += 1024) (void)alloc.frame_alloc_bytes(1024, 16);
    });
    worker.join();
    {
        const framealloc::scoped_tag tag("ai::spawn");
        for (int i = 0; i < 4; ++i) entities.push_back(alloc.pool_alloc<std::array<char, 48>>());
        if (entities.size() > 400) entities.erase(entities.begin(), entities.begin() + 200);
    }
    {
        const framealloc::scoped_tag tag("render::textures");
        for (int i = 0; i < 3; ++i) (void)alloc.heap_alloc<std::array<char, 4096>>();
    }
    auto orders = alloc.frame_box_for_transfer(std::string("orders"));
    std::thread receiver([&] { (void)orders.receive(); });
    receiver.join();
    alloc.end_frame();
}

void set_up_diagnostics() {
    framealloc::budget_limits physics;
    physics.soft_limit = kSoft;
    physics.hard_limit = kHard;
    physics.soft_policy = framealloc::budget_policy::allow;  // counted, not printed: the viewer shows them
    physics.hard_policy = framealloc::budget_policy::allow;
    framealloc::set_tag_budget("physics", physics);

    framealloc::behavior_thresholds thresholds;
    thresholds.frames = 2;
    thresholds.heap_allocations_per_frame = 2;  // render::textures makes 3 a frame: FA530
    framealloc::enable_behavior_filter(thresholds);
}

int number(const char* text, int& out) {
    const char* end = text + std::strlen(text);
    const auto [p, ec] = std::from_chars(text, end, out);
    return ec == std::errc{} && p == end && out > 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bool live = argc == 4 && std::strcmp(argv[1], "--live") == 0;
    int count = live ? 0 : 12;  // frames, or seconds when live
    const bool ok = live ? number(argv[3], count) : (argc == 2 || (argc == 3 && number(argv[2], count)));
    if (!ok) {
        std::fprintf(stderr, "usage: budget_scenario DIR [FRAMES] | budget_scenario --live DIR SECONDS\n");
        return 2;
    }
    const std::filesystem::path dir = argv[live ? 2 : 1];
    std::filesystem::remove_all(dir);
    framealloc::snapshot_emitter emitter{
        framealloc::snapshot_config{}.with_directory(dir).with_max_snapshots(1000).with_min_interval({})};
    framealloc::smart_alloc alloc{framealloc::alloc_config{}};
    set_up_diagnostics();
    std::vector<framealloc::pool_ptr<std::array<char, 48>>> entities;

    if (!live) {
        for (int frame = 1; frame <= count; ++frame) {
            run_frame(alloc, frame, entities);
            (void)emitter.emit(framealloc::build_snapshot(alloc));
        }
        std::printf("budget_scenario: %d snapshots in %s\n", count, dir.string().c_str());
        return 0;
    }
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(count);
    for (int frame = 1; std::chrono::steady_clock::now() < end; ++frame) {
        run_frame(alloc, frame, entities);
        if (frame == 1) {
            (void)emitter.emit(framealloc::build_snapshot(alloc));
            std::printf("budget_scenario: live in %s\n", dir.string().c_str());
            std::fflush(stdout);
        } else if (emitter.maybe_emit([&] { return framealloc::build_snapshot(alloc); })) {
            std::printf("budget_scenario: requested snapshot of frame %d\n", frame);
            std::fflush(stdout);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
}
