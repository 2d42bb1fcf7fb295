// The loop of the whole-frame cases (whole_frame.cpp, whole_frame_containers.cpp): runs a game for a
// number of frames on one backend, times every frame and sets the figures. Include it after every
// other header (it includes frame_backends.hpp, which imports framealloc).
#pragma once

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "../support/isolated_runs.hpp"
#include "frame_backends.hpp"

namespace whole_frame {

// Runs a Game (constructed from (memory_backend&, tbb::flow::graph&), with run_frame(graph&, int frame)
// and checksum()) for max(4, 32 * scale) frames of warm-up then max(16, 640 * scale) timed frames on
// `backend`.
// Figures: every frame's time in µs (samples), their median and 99th percentile, the checksum, and for
// framealloc the memory requests of the last frame.
template <class Game>
void run_frames(framealloc_perf::measurement& m, double scale, const std::string& backend) {
    const int warm_up = std::max(4, static_cast<int>(32 * scale));  // the smoke run (scale 0.02) stays short
    const int frames = static_cast<int>(std::max(16.0, 640 * scale));
    tbb::task_arena arena;  // as many threads as the machine has
    const std::unique_ptr<memory_backend> memory = make_backend(backend, arena.max_concurrency());
    std::size_t checksum = 0;
    arena.execute([&] {
        tbb::flow::graph g;
        Game world(*memory, g);
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

// Registers `group`/<backend> for every backend, each running a Game with run_frames().
template <class Game>
void register_frame_cases(const char* group) {
    for (const char* backend : backend_names)
        framealloc_perf::register_case({group, backend, {}, "", [b = std::string(backend)](framealloc_perf::measurement& m, double scale) {
                                            run_frames<Game>(m, scale, b);
                                        }});
}

}  // namespace whole_frame
