// The figures a snapshot derives rather than copies: per-thread frame and pool budgets (threads[].budget,
// pool_budget and the "thread" rows of budgets), a tag's average lifetime and promotion rate, the codes
// raised against a tag, and the pool's depot traffic. Each from a scripted run whose answer is worked out by hand below.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

import framealloc;

namespace {

const framealloc::tag_snapshot* row(const framealloc::snapshot& s, const std::string& path, const std::string& kind) {
    for (const auto& t : s.tags)
        if (t.path == path && t.alloc_kind == kind) return &t;
    return nullptr;
}

const framealloc::budget_snapshot* thread_budget(const framealloc::snapshot& s, const std::string& thread,
                                                 const std::string& kind) {
    for (const auto& b : s.budgets)
        if (b.scope == "thread" && b.name == thread && b.kind == kind) return &b;
    return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot_data)

BOOST_AUTO_TEST_CASE(a_threads_frame_and_pool_budgets_show_on_its_row_and_in_budgets) {
    framealloc::smart_alloc alloc;
    std::latch allocated(1), snapshot_taken(1);
    alloc.begin_frame();
    std::thread worker([&] {
        framealloc::set_thread_name("budgeted worker");
        framealloc::budget_limits frame_limits;
        frame_limits.soft_limit = 100;
        frame_limits.hard_limit = 1000;
        frame_limits.soft_policy = framealloc::budget_policy::allow;
        alloc.set_thread_frame_budget(frame_limits);
        framealloc::budget_limits pool_limits;
        pool_limits.soft_limit = 64;
        pool_limits.hard_limit = 4096;
        pool_limits.soft_policy = framealloc::budget_policy::allow;
        alloc.set_thread_pool_budget(pool_limits);
        for (int i = 0; i < 3; ++i) (void)alloc.frame_alloc_bytes(96, 8);  // 288 bytes, no padding
        void* a = alloc.pool_resource().allocate(64, 8);
        void* b = alloc.pool_resource().allocate(64, 8);
        alloc.pool_resource().deallocate(a, 64, 8);
        alloc.pool_resource().deallocate(b, 64, 8);
        allocated.count_down();
        snapshot_taken.wait();  // alive while the snapshot is built: an exited thread's arena is gone
    });
    allocated.wait();
    alloc.end_frame();
    const framealloc::snapshot s = framealloc::build_snapshot(alloc);
    snapshot_taken.count_down();
    worker.join();

    const framealloc::thread_snapshot* t = nullptr;
    for (const auto& th : s.threads)
        if (th.name == "budgeted worker") t = &th;
    BOOST_REQUIRE(t != nullptr);
    BOOST_REQUIRE(t->budget.has_value());
    BOOST_TEST(t->budget->limit == 1000u);  // the hard limit
    BOOST_TEST(t->budget->used == 288u);
    BOOST_TEST(t->budget->percent == 28u);
    BOOST_REQUIRE(t->pool_budget.has_value());
    BOOST_TEST(t->pool_budget->limit == 4096u);
    BOOST_TEST(t->pool_budget->used == 128u);

    const framealloc::budget_snapshot* fb = thread_budget(s, t->id, "frame");
    BOOST_REQUIRE(fb != nullptr);
    BOOST_TEST(fb->used == 288u);
    BOOST_TEST((fb->soft_limit == std::optional<std::uint64_t>(100)));
    BOOST_TEST((fb->hard_limit == std::optional<std::uint64_t>(1000)));
    BOOST_TEST(fb->soft_exceeded == 1u);  // crossed once, in one frame, though three requests were past it
    BOOST_TEST(fb->hard_exceeded == 0u);
    const framealloc::budget_snapshot* pb = thread_budget(s, t->id, "pool");
    BOOST_REQUIRE(pb != nullptr);
    BOOST_TEST(pb->used == 128u);
    BOOST_TEST((pb->soft_limit == std::optional<std::uint64_t>(64)));
    BOOST_TEST(pb->soft_exceeded == 1u);
    BOOST_TEST(pb->hard_exceeded == 0u);

    // The main thread has neither budget.
    for (const auto& th : s.threads) {
        if (&th == t) continue;
        BOOST_TEST(!th.budget.has_value());
        BOOST_TEST(!th.pool_budget.has_value());
    }
}

BOOST_AUTO_TEST_CASE(a_tags_average_lifetime_counts_frames_from_allocation_to_free) {
    framealloc::smart_alloc alloc;
    framealloc::pool_resource& pool = alloc.pool_resource();
    std::vector<void*> blocks;
    auto in_tag = [&](auto&& f) { alloc.with_tag("lifetime_tag", f); };
    // Frame 1: four blocks; two die in it (1 frame each).
    alloc.begin_frame();
    in_tag([&] {
        for (int i = 0; i < 4; ++i) blocks.push_back(pool.allocate(48, 8));
        pool.deallocate(blocks[0], 48, 8);
        pool.deallocate(blocks[1], 48, 8);
    });
    alloc.end_frame();
    alloc.begin_frame();  // frame 2: nothing
    alloc.end_frame();
    alloc.begin_frame();  // frame 3: the third dies (3 frames)
    in_tag([&] { pool.deallocate(blocks[2], 48, 8); });
    alloc.end_frame();
    // Frame 4: one block born and freed in it (1 frame); the fourth of frame 1 is alive, 4 frames old.
    alloc.begin_frame();
    in_tag([&] {
        void* p = pool.allocate(48, 8);
        pool.deallocate(p, 48, 8);
        (void)alloc.frame_alloc_bytes(16, 8);
    });
    alloc.end_frame();
    const framealloc::snapshot s = framealloc::build_snapshot(alloc);
    in_tag([&] { pool.deallocate(blocks[3], 48, 8); });

    const framealloc::tag_snapshot* p = row(s, "lifetime_tag", "pool");
    BOOST_REQUIRE(p != nullptr);
    BOOST_REQUIRE(p->avg_lifetime_frames.has_value());
    BOOST_TEST(*p->avg_lifetime_frames == (1.0 + 1.0 + 3.0 + 4.0 + 1.0) / 5.0);
    BOOST_TEST((p->promotion_rate == std::optional<double>(0.0)));  // pool memory is never promoted
    const framealloc::tag_snapshot* f = row(s, "lifetime_tag", "frame");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST((f->avg_lifetime_frames == std::optional<double>(1.0)));
}

BOOST_AUTO_TEST_CASE(a_tags_promotion_rate_is_its_promoted_share_of_frame_allocations) {
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    std::optional<framealloc::retained<int>> kept, dropped;
    alloc.with_tag("promo_tag", [&] {
        kept.emplace(alloc.frame_retained<int>(framealloc::retention::promote_to_pool, 7));
        dropped.emplace(alloc.frame_retained<int>(framealloc::retention::discard, 8));
        for (int i = 0; i < 6; ++i) (void)alloc.frame_alloc_bytes(32, 8);
    });
    framealloc::promotion_result r = alloc.end_frame_with_promotions();
    const framealloc::snapshot s = framealloc::build_snapshot(alloc);
    BOOST_TEST(*r.claim(*kept) == 7);

    const framealloc::tag_snapshot* f = row(s, "promo_tag", "frame");
    BOOST_REQUIRE(f != nullptr);
    BOOST_TEST(f->alloc_count >= 8u);  // six plain allocations and the two retained values
    BOOST_REQUIRE(f->promotion_rate.has_value());
    BOOST_TEST(*f->promotion_rate == 1.0 / static_cast<double>(f->alloc_count));  // one promoted

    // A plain end_frame() promotes nothing: the rate of the next frame is 0.
    alloc.begin_frame();
    alloc.with_tag("promo_tag", [&] { (void)alloc.frame_alloc_bytes(32, 8); });
    alloc.end_frame();
    const framealloc::snapshot next = framealloc::build_snapshot(alloc);
    const framealloc::tag_snapshot* g = row(next, "promo_tag", "frame");
    BOOST_REQUIRE(g != nullptr);
    BOOST_TEST((g->promotion_rate == std::optional<double>(0.0)));
}

BOOST_AUTO_TEST_CASE(codes_raised_against_a_tag_are_listed_on_its_rows) {
    framealloc::smart_alloc alloc;
    framealloc::behavior_thresholds t;
    t.frames = 1;
    t.heap_allocations_per_frame = 2;
    framealloc::enable_behavior_filter(t);
    framealloc::clear_behavior_report();
    alloc.begin_frame();
    alloc.with_tag("noisy_tag", [&] {
        for (int i = 0; i < 3; ++i) {
            void* p = alloc.heap_resource().allocate(100, 8);
            alloc.heap_resource().deallocate(p, 100, 8);
        }
    });
    alloc.with_tag("quiet_tag", [&] { (void)alloc.frame_alloc_bytes(16, 8); });
    alloc.end_frame();
    const framealloc::snapshot s = framealloc::build_snapshot(alloc);
    framealloc::disable_behavior_filter();
    framealloc::clear_behavior_report();

    const framealloc::tag_snapshot* noisy = row(s, "noisy_tag", "heap");
    BOOST_REQUIRE(noisy != nullptr);
    BOOST_TEST(noisy->diagnostics == (std::vector<std::string>{"FA530"}), boost::test_tools::per_element());
    const framealloc::tag_snapshot* quiet = row(s, "quiet_tag", "frame");
    BOOST_REQUIRE(quiet != nullptr);
    BOOST_TEST(quiet->diagnostics.empty());
}

BOOST_AUTO_TEST_CASE(the_depot_figures_show_blocks_freed_by_one_thread_and_reused_by_another) {
    framealloc::smart_alloc alloc;
    framealloc::pool_resource& pool = alloc.pool_resource();
    constexpr int n = 2000;  // far more than a thread cache keeps (two batches of a class)
    std::vector<void*> blocks(n);
    // Frame 1: a producer thread allocates, this thread frees everything: its cache overflows into
    // the depot a batch at a time.
    alloc.begin_frame();
    std::thread([&] {
        for (void*& p : blocks) p = pool.allocate(64, 8);
    }).join();
    for (void* p : blocks) pool.deallocate(p, 64, 8);
    alloc.end_frame();
    const framealloc::snapshot first = framealloc::build_snapshot(alloc);
    BOOST_TEST(first.depot.blocks_returned_this_frame >= static_cast<std::uint64_t>(n) / 2);
    BOOST_TEST(first.depot.blocks_returned_this_frame <= static_cast<std::uint64_t>(n));
    BOOST_TEST(first.depot.blocks_returned == first.depot.blocks_returned_this_frame);  // before: nothing

    // Frame 2: another producer allocates as many: its empty cache refills from the depot.
    alloc.begin_frame();
    std::thread([&] {
        for (void*& p : blocks) p = pool.allocate(64, 8);
        for (void* p : blocks) pool.deallocate(p, 64, 8);
    }).join();
    alloc.end_frame();
    const framealloc::snapshot second = framealloc::build_snapshot(alloc);
    BOOST_TEST(second.depot.blocks_reused_this_frame >= first.depot.blocks_returned_this_frame / 2);
    BOOST_TEST(second.depot.blocks_reused ==
               first.depot.blocks_reused + second.depot.blocks_reused_this_frame);
    BOOST_TEST(second.depot.blocks_returned ==
               first.depot.blocks_returned + second.depot.blocks_returned_this_frame);
    const framealloc::pool_stats ps = pool.stats();  // the exited producers' counts are kept
    BOOST_TEST(second.depot.blocks_returned == ps.blocks_to_depot);
    BOOST_TEST(second.depot.blocks_reused == ps.blocks_from_depot);

    // A frame with no pool traffic moves nothing.
    alloc.begin_frame();
    alloc.end_frame();
    const framealloc::snapshot idle = framealloc::build_snapshot(alloc);
    BOOST_TEST(idle.depot.blocks_returned_this_frame == 0u);
    BOOST_TEST(idle.depot.blocks_reused_this_frame == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
