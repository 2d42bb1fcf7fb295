// budget_scenario: a short frame loop that the viewer's browser test reads back. It has what the demo
// leaves out on purpose: a tag budget crossed in known frames (soft limit in every fourth frame, the
// hard limit in frame 8) and the behaviour filter on, so the snapshots carry budget counters and
// diagnostics the library itself produced. One snapshot per frame.
//
//   budget_scenario DIR [FRAMES]     (default 12 frames)
#include <array>
#include <charconv>
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

}  // namespace

int main(int argc, char** argv) {
    int frames = 12;
    if (argc < 2 || argc > 3 ||
        (argc == 3 && std::from_chars(argv[2], argv[2] + std::strlen(argv[2]), frames).ec != std::errc{})) {
        std::fprintf(stderr, "usage: budget_scenario DIR [FRAMES]\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::remove_all(dir);
    framealloc::snapshot_emitter emitter{
        framealloc::snapshot_config{}.with_directory(dir).with_max_snapshots(1000).with_min_interval({})};
    framealloc::smart_alloc alloc{framealloc::alloc_config{}};

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

    std::vector<framealloc::pool_ptr<std::array<char, 48>>> entities;
    for (int frame = 1; frame <= frames; ++frame) {
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
        }
        {
            const framealloc::scoped_tag tag("render::textures");
            for (int i = 0; i < 3; ++i) (void)alloc.heap_alloc<std::array<char, 4096>>();
        }
        auto orders = alloc.frame_box_for_transfer(std::string("orders"));
        std::thread receiver([&] { (void)orders.receive(); });
        receiver.join();
        alloc.end_frame();
        (void)emitter.emit(framealloc::build_snapshot(alloc));
    }
    std::printf("budget_scenario: %d snapshots in %s\n", frames, dir.string().c_str());
    return 0;
}
