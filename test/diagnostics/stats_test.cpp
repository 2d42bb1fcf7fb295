// Statistics equal the truth: a scripted multi-threaded frame with known allocation counts and bytes
// per tag, kind and thread. Counters are process-wide, so the test reads differences.
#include <boost/test/unit_test.hpp>

#include <array>
#include <barrier>
#include <memory_resource>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

import framealloc;

namespace {
const framealloc::tag_stats& tag(const framealloc::diagnostics_stats& s, const char* path) {
    const framealloc::tag_stats* t = s.find_tag(path);
    BOOST_REQUIRE(t != nullptr);
    return *t;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(stats)

BOOST_AUTO_TEST_CASE(scripted_multithreaded_frame_is_counted_exactly) {
    framealloc::smart_alloc alloc;
    constexpr int threads = 4;
    constexpr int rounds = 250;
    // Warm-up frame: binds nothing in particular, makes the next frame's figures only the script's.
    alloc.begin_frame();
    alloc.end_frame();

    alloc.begin_frame();
    std::vector<std::thread> workers;
    std::barrier sync(threads + 1);  // workers stay alive until the frame's figures are read
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            framealloc::set_thread_name("stats worker " + std::to_string(t));
            alloc.with_tag("stats_mt", [&] {
                alloc.with_tag("physics", [&] {
                    for (int i = 0; i < rounds; ++i) (void)alloc.frame_alloc_bytes(48, 16);  // frame: 250 x 48
                    std::vector<void*> blocks;
                    for (int i = 0; i < rounds; ++i) blocks.push_back(alloc.pool_resource().allocate(24 + t, 8));
                    for (void* p : blocks) alloc.pool_resource().deallocate(p, 24 + t, 8);  // pool: 250 x (24+t), all freed
                });
                alloc.with_tag("ai", [&] {
                    for (int i = 0; i < 10; ++i) {
                        void* p = alloc.heap_resource().allocate(1000, 8);  // heap: 10 x 1000
                        alloc.heap_resource().deallocate(p, 1000, 8);
                    }
                    void* big = alloc.pool_resource().allocate(20000, 8);  // oversize: heap via the pool
                    alloc.pool_resource().deallocate(big, 20000, 8);
                    (void)alloc.frame_alloc<std::array<char, 100>>();  // frame: 1 x 100
                });
            });
            sync.arrive_and_wait();
            sync.arrive_and_wait();
        });
    }
    sync.arrive_and_wait();
    alloc.end_frame();
    const framealloc::diagnostics_stats s = alloc.stats().usage;
    sync.arrive_and_wait();
    for (auto& w : workers) w.join();

    const auto& physics = tag(s, "stats_mt::physics").last_frame;
    BOOST_TEST(physics.frame.allocations == std::uint64_t(threads * rounds));
    BOOST_TEST(physics.frame.bytes == std::uint64_t(threads * rounds * 48));
    BOOST_TEST(physics.pool.allocations == std::uint64_t(threads * rounds));
    BOOST_TEST(physics.pool.bytes == std::uint64_t(rounds * (24 + 25 + 26 + 27)));
    BOOST_TEST(physics.pool.frees == std::uint64_t(threads * rounds));
    BOOST_TEST(physics.pool.freed_bytes == physics.pool.bytes);
    BOOST_TEST(physics.heap.allocations == 0u);

    const auto& ai = tag(s, "stats_mt::ai").last_frame;
    BOOST_TEST(ai.heap.allocations == std::uint64_t(threads * 11));
    BOOST_TEST(ai.heap.bytes == std::uint64_t(threads * (10 * 1000 + 20000)));
    BOOST_TEST(ai.heap.frees == std::uint64_t(threads * 11));
    BOOST_TEST(ai.frame.allocations == std::uint64_t(threads));
    BOOST_TEST(ai.frame.bytes == std::uint64_t(threads * 100));
    BOOST_TEST(ai.pool.allocations == 0u);

    // The parent tag itself allocated nothing; totals add up.
    BOOST_TEST(tag(s, "stats_mt").last_frame.allocations() == 0u);
    BOOST_TEST(s.last_frame.frame.allocations == physics.frame.allocations + ai.frame.allocations);
    BOOST_TEST(s.last_frame.pool.bytes == physics.pool.bytes);
    BOOST_TEST(s.last_frame.heap.bytes == ai.heap.bytes);
    BOOST_TEST(s.peak_frame_bytes >= s.last_frame.allocated_bytes());

    // Per thread: each named worker did exactly its share.
    int named = 0;
    for (const framealloc::thread_stats& t : s.threads) {
        if (t.name.rfind("stats worker ", 0) != 0) continue;
        const int k = std::stoi(t.name.substr(13));
        ++named;
        BOOST_TEST(t.last_frame.frame.allocations == std::uint64_t(rounds + 1));
        BOOST_TEST(t.last_frame.pool.bytes == std::uint64_t(rounds * (24 + k)));
        BOOST_TEST(t.last_frame.heap.allocations == 11u);
    }
    BOOST_TEST(named == threads);

    // The next frame without work shows zero for the tags and keeps the peaks.
    alloc.begin_frame();
    alloc.end_frame();
    const framealloc::diagnostics_stats after = alloc.stats().usage;
    BOOST_TEST(tag(after, "stats_mt::physics").last_frame.allocations() == 0u);
    BOOST_TEST(tag(after, "stats_mt::physics").peak_frame_bytes == physics.allocated_bytes());
    BOOST_TEST(tag(after, "stats_mt::physics").total.frame.bytes >= physics.frame.bytes);
}

