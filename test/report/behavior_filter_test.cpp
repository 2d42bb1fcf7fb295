// The behaviour filter: each code fires on a workload built to trigger it, only after the configured
// number of consecutive frames, and stays silent on a clean workload. The filter and the statistics
// are process-wide, so each case clears the report and uses tags of its own.
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <thread>
#include <vector>

import framealloc;

namespace {
constexpr std::uint32_t streak = 3;

struct filter_on {
    explicit filter_on(framealloc::behavior_thresholds t = {}) {
        t.frames = streak;
        framealloc::enable_behavior_filter(t);
        framealloc::clear_behavior_report();
    }
    ~filter_on() {
        framealloc::disable_behavior_filter();
        framealloc::clear_behavior_report();
    }
};

std::optional<framealloc::behavior_issue> find(std::string_view code, std::string_view subject) {
    for (const auto& i : framealloc::behavior_report())
        if (i.code == code && i.subject == subject) return i;
    return std::nullopt;
}

std::string report_text() {
    std::string out;
    for (const auto& i : framealloc::behavior_report())
        out += std::string(i.code) + " " + i.subject + ": " + i.message + "\n";
    return out;
}

// Runs `frames` frames of `work` and returns after each whether (code, subject) was reported.
template <class F>
std::vector<bool> run(framealloc::smart_alloc& alloc, int frames, std::string_view code, std::string_view subject, F&& work) {
    std::vector<bool> seen;
    for (int f = 0; f < frames; ++f) {
        alloc.begin_frame();
        work();
        alloc.end_frame();
        seen.push_back(find(code, subject).has_value());
    }
    return seen;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(behavior_filter)

BOOST_AUTO_TEST_CASE(fa510_pool_allocations_freed_in_the_same_frame) {
    framealloc::smart_alloc alloc;
    filter_on filter;
    const auto seen = run(alloc, 4, "FA510", "beh_pool_tmp", [&] {
        alloc.with_tag("beh_pool_tmp", [&] {
            std::vector<void*> v;
            for (int i = 0; i < 64; ++i) v.push_back(alloc.pool_resource().allocate(32, 8));
            for (void* p : v) alloc.pool_resource().deallocate(p, 32, 8);
        });
    });
    BOOST_TEST(!seen[0]);
    BOOST_TEST(!seen[1]);
    BOOST_TEST(seen[2]);  // reported at the third consecutive frame
    const auto issue = find("FA510", "beh_pool_tmp");
    BOOST_REQUIRE(issue.has_value());
    BOOST_TEST(issue->frames == 2u);
    BOOST_TEST(issue->message.find("64 of 64") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(fa510_silent_when_pool_objects_outlive_the_frame) {
    framealloc::smart_alloc alloc;
    filter_on filter;
    std::vector<void*> kept;
    (void)run(alloc, 5, "FA510", "beh_pool_kept", [&] {
        alloc.with_tag("beh_pool_kept", [&] {
            for (int i = 0; i < 64; ++i) kept.push_back(alloc.pool_resource().allocate(32, 8));
        });
    });
    BOOST_TEST(report_text() == "");
    for (void* p : kept) alloc.pool_resource().deallocate(p, 32, 8);
}

BOOST_AUTO_TEST_CASE(fa530_heap_allocations_in_the_hot_path) {
    framealloc::smart_alloc alloc;
    filter_on filter;
    const auto seen = run(alloc, 3, "FA530", "beh_heap", [&] {
        alloc.with_tag("beh_heap", [&] {
            for (int i = 0; i < 20; ++i) {
                void* p = alloc.heap_resource().allocate(100, 8);
                alloc.heap_resource().deallocate(p, 100, 8);
            }
        });
    });
    BOOST_TEST(seen.back());
    // A few heap allocations per frame are fine.
    const auto quiet = run(alloc, 5, "FA530", "beh_heap_few", [&] {
        alloc.with_tag("beh_heap_few", [&] {
            void* p = alloc.heap_resource().allocate(100, 8);
            alloc.heap_resource().deallocate(p, 100, 8);
        });
    });
    BOOST_TEST(!quiet.back());
}

BOOST_AUTO_TEST_CASE(fa540_frame_arena_overflows_to_upstream_every_frame) {
    auto small = framealloc::alloc_config::minimal();
    small.frame_chunk_size = 4096;
    small.frame_max_chunk_size = 4096;
    small.frame_retained_bytes = 4096;  // the frame needs three chunks, only one is kept
    framealloc::smart_alloc alloc(small);
    filter_on filter;
    const auto seen = run(alloc, 4, "FA540", "frame arenas", [&] {
        for (int i = 0; i < 3; ++i) (void)alloc.frame_alloc_bytes(3000, 8);
    });
    BOOST_TEST(seen.back());
}

BOOST_AUTO_TEST_CASE(fa540_silent_once_chunks_are_retained) {
    auto roomy = framealloc::alloc_config::minimal();
    roomy.frame_chunk_size = 4096;
    roomy.frame_max_chunk_size = 4096;
    framealloc::smart_alloc alloc(roomy);
    filter_on filter;
    const auto seen = run(alloc, 6, "FA540", "frame arenas", [&] {
        for (int i = 0; i < 3; ++i) (void)alloc.frame_alloc_bytes(3000, 8);
    });
    BOOST_TEST(!seen.back());  // only the first frame took chunks from upstream
    BOOST_TEST(report_text() == "");
}

BOOST_AUTO_TEST_CASE(fa550_cross_thread_frees_dominate_the_pool) {
    framealloc::smart_alloc alloc;
    filter_on filter;
    std::vector<void*> handoff;
    const auto seen = run(alloc, 3, "FA550", "pool", [&] {
        std::thread([&] {
            for (int i = 0; i < 64; ++i) handoff.push_back(alloc.pool_resource().allocate(48, 8));
        }).join();
        std::thread([&] {
            for (void* p : handoff) alloc.pool_resource().deallocate(p, 48, 8);
        }).join();
        handoff.clear();
    });
    BOOST_TEST(seen.back());
    // The same traffic freed by the allocating threads is clean.
    framealloc::clear_behavior_report();
    const auto quiet = run(alloc, 4, "FA550", "pool", [&] {
        std::thread([&] {
            std::vector<void*> mine;
            for (int i = 0; i < 64; ++i) mine.push_back(alloc.pool_resource().allocate(48, 8));
            for (void* p : mine) alloc.pool_resource().deallocate(p, 48, 8);
        }).join();
    });
    BOOST_TEST(!quiet.back());
}

BOOST_AUTO_TEST_CASE(fa560_tag_repeatedly_over_its_soft_budget) {
    framealloc::smart_alloc alloc;
    filter_on filter;
    framealloc::budget_limits l;
    l.soft_limit = 1000;
    l.soft_policy = framealloc::budget_policy::allow;
    const auto over = framealloc::intern_tag("beh_soft");
    framealloc::set_tag_budget(over, l);
    const auto seen = run(alloc, 3, "FA560", "tag beh_soft", [&] {
        alloc.with_tag("beh_soft", [&] { (void)alloc.frame_alloc_bytes(1500, 8); });
    });
    BOOST_TEST(seen.back());
    framealloc::clear_behavior_report();
    const auto under = run(alloc, 4, "FA560", "tag beh_soft", [&] {
        alloc.with_tag("beh_soft", [&] { (void)alloc.frame_alloc_bytes(500, 8); });
    });
    BOOST_TEST(!under.back());
    framealloc::clear_tag_budget(over);
}

BOOST_AUTO_TEST_CASE(fa501_transfers_never_received) {
    framealloc::smart_alloc alloc;
    filter_on filter;
    std::vector<framealloc::transfer_handle<int>> pending;
    const auto seen = run(alloc, 6, "FA501", "transfers", [&] { pending.push_back(alloc.frame_box_for_transfer(7)); });
    BOOST_TEST(!seen[2]);  // made 3 frames ago is not yet "3 or more frames ago" at the third frame
    BOOST_TEST(seen.back());
    pending.clear();
    // Received in the next frame: clean.
    framealloc::clear_behavior_report();
    std::optional<framealloc::transfer_handle<int>> in_flight;
    const auto quiet = run(alloc, 8, "FA501", "transfers", [&] {
        if (in_flight) BOOST_TEST(in_flight->receive() == 7);
        in_flight.emplace(alloc.frame_box_for_transfer(7));
    });
    BOOST_TEST(!quiet.back());
}

BOOST_AUTO_TEST_CASE(fa502_and_fa520_frame_data_that_always_survives) {
    framealloc::smart_alloc alloc;
    framealloc::behavior_thresholds t;
    t.promotions_per_frame = 40;
    filter_on filter(t);
    std::vector<framealloc::pool_ptr<int>> kept;
    for (int f = 0; f < 3; ++f) {
        alloc.begin_frame();
        std::vector<framealloc::retained<int>> tickets;
        for (int i = 0; i < 50; ++i) tickets.push_back(alloc.frame_retained<int>(framealloc::retention::promote_to_pool, i));
        for (int i = 0; i < 50; ++i) (void)alloc.frame_alloc<int>(i);  // 100 frame allocations, 50 retained
        framealloc::promotion_result r = alloc.end_frame_with_promotions();
        for (auto& ticket : tickets) kept.push_back(r.claim(ticket));
    }
    BOOST_TEST(find("FA502", "frame").has_value());
    BOOST_TEST(find("FA520", "promotions").has_value());
    // A few promotions among many frame allocations: neither.
    framealloc::clear_behavior_report();
    for (int f = 0; f < 4; ++f) {
        alloc.begin_frame();
        auto ticket = alloc.frame_retained<int>(framealloc::retention::promote_to_pool, f);
        for (int i = 0; i < 200; ++i) (void)alloc.frame_alloc<int>(i);
        framealloc::promotion_result r = alloc.end_frame_with_promotions();
        kept.push_back(r.claim(ticket));
    }
    BOOST_TEST(report_text() == "");
}

BOOST_AUTO_TEST_CASE(a_clean_frame_loop_reports_nothing) {
    framealloc::smart_alloc alloc;
    filter_on filter;
    std::vector<framealloc::pool_ptr<int>> entities;
    for (int f = 0; f < 10; ++f) {
        alloc.begin_frame();
        alloc.with_tag("beh_clean", [&] {
            auto v = alloc.frame_vector<int>();
            for (int i = 0; i < 200; ++i) v.push_back(i);
            if (entities.size() < 100) entities.push_back(alloc.pool_alloc<int>(f));
        });
        alloc.end_frame();
    }
    BOOST_TEST(report_text() == "");
}

BOOST_AUTO_TEST_CASE(disabled_filter_reports_nothing) {
    framealloc::smart_alloc alloc;
    framealloc::disable_behavior_filter();
    framealloc::clear_behavior_report();
    for (int f = 0; f < 5; ++f) {
        alloc.begin_frame();
        for (int i = 0; i < 40; ++i) {
            void* p = alloc.heap_resource().allocate(10, 8);
            alloc.heap_resource().deallocate(p, 10, 8);
        }
        alloc.end_frame();
    }
    BOOST_TEST(framealloc::behavior_report().empty());
}

BOOST_AUTO_TEST_SUITE_END()
