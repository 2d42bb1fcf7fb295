// frame_resource: one arena per thread, several resources side by side, thread exit, end_frame() across
// threads, upstream traffic, and a threads x frames stress (run under TSan by the tsan preset).
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <barrier>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <thread>
#include <vector>

#include "counting_resource.hpp"
#include "memory_checks.hpp"

import framealloc;

using framealloc::frame_resource;
using framealloc_test::block;
using framealloc_test::counting_resource;

namespace {
framealloc::frame_arena_options small_chunks() {
    framealloc::frame_arena_options o;
    o.initial_chunk_size = 16 * 1024;
    o.max_chunk_size = 256 * 1024;
    return o;
}

// One thread's share of a frame: allocations of varied size and alignment, each filled with a
// pattern that names the thread and the allocation.
std::vector<block> fill_frame(std::pmr::memory_resource& r, unsigned thread, unsigned frame, int count) {
    std::vector<block> blocks;
    blocks.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i) {
        const std::size_t size = std::size_t((i * 37 + frame * 11) % 700) + 1;
        const std::size_t alignment = std::size_t(1) << ((i + thread) % 9);
        auto* p = static_cast<std::byte*>(r.allocate(size, alignment));
        if (!framealloc_test::is_aligned(p, alignment)) throw std::runtime_error("misaligned");
        blocks.push_back({p, size, static_cast<unsigned char>(thread * 16 + unsigned(i) % 16)});
        framealloc_test::fill(blocks.back());
    }
    return blocks;
}

bool all_intact(const std::vector<block>& blocks) {
    for (const block& b : blocks)
        if (!framealloc_test::intact(b)) return false;
    return true;
}

// Threads x frames: every thread allocates and verifies its frame data; the main thread checks all
// threads' data for overlap before end_frame(). Barriers give end_frame() its happens-before edge.
void run_threads_by_frames(unsigned threads, unsigned frames, int per_frame) {
    counting_resource up;
    frame_resource frames_res(small_chunks(), &up);
    std::vector<std::vector<block>> data(threads);
    std::barrier sync(threads + 1);
    std::atomic<bool> ok{true};
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (unsigned f = 0; f < frames; ++f) {
                sync.arrive_and_wait();  // frame open
                data[t] = fill_frame(frames_res, t, f, per_frame);
                if (!all_intact(data[t])) ok = false;
                sync.arrive_and_wait();  // work done
                sync.arrive_and_wait();  // frame ended
            }
        });
    }
    std::uint64_t calls_after_warmup = 0;
    for (unsigned f = 0; f < frames; ++f) {
        sync.arrive_and_wait();
        sync.arrive_and_wait();
        std::vector<block> all;
        for (auto& d : data) all.insert(all.end(), d.begin(), d.end());
        BOOST_TEST(framealloc_test::disjoint(all));
        BOOST_TEST(all_intact(all));
        BOOST_TEST(frames_res.stats().threads == threads);
        frames_res.end_frame();
        if (f == 2) calls_after_warmup = up.calls();
        sync.arrive_and_wait();
    }
    for (auto& w : workers) w.join();
    BOOST_TEST(ok.load());
    BOOST_TEST(up.calls() == calls_after_warmup);  // same workload every frame: no upstream after warm-up
}
}  // namespace

BOOST_AUTO_TEST_SUITE(frame_resource_suite)

BOOST_AUTO_TEST_CASE(each_thread_bumps_in_its_own_arena) {
    frame_resource frames(small_chunks());
    frames.allocate(8, 8);
    std::thread([&] { frames.allocate(8, 8); }).join();
    std::thread([&] { frames.allocate(8, 8); }).join();
    BOOST_TEST(frames.stats().threads == 1u);  // the two exited threads are counted no more...
    const auto before = frames.end_frame();
    BOOST_TEST(before.bytes_used == 24u);      // ...but their memory lived until end_frame()
    BOOST_TEST(frames.stats().threads == 1u);
}

BOOST_AUTO_TEST_CASE(local_arena_is_stable_per_thread_and_distinct_across_threads) {
    frame_resource frames(small_chunks());
    framealloc::frame_arena* mine = &frames.local_arena();
    BOOST_TEST(mine == &frames.local_arena());
    framealloc::frame_arena* theirs = nullptr;
    std::thread([&] { theirs = &frames.local_arena(); }).join();
    BOOST_TEST(theirs != mine);
}

BOOST_AUTO_TEST_CASE(end_frame_resets_every_thread) {
    counting_resource up;
    frame_resource frames(small_chunks(), &up);
    std::barrier sync(2);
    std::thread worker([&] {
        for (int f = 0; f < 20; ++f) {
            for (int i = 0; i < 200; ++i) frames.allocate(512, 16);
            sync.arrive_and_wait();  // allocated
            sync.arrive_and_wait();  // main ended the frame
        }
    });
    for (int f = 0; f < 20; ++f) {
        sync.arrive_and_wait();
        const auto ended = frames.end_frame();
        BOOST_TEST(ended.bytes_used == 200u * 512u);
        BOOST_TEST(frames.stats().bytes_used == 0u);
        sync.arrive_and_wait();
    }
    worker.join();
}