BOOST_AUTO_TEST_CASE(frees_count_against_the_freeing_threads_tag) {
    framealloc::smart_alloc alloc;
    void* p = nullptr;
    alloc.with_tag("stats_alloc_side", [&] { p = alloc.pool_resource().allocate(64, 8); });
    const auto before = framealloc::collect_stats();
    std::thread([&] { alloc.with_tag("stats_free_side", [&] { alloc.pool_resource().deallocate(p, 64, 8); }); }).join();
    const auto after = framealloc::collect_stats();
    const auto* free_side = after.find_tag("stats_free_side");
    BOOST_REQUIRE(free_side != nullptr);
    BOOST_TEST(free_side->total.pool.frees == 1u);
    BOOST_TEST(free_side->total.pool.freed_bytes == 64u);
    BOOST_TEST(after.total.pool.frees == before.total.pool.frees + 1);
    BOOST_TEST(after.pool_live_bytes + 64 == before.pool_live_bytes);
}

BOOST_AUTO_TEST_CASE(pmr_containers_are_attributed_too) {
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    alloc.with_tag("stats_pmr", [&] {
        std::pmr::vector<int> v(&alloc.frame_resource());
        v.reserve(100);  // one allocation of 400 bytes
        std::pmr::vector<int> w(&alloc.pool_resource());
        w.reserve(10);   // 40 bytes of pool
    });
    alloc.end_frame();
    const auto stats = alloc.stats();  // keep the snapshot alive: t refers into it
    const auto& t = tag(stats.usage, "stats_pmr").last_frame;
    BOOST_TEST(t.frame.allocations == 1u);
    BOOST_TEST(t.frame.bytes == 400u);
    BOOST_TEST(t.pool.allocations == 1u);
    BOOST_TEST(t.pool.frees == 1u);
    BOOST_TEST(t.pool.bytes == 40u);
}

// frame_tracker::end_frame collects into the statistics of two frames ago (no allocation in steady
// state): every figure, tag path and thread name must still be the new frame's own, also when a tag
// and a thread appear in every frame and threads exit.
BOOST_AUTO_TEST_CASE(tracker_figures_stay_exact_while_its_storage_is_reused) {
    framealloc::pool_resource pool;
    framealloc::frame_tracker tracker;
    for (std::uint64_t frame = 1; frame <= 6; ++frame) {
        const std::string path = "stats_reuse_" + std::to_string(frame);  // a new tag every frame
        framealloc::with_tag(path, [&] {
            for (std::uint64_t i = 0; i < frame; ++i) pool.deallocate(pool.allocate(8 * frame, 8), 8 * frame, 8);
        });
        std::thread([&] {
            framealloc::set_thread_name(path);
            framealloc::with_tag(path, [&] { pool.deallocate(pool.allocate(24, 8), 24, 8); });
        }).join();
        const framealloc::diagnostics_stats& s = tracker.end_frame();
        BOOST_TEST(s.frames == frame);
        const auto& t = tag(s, path.c_str());
        BOOST_TEST(t.last_frame.pool.allocations == frame + 1);
        BOOST_TEST(t.last_frame.pool.bytes == 8 * frame * frame + 24);
        BOOST_TEST(t.last_frame.pool.freed_bytes == t.last_frame.pool.bytes);
        BOOST_TEST((t.total == t.last_frame));  // the tag is new this frame
        BOOST_TEST(t.peak_frame_bytes == t.last_frame.allocated_bytes());
        if (frame > 1) {
            const auto& before = tag(s, ("stats_reuse_" + std::to_string(frame - 1)).c_str());
            BOOST_TEST(before.last_frame.allocations() == 0u);
            BOOST_TEST(before.total.pool.allocations == frame);  // frame - 1 on the main thread, 1 on its worker
        }
        for (std::size_t i = 0; i < s.tags.size(); ++i) BOOST_TEST(s.tags[i].id == i);
        int named = 0;
        for (const framealloc::thread_stats& th : s.threads) {
            if (th.name != path) continue;
            ++named;
            BOOST_TEST(th.exited);
            BOOST_TEST(th.last_frame.pool.allocations == 1u);
            BOOST_TEST(th.last_frame.pool.bytes == 24u);
        }
        BOOST_TEST(named == 1);
    }
}

