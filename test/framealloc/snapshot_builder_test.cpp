// build_snapshot(alloc, frame): a scripted run with known frame, pool, heap and transfer traffic on two
// threads; the snapshot must show exactly what the resources and end_frame() report, and its JSON must
// carry the same numbers.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "json_parse.hpp"

import framealloc;

namespace json = framealloc_test::json;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(snapshot_builder)

BOOST_AUTO_TEST_CASE(before_any_frame_everything_is_zero_and_valid) {
    framealloc::smart_alloc alloc;
    const framealloc::snapshot s = framealloc::build_snapshot(alloc);
    BOOST_TEST(s.version == 2u);
    BOOST_TEST(s.frame == 0u);
    BOOST_TEST(!s.frame_open);
    BOOST_TEST(s.summary.frame_bytes == 0u);
    BOOST_TEST(s.transfers.pending == 0u);
    BOOST_CHECK_NO_THROW(json::parse(framealloc::to_json(s)));
}

BOOST_AUTO_TEST_CASE(snapshot_after_end_frame_describes_the_frame_that_ended) {
    framealloc::smart_alloc alloc;
    std::vector<framealloc::pool_ptr<std::array<char, 48>>> kept;
    constexpr int frame_blocks = 200;  // per thread, 64 bytes at alignment 16: no padding

    alloc.begin_frame();
    const auto wall_start = std::chrono::steady_clock::now();
    std::thread worker([&] {
        for (int i = 0; i < frame_blocks; ++i) (void)alloc.frame_alloc_bytes(64, 16);
    });
    for (int i = 0; i < frame_blocks; ++i) (void)alloc.frame_alloc_bytes(64, 16);
    worker.join();
    for (int i = 0; i < 10; ++i) kept.push_back(alloc.pool_alloc<std::array<char, 48>>());
    auto big = alloc.heap_alloc<std::array<char, 20000>>();
    auto received = alloc.frame_box_for_transfer(std::string("received"));
    auto pending = alloc.frame_box_for_transfer(std::string("pending"));
    std::thread receiver([&] { BOOST_TEST(received.receive() == "received"); });
    receiver.join();

    // Mid-frame: the open frame so far.
    const framealloc::snapshot mid = framealloc::build_snapshot(alloc);
    BOOST_TEST(mid.frame_open);
    BOOST_TEST(mid.frame == 1u);
    BOOST_TEST(mid.summary.frame_bytes == alloc.frame_resource().stats().bytes_used);
    BOOST_TEST(mid.summary.frame_bytes >= 2u * frame_blocks * 64u);
    BOOST_TEST(mid.transfers.completed_this_frame == 1u);

    std::this_thread::sleep_for(5ms);
    const framealloc::frame_resource_stats ended = alloc.end_frame();
    const auto wall = std::chrono::steady_clock::now() - wall_start;

    const framealloc::snapshot s = framealloc::build_snapshot(alloc, 77);
    BOOST_TEST(s.frame == 77u);
    BOOST_TEST(!s.frame_open);
    BOOST_TEST(s.duration_us >= 5000u);
    BOOST_TEST(s.duration_us <= static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(wall).count()));
    const auto age = std::chrono::system_clock::now() - s.timestamp;
    BOOST_TEST((age >= 0s && age < 60s));

    // Frame memory: as end_frame() returned it (the arenas are rewound by now).
    BOOST_TEST(alloc.frame_resource().stats().bytes_used == 0u);
    BOOST_TEST(s.summary.frame_bytes == ended.bytes_used);
    BOOST_TEST(s.summary.frame_bytes == 2u * frame_blocks * 64u);
    BOOST_TEST(s.resources.frame.threads == ended.threads);  // the worker has exited: 1
    BOOST_TEST(s.resources.frame.bytes_reserved == ended.bytes_reserved);
    BOOST_TEST(s.resources.frame.chunk_count == ended.chunk_count);
    BOOST_TEST(s.resources.frame.upstream_allocations == ended.upstream_allocations);
    BOOST_TEST(s.resources.frame.peak_bytes_used >= s.summary.frame_bytes);

    // Pool and heap: the resources' figures now.
    const framealloc::pool_stats ps = alloc.pool_resource().stats();
    const framealloc::heap_stats hs = alloc.heap_resource().stats();
    BOOST_TEST(s.summary.pool_bytes == ps.slab_bytes);
    BOOST_TEST(s.summary.pool_bytes > 0u);
    BOOST_TEST(s.resources.pool.slab_count == ps.slab_count);
    BOOST_TEST(s.summary.heap_bytes == hs.live_bytes);
    BOOST_TEST(s.summary.heap_bytes >= 20000u);
    BOOST_TEST(s.resources.heap.allocations == hs.allocations);
    BOOST_TEST(s.summary.total_bytes == s.summary.frame_bytes + s.summary.pool_bytes + s.summary.heap_bytes);
    BOOST_TEST(s.summary.peak_bytes == s.resources.frame.peak_bytes_used + ps.peak_slab_bytes + hs.peak_bytes);

    // Transfers: two created, one received during the frame, one still pending.
    BOOST_TEST(s.transfers.created == 2u);
    BOOST_TEST(s.transfers.received == 1u);
    BOOST_TEST(s.transfers.pending == 1u);
    BOOST_TEST(s.transfers.completed_this_frame == 1u);
    BOOST_TEST(s.depot.blocks_returned == ps.blocks_to_depot);
    BOOST_TEST(s.depot.blocks_reused == ps.blocks_from_depot);

    // Nothing was tagged: every tag row is "untagged"; the behaviour filter is off: no diagnostics.
    BOOST_TEST(!s.tags.empty());
    for (const auto& t : s.tags) BOOST_TEST(t.path == "untagged");
    BOOST_TEST(s.diagnostics.empty());
    BOOST_TEST(s.promotions.to_pool == 0u);

    const json::value v = json::parse(framealloc::to_json(s));
    BOOST_TEST(v["frame"].u64() == 77u);
    BOOST_TEST(v["summary"]["frame_bytes"].u64() == s.summary.frame_bytes);
    BOOST_TEST(v["resources"]["pool"]["slab_bytes"].u64() == ps.slab_bytes);
    BOOST_TEST(v["transfers"]["pending"].u64() == 1u);

    // The next frame: completed_this_frame counts that frame only.
    alloc.begin_frame();
    std::thread late([&] { BOOST_TEST(pending.receive() == "pending"); });
    late.join();
    alloc.end_frame();
    const framealloc::snapshot next = framealloc::build_snapshot(alloc);
    BOOST_TEST(next.frame == 2u);
    BOOST_TEST(next.transfers.completed_this_frame == 1u);
    BOOST_TEST(next.transfers.pending == 0u);
    BOOST_TEST(next.summary.frame_bytes == 0u);
}

