// Writes snapshots for the tests that read them from outside the library (the JSON Schema check in
// Python, the crash test):
//   snapshot_writer write DIR   a real smart_alloc run (frame, pool, heap, transfers, threads) emitting
//                               through maybe_emit (request file, interval) and emit, plus hand-filled
//                               snapshots with every optional member set, every one null, hostile strings
//                               and non-finite numbers; prints the number of snapshots written (each of
//                               a different frame, so as many files)
//   snapshot_writer crash DIR   emits multi-megabyte snapshots in a loop until it is killed
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

import framealloc;

namespace {

framealloc::snapshot full_snapshot(std::uint64_t frame, std::size_t tags) {
    framealloc::snapshot s;
    s.timestamp = std::chrono::system_clock::now();
    s.frame = frame;
    s.duration_us = 16667;
    s.summary = {1024, 65536, 4096, 1024 + 65536 + 4096, 1 << 20};
    framealloc::thread_snapshot t;
    t.id = "main";
    t.name = "main \"render\" thread\n\t\x01";
    t.frame_bytes = 1024;
    t.budget = framealloc::thread_budget_usage{2048, 1024, framealloc::budget_percent(1024, 2048)};
    s.threads.push_back(t);
    t.id = "worker-1";
    t.name = "";
    t.budget.reset();
    s.threads.push_back(t);
    for (std::size_t i = 0; i < tags; ++i) {
        framealloc::tag_snapshot tag;
        tag.path = "physics::broadphase::" + std::to_string(i) + " \xC3\xA9\xE6\xBC\xA2\xF0\x9F\x98\x80 bad:\xC0\xAF\xED\xA0\x80\xFF";
        tag.thread = i % 2 ? "main" : "";
        tag.alloc_kind = i % 3 == 0 ? "frame" : (i % 3 == 1 ? "pool" : "heap");
        tag.alloc_count = i;
        tag.bytes = i * 64;
        if (i % 2) tag.avg_lifetime_frames = 0.5 + static_cast<double>(i);
        if (i % 4 == 1) tag.promotion_rate = std::numeric_limits<double>::quiet_NaN();  // written as null
        if (i % 4 == 3) tag.promotion_rate = 0.25;
        if (i % 5 == 0) tag.diagnostics = {"FA501", "FA510"};
        s.tags.push_back(std::move(tag));
    }
    s.promotions = {1, 2, 3, 4, 5};
    s.transfers = {1, 2, 10, 8, 1, 4096};
    s.diagnostics.push_back({"FA501", std::string("render"), "frame data retained \\ too long", "warning", 3});
    s.diagnostics.push_back({"FA530", std::nullopt, "heap allocations in the hot path", "info", 1});
    s.budgets.push_back({"global", "", "all", 100, std::nullopt, 4096, 0, 0});
    s.budgets.push_back({"tag", "physics", "frame", 5000, 4096, 8192, 2, 0});
    s.budgets.push_back({"thread", "main", "frame", 0, std::nullopt, std::nullopt, 0, 0});
    return s;
}

int write_mode(const std::filesystem::path& dir) {
    using namespace std::chrono_literals;
    std::filesystem::remove_all(dir);
    framealloc::snapshot_emitter emitter{framealloc::snapshot_config{}.with_directory(dir).with_max_snapshots(100).with_min_interval(0ms)};
    framealloc::smart_alloc alloc{framealloc::alloc_config{}};
    // Tags, a tag budget and the behaviour filter, so the tags, threads, budgets and diagnostics
    // arrays of the real snapshots are filled (heap allocations every frame trip FA530).
    framealloc::budget_limits physics_budget;
    physics_budget.soft_limit = 4096;
    physics_budget.soft_policy = framealloc::budget_policy::allow;
    framealloc::set_tag_budget("physics", physics_budget);
    framealloc::behavior_thresholds thresholds;
    thresholds.frames = 2;
    thresholds.heap_allocations_per_frame = 1;
    framealloc::enable_behavior_filter(thresholds);
    std::vector<framealloc::pool_ptr<std::array<char, 48>>> kept;
    for (int frame = 0; frame < 6; ++frame) {
        alloc.begin_frame();
        std::thread worker([&] {
            framealloc::set_thread_name("physics worker");
            framealloc::scoped_tag tag("physics");
            for (int i = 0; i < 100; ++i) (void)alloc.frame_alloc_bytes(64, 16);
        });
        worker.join();
        for (int i = 0; i < 10; ++i) kept.push_back(alloc.pool_alloc<std::array<char, 48>>());
        auto big = alloc.heap_alloc<std::array<char, 20000>>();
        auto handle = alloc.frame_box_for_transfer(std::string("payload"));
        std::thread receiver([&] { (void)handle.receive(); });
        receiver.join();
        if (frame == 2) emitter.maybe_emit(framealloc::build_snapshot(alloc));  // mid-frame, no request: nothing
        if (frame == 3) {
            std::filesystem::create_directories(dir);
            std::ofstream(emitter.request_path()) << "";
        }
        if (frame == 4) (void)emitter.emit(framealloc::build_snapshot(alloc));  // mid-frame (frame_open)
        alloc.end_frame();
        emitter.maybe_emit([&] { return framealloc::build_snapshot(alloc); });  // after frame 3: the request
    }
    (void)emitter.emit(framealloc::build_snapshot(alloc));
    (void)emitter.emit(full_snapshot(1000, 40));
    framealloc::snapshot empty;  // every array empty, every optional null
    empty.frame = 0;
    (void)emitter.emit(empty);
    framealloc::snapshot extreme = full_snapshot(std::numeric_limits<std::uint64_t>::max(), 3);
    extreme.summary.peak_bytes = std::numeric_limits<std::uint64_t>::max();
    extreme.tags[0].avg_lifetime_frames = std::numeric_limits<double>::infinity();
    extreme.tags[1].avg_lifetime_frames = 1e300;
    extreme.tags[2].avg_lifetime_frames = -0.0;
    extreme.timestamp = std::chrono::system_clock::time_point{};  // 1970-01-01T00:00:00.000Z
    (void)emitter.emit(extreme);
    std::printf("%llu\n", static_cast<unsigned long long>(emitter.emit_count()));
    return 0;
}

int crash_mode(const std::filesystem::path& dir) {
    using namespace std::chrono_literals;
    framealloc::snapshot_emitter emitter{framealloc::snapshot_config{}.with_directory(dir).with_max_snapshots(4)};
    const framealloc::snapshot big = full_snapshot(0, 5000);  // about 1.5 MiB of JSON: two write() calls at least
    for (std::uint64_t frame = 1;; ++frame) {
        framealloc::snapshot s = big;
        s.frame = frame;
        (void)emitter.emit(s);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "write") == 0) return write_mode(argv[2]);
    if (argc == 3 && std::strcmp(argv[1], "crash") == 0) return crash_mode(argv[2]);
    std::fprintf(stderr, "usage: snapshot_writer write|crash DIR\n");
    return 2;
}