BOOST_AUTO_TEST_CASE(two_resources_on_the_same_threads_share_nothing) {
    counting_resource up_a, up_b;
    frame_resource a(small_chunks(), &up_a), b(small_chunks(), &up_b);
    std::barrier sync(3);
    std::atomic<bool> ok{true};
    auto body = [&](unsigned t) {
        for (unsigned f = 0; f < 30; ++f) {
            auto in_a = fill_frame(a, t, f, 50);
            auto in_b = fill_frame(b, t + 4, f, 50);
            sync.arrive_and_wait();  // both filled
            sync.arrive_and_wait();  // main ended a's frame only
            if (!all_intact(in_b)) ok = false;  // b's memory is untouched by a.end_frame()
            sync.arrive_and_wait();
            sync.arrive_and_wait();  // main ended b's frame
        }
    };
    std::thread t0(body, 0u), t1(body, 1u);
    for (unsigned f = 0; f < 30; ++f) {
        sync.arrive_and_wait();
        a.end_frame();
        sync.arrive_and_wait();
        sync.arrive_and_wait();
        b.end_frame();
        sync.arrive_and_wait();
    }
    t0.join();
    t1.join();
    BOOST_TEST(ok.load());
    BOOST_TEST(up_a.allocations() > 0u);
    BOOST_TEST(up_b.allocations() > 0u);
}

BOOST_AUTO_TEST_CASE(eight_resources_on_one_thread_alternate_correctly) {
    std::vector<std::unique_ptr<frame_resource>> resources;
    for (int i = 0; i < 11; ++i) resources.push_back(std::make_unique<frame_resource>(small_chunks()));  // > cache slots
    std::vector<block> blocks;
    for (int round = 0; round < 20; ++round)
        for (std::size_t i = 0; i < resources.size(); ++i) {
            auto* p = static_cast<std::byte*>(resources[i]->allocate(24, 8));
            blocks.push_back({p, 24, static_cast<unsigned char>(i)});
            framealloc_test::fill(blocks.back());
        }
    BOOST_TEST(framealloc_test::disjoint(blocks));
    BOOST_TEST(all_intact(blocks));
    for (std::size_t i = 0; i < resources.size(); ++i) BOOST_TEST(resources[i]->stats().bytes_used == 20u * 24u);
}

BOOST_AUTO_TEST_CASE(thread_exiting_mid_frame_keeps_its_data_until_end_frame_then_hands_chunks_back) {
    counting_resource up;
    frame_resource frames(small_chunks(), &up);
    std::vector<block> left_behind;
    std::thread([&] { left_behind = fill_frame(frames, 3, 0, 300); }).join();  // thread gone, data shared
    BOOST_TEST(all_intact(left_behind));
    const auto reserved_by_exited = frames.stats().bytes_reserved;
    BOOST_TEST(reserved_by_exited > 0u);
    frames.end_frame();
    BOOST_TEST(frames.stats().spare_bytes == reserved_by_exited);  // handed back, not freed, not leaked
    const auto calls = up.calls();
    std::thread([&] { (void)fill_frame(frames, 4, 1, 300); }).join();  // a new thread adopts the spare chunks
    BOOST_TEST(up.calls() == calls);
    frames.end_frame();
}

BOOST_AUTO_TEST_CASE(resource_destroyed_before_its_threads_exit) {
    counting_resource up;
    auto frames = std::make_unique<frame_resource>(small_chunks(), &up);
    std::barrier sync(2);
    std::thread worker([&] {
        (void)frames->allocate(100, 8);
        sync.arrive_and_wait();  // allocated
        sync.arrive_and_wait();  // resource destroyed
        frame_resource fresh(small_chunks(), &up);  // a new resource on the same thread works
        (void)fresh.allocate(100, 8);
    });
    sync.arrive_and_wait();
    frames.reset();
    BOOST_TEST(up.live_bytes() == 0);
    sync.arrive_and_wait();
    worker.join();
    BOOST_TEST(up.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(closed_resource_refuses_allocation) {
    frame_resource frames(small_chunks());
    (void)frames.allocate(8, 8);
    frames.close();
    BOOST_CHECK_THROW((void)frames.allocate(8, 8), framealloc::frame_error);
    std::thread([&] { BOOST_CHECK_THROW((void)frames.allocate(8, 8), framealloc::frame_error); }).join();
    frames.open();
    BOOST_TEST(frames.allocate(8, 8) != nullptr);
}

BOOST_AUTO_TEST_CASE(threads_by_frames) { run_threads_by_frames(4, 60, 200); }

BOOST_AUTO_TEST_CASE(threads_by_frames_long, *boost::unit_test::label("stress")) { run_threads_by_frames(8, 3000, 400); }

BOOST_AUTO_TEST_CASE(thread_churn_long, *boost::unit_test::label("stress")) {
    counting_resource up;
    frame_resource frames(small_chunks(), &up);
    for (int f = 0; f < 2000; ++f) {
        std::thread a([&] { (void)fill_frame(frames, 1, unsigned(f), 100); });
        std::thread b([&] { (void)fill_frame(frames, 2, unsigned(f), 100); });
        a.join();
        b.join();
        frames.end_frame();
    }
    // Exited threads' chunks are recycled: memory held stays at two threads' worth.
    BOOST_TEST(frames.stats().spare_bytes + frames.stats().bytes_reserved <= 4u * 256u * 1024u);
}

BOOST_AUTO_TEST_SUITE_END()
