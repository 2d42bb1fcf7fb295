// pool_resource: alignment, disjointness, contents under concurrent churn, free orders, heap
// fallback, upstream traffic, slab release, thread exit, producer/consumer.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <random>
#include <thread>
#include <vector>

#include "counting_resource.hpp"
#include "memory_checks.hpp"

import framealloc;

using framealloc::pool_resource;
using framealloc_test::block;
using framealloc_test::counting_resource;

namespace {
framealloc::pool_options counted(counting_resource& slabs, counting_resource& heap) {
    framealloc::pool_options o;
    o.upstream = &slabs;
    o.heap = &heap;
    o.on_error = framealloc::pool_error_policy::throw_exception;
    return o;
}

enum class order { same, reverse, shuffled };

void free_all(std::pmr::memory_resource& r, std::vector<block>& blocks, std::size_t alignment, order how) {
    if (how == order::reverse) std::reverse(blocks.begin(), blocks.end());
    if (how == order::shuffled) std::shuffle(blocks.begin(), blocks.end(), std::mt19937(42));
    for (const block& b : blocks) {
        BOOST_REQUIRE(framealloc_test::intact(b));
        r.deallocate(b.p, b.size, alignment);
    }
    blocks.clear();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(pool_resource_suite)

BOOST_AUTO_TEST_CASE(blocks_are_aligned_disjoint_and_keep_their_contents_in_all_free_orders) {
    counting_resource slabs, heap;
    pool_resource pool(counted(slabs, heap));
    for (order how : {order::same, order::reverse, order::shuffled}) {
        for (std::size_t alignment : {std::size_t(1), std::size_t(8), std::size_t(16), std::size_t(64), std::size_t(256)}) {
            std::vector<block> blocks;
            for (std::size_t i = 0; i < 3000; ++i) {
                const std::size_t size = (i * 37) % 600 + 1;
                auto* p = static_cast<std::byte*>(pool.allocate(size, alignment));
                BOOST_REQUIRE(framealloc_test::is_aligned(p, alignment));
                blocks.push_back({p, size, static_cast<unsigned char>(i % 251)});
                framealloc_test::fill(blocks.back());
            }
            BOOST_REQUIRE(framealloc_test::disjoint(blocks));
            free_all(pool, blocks, alignment, how);
        }
    }
    BOOST_TEST(heap.allocations() == 0u);  // nothing here needed the heap
}

BOOST_AUTO_TEST_CASE(interleaved_allocations_and_frees_reuse_blocks) {
    counting_resource slabs, heap;
    pool_resource pool(counted(slabs, heap));
    std::vector<block> live;
    std::mt19937 rng(7);
    for (int step = 0; step < 200000; ++step) {
        if (live.empty() || rng() % 3 != 0) {
            const std::size_t size = rng() % 300 + 1;
            auto* p = static_cast<std::byte*>(pool.allocate(size, 8));
            live.push_back({p, size, static_cast<unsigned char>(step)});
            framealloc_test::fill(live.back());
        } else {
            const std::size_t victim = rng() % live.size();
            BOOST_REQUIRE(framealloc_test::intact(live[victim]));
            pool.deallocate(live[victim].p, live[victim].size, 8);
            live[victim] = live.back();
            live.pop_back();
        }
        if (live.size() > 5000) {  // keep the live set bounded: steady state
            for (const block& b : live) pool.deallocate(b.p, b.size, 8);
            live.clear();
        }
    }
    BOOST_TEST(framealloc_test::disjoint(live));
    for (const block& b : live) pool.deallocate(b.p, b.size, 8);
    // ~5000 blocks of up to 304 B live at most: a few MiB of slabs, not one slab per allocation.
    BOOST_TEST(pool.stats().peak_slab_bytes < 8u * 1024u * 1024u);
}

BOOST_AUTO_TEST_CASE(same_thread_free_then_allocate_is_lifo) {
    pool_resource pool;
    void* a = pool.allocate(48, 8);
    pool.deallocate(a, 48, 8);
    void* b = pool.allocate(48, 8);
    BOOST_TEST(b == a);  // the hottest block comes back first
    pool.deallocate(b, 48, 8);
}

// The fast paths find the calling thread's cache through its most recent pool; a thread switching
// between pools on every call must still serve and take back each pool's blocks in that pool.
BOOST_AUTO_TEST_CASE(a_thread_alternating_between_two_pools_keeps_their_blocks_apart) {
    counting_resource slabs_a, heap_a, slabs_b, heap_b;
    pool_resource a(counted(slabs_a, heap_a));
    pool_resource b(counted(slabs_b, heap_b));
    std::vector<void*> from_a, from_b;
    for (int i = 0; i < 2000; ++i) {  // past a cache's bound: refills and flushes on both sides
        from_a.push_back(a.allocate(64, 8));
        from_b.push_back(b.allocate(64, 8));
    }
    for (std::size_t i = 0; i < from_a.size(); ++i) {
        a.deallocate(from_a[i], 64, 8);  // a block freed into the wrong pool would throw FA103
        b.deallocate(from_b[i], 64, 8);
    }
    std::vector<void*> sorted_a = from_a, sorted_b = from_b;
    std::sort(sorted_a.begin(), sorted_a.end());
    std::sort(sorted_b.begin(), sorted_b.end());
    for (int i = 0; i < 500; ++i) {
        void* p = a.allocate(64, 8);
        void* q = b.allocate(64, 8);
        BOOST_TEST(std::binary_search(sorted_a.begin(), sorted_a.end(), p));
        BOOST_TEST(std::binary_search(sorted_b.begin(), sorted_b.end(), q));
        a.deallocate(p, 64, 8);
        b.deallocate(q, 64, 8);
    }
    BOOST_TEST(static_cast<std::int64_t>(a.stats().slab_bytes) == slabs_a.live_bytes());
    BOOST_TEST(static_cast<std::int64_t>(b.stats().slab_bytes) == slabs_b.live_bytes());
}

// A pool destroyed by another thread while it is a worker's recent pool: the next pool, often at the
// same address, must give the worker a cache of its own, not the dead pool's (ASan would see the use
// after free; a wrong cache would hand out the dead pool's blocks).
BOOST_AUTO_TEST_CASE(a_new_pool_never_uses_the_cache_of_a_destroyed_recent_pool) {
    std::unique_ptr<pool_resource> pool;
    std::barrier sync(2);
    std::vector<bool> own_blocks;  // per round: every block the worker got lies in the live pool's slabs
    std::thread worker([&] {
        for (int round = 0; round < 20; ++round) {
            sync.arrive_and_wait();  // main made a new pool
            std::vector<void*> blocks;
            for (int i = 0; i < 100; ++i) blocks.push_back(pool->allocate(32, 8));
            for (void* p : blocks) pool->deallocate(p, 32, 8);  // FA103 (abort) for a dead pool's block
            sync.arrive_and_wait();  // main destroys it
        }
    });
    for (int round = 0; round < 20; ++round) {
        counting_resource slabs, heap;
        pool = std::make_unique<pool_resource>(counted(slabs, heap));
        sync.arrive_and_wait();
        sync.arrive_and_wait();
        const std::int64_t held = slabs.live_bytes();
        own_blocks.push_back(held > 0 && static_cast<std::int64_t>(pool->stats().slab_bytes) == held);
        pool.reset();
        own_blocks.back() = own_blocks.back() && slabs.live_bytes() == 0;
    }
    worker.join();
    BOOST_TEST(std::count(own_blocks.begin(), own_blocks.end(), true) == 20);
}

BOOST_AUTO_TEST_CASE(oversize_and_over_aligned_requests_go_to_the_heap_and_come_back) {
    counting_resource slabs, heap;
    pool_resource pool(counted(slabs, heap));
    void* big = pool.allocate(100000, 16);
    void* wide = pool.allocate(64, 16384);
    BOOST_TEST(framealloc_test::is_aligned(wide, 16384));
    BOOST_TEST(heap.allocations() == 2u);
    BOOST_TEST(pool.stats().heap_bytes == 100000u + 64u);
    pool.deallocate(big, 100000, 16);
    pool.deallocate(wide, 64, 16384);
    BOOST_TEST(heap.deallocations() == 2u);
    BOOST_TEST(heap.live_bytes() == 0);
    BOOST_TEST(pool.stats().heap_bytes == 0u);
    BOOST_TEST(slabs.allocations() == 0u);
}

BOOST_AUTO_TEST_CASE(steady_state_makes_no_upstream_calls) {
    counting_resource slabs, heap;
    pool_resource pool(counted(slabs, heap));
    auto round = [&] {
        std::vector<void*> v;
        for (int i = 0; i < 20000; ++i) v.push_back(pool.allocate(64, 8));
        for (void* p : v) pool.deallocate(p, 64, 8);
    };
    round();
    const auto calls = slabs.calls();
    for (int r = 0; r < 20; ++r) round();
    BOOST_TEST(slabs.calls() == calls);
}

BOOST_AUTO_TEST_CASE(empty_slabs_go_back_upstream_above_the_high_water_mark) {
    counting_resource slabs, heap;
    auto o = counted(slabs, heap);
    o.slab_high_water_bytes = 256 * 1024;  // four slabs
    pool_resource pool(o);
    std::vector<void*> v;
    for (int i = 0; i < 100000; ++i) v.push_back(pool.allocate(128, 8));  // ~200 slabs
    BOOST_TEST(slabs.live_bytes() > 10 * 1024 * 1024);
    for (void* p : v) pool.deallocate(p, 128, 8);
    pool.flush_thread_cache();
    pool.release_empty_slabs(o.slab_high_water_bytes);
    BOOST_TEST(slabs.live_bytes() <= static_cast<std::int64_t>(o.slab_high_water_bytes));
    BOOST_TEST(pool.stats().slabs_released > 100u);
    // The pool still works after a release.
    void* p = pool.allocate(128, 8);
    pool.deallocate(p, 128, 8);
}

BOOST_AUTO_TEST_CASE(depot_overflow_releases_slabs_by_itself) {
    counting_resource slabs, heap;
    auto o = counted(slabs, heap);
    o.slab_high_water_bytes = 512 * 1024;
    o.depot_bytes_per_class = 64 * 1024;
    pool_resource pool(o);
    std::vector<void*> v;
    for (int i = 0; i < 200000; ++i) v.push_back(pool.allocate(64, 8));  // ~12 MiB
    for (void* p : v) pool.deallocate(p, 64, 8);  // no explicit release: flushes overflow the depot
    BOOST_TEST(pool.stats().slabs_released > 0u);
    BOOST_TEST(slabs.live_bytes() < 6 * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(contents_survive_while_other_threads_churn) {
    pool_resource pool;
    std::vector<block> mine;
    for (int i = 0; i < 2000; ++i) {
        auto* p = static_cast<std::byte*>(pool.allocate(96, 8));
        mine.push_back({p, 96, static_cast<unsigned char>(i)});
        framealloc_test::fill(mine.back());
    }
    std::atomic<bool> ok{true};
    std::vector<std::thread> churn;
    for (int t = 0; t < 3; ++t)
        churn.emplace_back([&, t] {
            std::vector<block> theirs;
            for (int r = 0; r < 30; ++r) {
                for (int i = 0; i < 1000; ++i) {
                    auto* p = static_cast<std::byte*>(pool.allocate(96, 8));
                    theirs.push_back({p, 96, static_cast<unsigned char>(0x80 + t)});
                    framealloc_test::fill(theirs.back());
                }
                for (const block& b : theirs) {
                    if (!framealloc_test::intact(b)) ok = false;
                    pool.deallocate(b.p, b.size, 8);
                }
                theirs.clear();
            }
        });
    for (auto& t : churn) t.join();
    BOOST_TEST(ok.load());
    for (const block& b : mine) BOOST_REQUIRE(framealloc_test::intact(b));
    for (const block& b : mine) pool.deallocate(b.p, b.size, 8);
}

BOOST_AUTO_TEST_CASE(producer_allocates_consumer_frees_a_million_objects_with_bounded_upstream) {
    counting_resource slabs, heap;
    pool_resource pool(counted(slabs, heap));
    constexpr int total = 1000000;
    constexpr int in_flight = 4096;
    std::vector<std::atomic<void*>> ring(in_flight);
    for (auto& slot : ring) slot.store(nullptr);
    std::atomic<bool> ok{true};
    std::int64_t peak_live = 0;
    std::thread consumer([&] {
        for (int i = 0; i < total; ++i) {
            auto& slot = ring[std::size_t(i % in_flight)];
            void* p = nullptr;
            while ((p = slot.exchange(nullptr, std::memory_order_acquire)) == nullptr) std::this_thread::yield();
            if (*static_cast<int*>(p) != i) ok = false;
            pool.deallocate(p, 32, 8);  // every free is from the thread that did not allocate
        }
    });
    for (int i = 0; i < total; ++i) {
        auto& slot = ring[std::size_t(i % in_flight)];
        while (slot.load(std::memory_order_acquire) != nullptr) std::this_thread::yield();
        void* p = pool.allocate(32, 8);
        *static_cast<int*>(p) = i;
        slot.store(p, std::memory_order_release);
        if (i % 65536 == 0) peak_live = std::max(peak_live, slabs.live_bytes());
    }
    consumer.join();
    BOOST_TEST(ok.load());
    // At most `in_flight` objects are live, plus what caches and the depot hold: a handful of slabs
    // (32 B blocks, ~2000 per slab), however long the run.
    BOOST_TEST(slabs.live_bytes() <= 2 * 1024 * 1024);
    BOOST_TEST(peak_live <= 2 * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(a_thread_that_exits_returns_its_cache) {
    counting_resource slabs, heap;
    pool_resource pool(counted(slabs, heap));
    std::vector<void*> handed;
    std::thread([&] {
        for (int i = 0; i < 100; ++i) handed.push_back(pool.allocate(200, 8));
        for (int i = 0; i < 50; ++i) pool.deallocate(handed[std::size_t(i)], 200, 8);  // cached, then returned at exit
    }).join();
    BOOST_TEST(pool.stats().threads == 0u);
    const auto calls = slabs.calls();
    std::vector<void*> again;
    for (int i = 0; i < 50; ++i) again.push_back(pool.allocate(200, 8));  // served from the returned blocks
    BOOST_TEST(slabs.calls() == calls);
    for (int i = 50; i < 100; ++i) pool.deallocate(handed[std::size_t(i)], 200, 8);
    for (void* p : again) pool.deallocate(p, 200, 8);
}

BOOST_AUTO_TEST_CASE(destructor_returns_every_slab_and_thread_exit_after_pool_death_is_safe) {
    counting_resource slabs, heap;
    auto pool = std::make_unique<pool_resource>(counted(slabs, heap));
    std::barrier sync(2);
    std::thread worker([&] {
        void* p = pool->allocate(40, 8);
        pool->deallocate(p, 40, 8);
        sync.arrive_and_wait();
        sync.arrive_and_wait();  // the pool is gone; this thread's exit must not touch it
    });
    sync.arrive_and_wait();
    (void)pool->allocate(5000, 8);
    pool.reset();
    BOOST_TEST(slabs.live_bytes() == 0);
    sync.arrive_and_wait();
    worker.join();
}

BOOST_AUTO_TEST_CASE(bad_alignment_is_invalid_alignment) {
    pool_resource pool;
    std::size_t three = 3;
    BOOST_CHECK_THROW((void)pool.allocate(16, three), framealloc::invalid_alignment);
}

BOOST_AUTO_TEST_CASE(foreign_pointer_and_size_mismatch_are_caught_even_in_release) {
    framealloc::pool_options o;
    o.on_error = framealloc::pool_error_policy::throw_exception;
    pool_resource a(o), b(o);
    void* p = a.allocate(64, 8);
    try {
        b.deallocate(p, 64, 8);
        BOOST_FAIL("no exception");
    } catch (const framealloc::memory_error& e) {
        BOOST_TEST(e.code() == "FA103");
    }
    try {
        a.deallocate(p, 128, 8);
        BOOST_FAIL("no exception");
    } catch (const framealloc::memory_error& e) {
        BOOST_TEST(e.code() == "FA104");
    }
    a.deallocate(p, 64, 8);  // the pool is intact after both refusals
    void* q = a.allocate(64, 8);
    BOOST_TEST(q == p);
    a.deallocate(q, 64, 8);
}

BOOST_AUTO_TEST_CASE(pool_stress_many_threads, *boost::unit_test::label("stress")) {
    pool_resource pool;
    std::atomic<bool> ok{true};
    std::vector<std::thread> threads;
    std::vector<std::vector<block>> exchange(8);
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            std::mt19937 rng{static_cast<unsigned>(t)};
            for (int r = 0; r < 300; ++r) {
                std::vector<block> v;
                for (int i = 0; i < 2000; ++i) {
                    const std::size_t size = rng() % 2000 + 1;
                    auto* p = static_cast<std::byte*>(pool.allocate(size, 16));
                    v.push_back({p, size, static_cast<unsigned char>(t * 31 + i)});
                    framealloc_test::fill(v.back());
                }
                for (const block& b : v) {
                    if (!framealloc_test::intact(b)) ok = false;
                    pool.deallocate(b.p, b.size, 16);
                }
            }
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(ok.load());
}

BOOST_AUTO_TEST_SUITE_END()