BOOST_AUTO_TEST_CASE(tags_threads_budgets_promotions_and_diagnostics_come_from_real_state) {
    framealloc::smart_alloc alloc;
    framealloc::budget_limits limits;
    limits.hard_limit = 1u << 20;
    framealloc::set_tag_budget("snap_tag", limits);
    framealloc::behavior_thresholds t;
    t.frames = 1;
    t.heap_allocations_per_frame = 2;
    framealloc::enable_behavior_filter(t);
    framealloc::clear_behavior_report();
    alloc.begin_frame();
    std::thread([&] {
        framealloc::set_thread_name("snap worker");
        alloc.with_tag("snap_tag", [&] {
            for (int i = 0; i < 7; ++i) (void)alloc.frame_alloc_bytes(32, 8);
            for (int i = 0; i < 3; ++i) {
                void* p = alloc.heap_resource().allocate(100, 8);
                alloc.heap_resource().deallocate(p, 100, 8);
            }
        });
    }).join();
    auto ticket = alloc.frame_retained<int>(framealloc::retention::promote_to_heap, 5);
    framealloc::promotion_result r = alloc.end_frame_with_promotions();
    const framealloc::snapshot s = framealloc::build_snapshot(alloc);
    framealloc::disable_behavior_filter();
    framealloc::clear_tag_budget(framealloc::intern_tag("snap_tag"));

    auto row = [&](const char* kind) -> const framealloc::tag_snapshot* {
        for (const auto& t : s.tags)
            if (t.path == "snap_tag" && t.alloc_kind == kind) return &t;
        return nullptr;
    };
    BOOST_REQUIRE(row("frame") != nullptr);
    BOOST_TEST(row("frame")->alloc_count == 7u);
    BOOST_TEST(row("frame")->bytes == 7u * 32u);
    BOOST_REQUIRE(row("heap") != nullptr);
    BOOST_TEST(row("heap")->alloc_count == 3u);
    bool worker = false;
    for (const auto& th : s.threads)
        if (th.name == "snap worker") worker = th.frame_bytes == 7u * 32u;
    BOOST_TEST(worker);
    bool budget = false;
    for (const auto& b : s.budgets)
        if (b.scope == "tag" && b.name == "snap_tag") budget = b.hard_limit == std::optional<std::uint64_t>(1u << 20);
    BOOST_TEST(budget);
    BOOST_TEST(s.promotions.to_heap == 1u);
    bool fa530 = false;
    for (const auto& d : s.diagnostics) fa530 |= d.code == "FA530" && d.tag == std::optional<std::string>("snap_tag");
    BOOST_TEST(fa530);
    BOOST_TEST(*r.claim(ticket) == 5);
    framealloc::clear_behavior_report();
}

BOOST_AUTO_TEST_CASE(build_and_emit_in_a_frame_loop) {
    const auto dir = std::filesystem::temp_directory_path() / ("framealloc-builder-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    framealloc::smart_alloc alloc;
    framealloc::snapshot_emitter emitter{
        framealloc::snapshot_config{}.with_directory(dir).with_max_snapshots(3).with_auto_emit(true).with_min_interval(0ms)};
    for (int f = 0; f < 5; ++f) {
        alloc.begin_frame();
        (void)alloc.frame_alloc_bytes(128 * (f + 1));
        alloc.end_frame();
        BOOST_TEST(emitter.maybe_emit([&] { return framealloc::build_snapshot(alloc); }));
    }
    std::vector<std::uint64_t> frames;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(e.path());
        const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        const json::value v = json::parse(text);
        frames.push_back(v["frame"].u64());
        BOOST_TEST(v["summary"]["frame_bytes"].u64() >= 128u * v["frame"].u64());
    }
    std::sort(frames.begin(), frames.end());
    BOOST_TEST(frames == (std::vector<std::uint64_t>{3, 4, 5}), boost::test_tools::per_element());
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