// collect_stats(out) overwrites whatever `out` held: stale paths, names and per-frame figures go.
BOOST_AUTO_TEST_CASE(collect_into_overwrites_stale_figures) {
    framealloc::with_tag("stats_collect_into", [] {});
    framealloc::diagnostics_stats out;
    out.frames = 99;
    out.peak_frame_bytes = 12345;
    out.tags.resize(framealloc::collect_stats().tags.size() + 3);
    for (framealloc::tag_stats& t : out.tags) {
        t.path = "stale";
        t.last_frame.frame.allocations = 7;
    }
    out.threads.resize(40);
    for (framealloc::thread_stats& t : out.threads) t.name = "stale";
    framealloc::collect_stats(out);
    const framealloc::diagnostics_stats fresh = framealloc::collect_stats();
    BOOST_TEST(out.frames == 0u);
    BOOST_TEST(out.peak_frame_bytes == 0u);
    BOOST_REQUIRE(out.tags.size() == fresh.tags.size());
    for (std::size_t i = 0; i < out.tags.size(); ++i) {
        BOOST_TEST(out.tags[i].path == fresh.tags[i].path);
        BOOST_TEST(out.tags[i].last_frame.allocations() == 0u);
    }
    BOOST_TEST(out.find_tag("stats_collect_into") != nullptr);
    BOOST_REQUIRE(out.threads.size() == fresh.threads.size());
    for (std::size_t i = 0; i < out.threads.size(); ++i) BOOST_TEST(out.threads[i].name == fresh.threads[i].name);
}

// Thread churn: every short-lived thread that counts leaves a record; it must be reclaimed whatever the
// program calls — with no smart_alloc at all, with one that never ends a frame, and with a frame loop.
namespace {
void churn(framealloc::pool_resource& pool, framealloc::frame_resource& frames, int threads,
           const std::function<void()>& between = {}) {
    for (int i = 0; i < threads; ++i) {
        std::thread t([&] {
            void* p = pool.allocate(64, 8);
            pool.deallocate(p, 64, 8);
            (void)frames.allocate(32, 8);
        });
        t.join();
        if (between) between();
    }
}
}  // namespace

BOOST_AUTO_TEST_CASE(thread_churn_keeps_the_thread_records_bounded) {
    framealloc::pool_resource pool;
    framealloc::frame_resource frames;
    const std::uint64_t before = framealloc::collect_stats().total.pool.allocations;

    churn(pool, frames, 1500);  // no frame tracker exists: folded at exit
    framealloc::diagnostics_stats s = framealloc::collect_stats();
    BOOST_TEST(s.threads.size() <= 3u);  // "(exited threads)", this thread, at most one not yet folded
    BOOST_TEST(s.total.pool.allocations - before == 1500u);  // nothing lost by folding

    {
        framealloc::smart_alloc alloc;  // a tracker that never ends a frame
        churn(pool, frames, 1500);
        s = framealloc::collect_stats();
        BOOST_TEST(s.threads.size() <= 260u);  // at most 256 wait for an end_frame
        BOOST_TEST(s.total.pool.allocations - before == 3000u);

        alloc.begin_frame();  // and frames: each end_frame folds the threads that exited before it
        churn(pool, frames, 500, [&] {
            alloc.end_frame();
            alloc.begin_frame();
        });
        alloc.end_frame();
        alloc.begin_frame();
        alloc.end_frame();
        s = framealloc::collect_stats();
        BOOST_TEST(s.threads.size() <= 4u);
        BOOST_TEST(s.total.pool.allocations - before == 3500u);
        BOOST_TEST(alloc.stats().usage.total.pool.allocations - before == 3500u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
