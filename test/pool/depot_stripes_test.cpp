// The depot keeps a thread's batches on its own stripe: a thread takes back what it handed in before
// what other threads handed in, and takes theirs only when its stripe is empty. The stripes share one
// bound, and under contention no batch is lost or handed out twice.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <set>
#include <thread>
#include <vector>

#include <framealloc/batch_stack.hpp>

#include "counting_resource.hpp"

import framealloc;

namespace {

using framealloc::detail::batch;
using framealloc::detail::batch_stack;

framealloc::pool_options throwing_pool() {
    framealloc::pool_options o;
    o.on_error = framealloc::pool_error_policy::throw_exception;
    return o;
}

std::vector<void*> allocate_n(framealloc::pool_resource& pool, std::size_t n, std::size_t bytes) {
    std::vector<void*> v;
    // fa: allow FA301 -- a test helper: each caller passes a small count derived from the batch size
    for (std::size_t i = 0; i < n; ++i) v.push_back(pool.allocate(bytes, 8));
    return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(depot_stripes)

BOOST_AUTO_TEST_CASE(a_stripe_pops_its_own_batches_first_then_the_next_non_empty_one) {
    framealloc_test::counting_resource memory;
    int blocks[6] = {};
    batch_stack stack(6, &memory);
    BOOST_TEST(stack.push(batch{&blocks[0], 1}, 2));
    BOOST_TEST(stack.push(batch{&blocks[1], 2}, 5));
    BOOST_TEST(stack.push(batch{&blocks[2], 3}, 2));
    BOOST_TEST(stack.push(batch{&blocks[3], 4}, 5));  // pushed last: a single stack would pop it first
    batch b{};
    BOOST_REQUIRE(stack.pop(b, 2));
    BOOST_TEST(b.head == static_cast<void*>(&blocks[2]));
    BOOST_REQUIRE(stack.pop(b, 2));
    BOOST_TEST(b.head == static_cast<void*>(&blocks[0]));
    BOOST_TEST(b.count == 1u);
    // Stripe 2 is empty now: stripes 3, 4 are empty too, 5 has two batches.
    BOOST_REQUIRE(stack.pop(b, 2));
    BOOST_TEST(b.head == static_cast<void*>(&blocks[3]));
    // The search wraps around: from stripe 7 it goes on at 0, 1, ... and finds stripe 5.
    BOOST_REQUIRE(stack.pop(b, batch_stack::stripes - 1));
    BOOST_TEST(b.head == static_cast<void*>(&blocks[1]));
    BOOST_TEST(b.count == 2u);
    BOOST_TEST(!stack.pop(b, 0));
    // A stripe number past the last names stripe (number mod stripes).
    BOOST_TEST(stack.push(batch{&blocks[4], 5}, batch_stack::stripes + 3));
    BOOST_REQUIRE(stack.pop(b, 3));
    BOOST_TEST(b.head == static_cast<void*>(&blocks[4]));
}

BOOST_AUTO_TEST_CASE(a_hint_names_the_stripe_to_try_after_the_own_one) {
    framealloc_test::counting_resource memory;
    int blocks[3] = {};
    batch_stack stack(4, &memory);
    BOOST_TEST(stack.push(batch{&blocks[0], 1}, 3));
    BOOST_TEST(stack.push(batch{&blocks[1], 1}, 6));
    std::uint32_t hint = 6;
    batch b{};
    BOOST_REQUIRE(stack.pop(b, 2, hint));  // stripe 2 is empty; the hint comes before stripe 3
    BOOST_TEST(b.head == static_cast<void*>(&blocks[1]));
    BOOST_TEST(hint == 6u);
    BOOST_REQUIRE(stack.pop(b, 2, hint));  // the hinted stripe is empty too: the walk finds stripe 3
    BOOST_TEST(b.head == static_cast<void*>(&blocks[0]));
    BOOST_TEST(hint == 3u);
    BOOST_TEST(stack.push(batch{&blocks[2], 1}, 2));
    BOOST_REQUIRE(stack.pop(b, 2, hint));  // found on the own stripe: the hint stays
    BOOST_TEST(b.head == static_cast<void*>(&blocks[2]));
    BOOST_TEST(hint == 3u);
    BOOST_TEST(!stack.pop(b, 2, hint));
}

BOOST_AUTO_TEST_CASE(the_stripes_share_one_bound) {
    framealloc_test::counting_resource memory;
    int blocks[4] = {};
    batch_stack stack(3, &memory);
    BOOST_TEST(stack.push(batch{&blocks[0], 1}, 0));
    BOOST_TEST(stack.push(batch{&blocks[1], 1}, 1));
    BOOST_TEST(stack.push(batch{&blocks[2], 1}, 2));
    for (std::uint32_t s = 0; s < batch_stack::stripes; ++s) BOOST_TEST(!stack.push(batch{&blocks[3], 1}, s));
    batch b{};
    BOOST_REQUIRE(stack.pop(b, 1));
    BOOST_TEST(b.head == static_cast<void*>(&blocks[1]));
    BOOST_TEST(stack.push(batch{&blocks[3], 1}, 6));  // the node freed on stripe 1 serves stripe 6
    BOOST_TEST(memory.allocations() == 1u);
}

BOOST_AUTO_TEST_CASE(no_batch_is_lost_or_popped_twice_under_contention) {
    framealloc_test::counting_resource memory;
    constexpr int threads = 4;
    constexpr int per_thread = 16;
    constexpr int rounds = 20000;
    // Each thread owns per_thread distinct batches (told apart by their head) and keeps what it pops.
    std::vector<int> tokens(threads * per_thread);
    batch_stack stack(threads * per_thread, &memory);
    std::vector<std::vector<void*>> held(threads);
    for (int t = 0; t < threads; ++t)
        for (int i = 0; i < per_thread; ++i) held[t].push_back(&tokens[t * per_thread + i]);
    std::atomic<int> started{0};
    std::atomic<int> refused{0};  // pushes refused: none may be, the stack holds every batch
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            started.fetch_add(1);
            while (started.load() < threads) std::this_thread::yield();
            std::vector<void*>& mine = held[t];
            for (int r = 0; r < rounds; ++r) {
                // Push a few on the own stripe, pop a few (own stripe first, else another's).
                const int pushes = (r % 3) + 1;
                for (int k = 0; k < pushes && !mine.empty(); ++k) {
                    if (!stack.push(batch{mine.back(), std::uint32_t(t + 1)}, std::uint32_t(t))) {
                        refused.fetch_add(1);  // Boost.Test's checks are not for other threads
                        return;
                    }
                    mine.pop_back();
                }
                batch b{};
                for (int k = 0; k < 2; ++k)
                    if (stack.pop(b, std::uint32_t(t))) mine.push_back(b.head);
            }
        });
    for (std::thread& w : workers) w.join();
    BOOST_TEST(refused.load() == 0);
    std::vector<void*> all;
    for (const auto& h : held) all.insert(all.end(), h.begin(), h.end());
    batch b{};
    while (stack.take_any(b)) all.push_back(b.head);
    const std::set<void*> distinct(all.begin(), all.end());
    BOOST_TEST(all.size() == tokens.size());
    BOOST_TEST(distinct.size() == tokens.size());
}

// A stripe its own threads take batches back from is their reserve: another thread takes from it only
// once it holds steal_depth batches. A stripe nobody takes back from (a consumer's) is open to all, and
// compaction's take_any drains reserves too.
BOOST_AUTO_TEST_CASE(a_reserve_is_taken_from_only_when_deep) {
    framealloc_test::counting_resource memory;
    int blocks[8] = {};
    batch_stack stack(16, &memory);
    BOOST_TEST(stack.push(batch{&blocks[0], 1}, 3));
    BOOST_TEST(stack.push(batch{&blocks[1], 1}, 3));
    batch b{};
    BOOST_REQUIRE(stack.pop(b, 3));  // taken back by its own thread: stripe 3 is a reserve now
    BOOST_TEST(b.head == static_cast<void*>(&blocks[1]));
    BOOST_TEST(stack.push(batch{&blocks[2], 1}, 3));
    BOOST_TEST(stack.depth(3) == 2);
    BOOST_TEST(!stack.pop(b, 5));  // stripe 5 is empty and stripe 3 has fewer than steal_depth
    for (int k = 3; stack.depth(3) < batch_stack::steal_depth; ++k) BOOST_TEST(stack.push(batch{&blocks[k], 1}, 3));
    BOOST_REQUIRE(stack.pop(b, 5));  // deep enough to spare one
    BOOST_TEST(b.head == static_cast<void*>(&blocks[batch_stack::steal_depth]));
    BOOST_TEST(stack.depth(3) == batch_stack::steal_depth - 1);
    // Stripe 1 is handed batches but nobody took one back from it: open at any depth.
    BOOST_TEST(stack.push(batch{&blocks[7], 1}, 1));
    BOOST_REQUIRE(stack.pop(b, 6));
    BOOST_TEST(b.head == static_cast<void*>(&blocks[7]));
    // take_any empties the reserve regardless.
    int drained = 0;
    while (stack.take_any(b)) ++drained;
    BOOST_TEST(drained == batch_stack::steal_depth - 1);
    BOOST_TEST(stack.depth(3) == 0);
}

// A thread that takes over the blocks of a thread that exited (a server's next worker) takes over its
// stripe too, where that thread's batches wait, even when another new thread asks for a stripe first.
// A and B each allocate and free half of their blocks (the halves go to their stripes), then exit.
// B's successor starts first and frees some of B's live blocks; A's successor then frees some of A's
// and allocates more: none of the blocks it gets was B's. Given the first vacant stripe, as a new thread
// once was, B's successor would take A's stripe and A's successor would be served B's blocks.
BOOST_AUTO_TEST_CASE(a_successor_thread_takes_over_its_predecessors_stripe) {
    framealloc::pool_resource pool(throwing_pool());
    constexpr std::size_t bytes = 64;
    const std::size_t c = framealloc::detail::class_for(framealloc::detail::guarded_size(bytes), 8);
    const std::size_t per_batch = framealloc::detail::batch_blocks(c);
    // Enough batches that each thread settles on its stripe well before its last ones are carved
    // (the blocks carved after that are tagged with it).
    const std::size_t n = (framealloc::detail::pool_registry::refills_to_settle + 16) * per_batch;
    std::vector<void*> a_all;
    std::vector<void*> b_all;
    std::atomic<int> phase{0};
    auto wait_for = [&](int p) {
        while (phase.load() < p) std::this_thread::yield();
    };
    // Allocates n blocks once the phase is `start`, then (both have allocated) frees every other one,
    // and stays alive until both have freed.
    auto first_generation = [&](std::vector<void*>& all, int start) {
        return std::thread([&, start] {
            wait_for(start);
            all = allocate_n(pool, n, bytes);
            phase.fetch_add(1);
            wait_for(2);
            for (std::size_t i = 0; i < all.size(); i += 2) pool.deallocate(all[i], bytes, 8);
            phase.fetch_add(1);
            wait_for(4);
        });
    };
    std::thread a = first_generation(a_all, 0);  // A asks for a stripe before B
    wait_for(1);
    std::thread b = first_generation(b_all, 1);
    wait_for(4);  // both allocated (phases 1, 2) and freed (3, 4) while both alive
    a.join();
    b.join();
    // The live halves, newest first (their lines were tagged when they were carved).
    std::vector<void*> a_live;
    std::vector<void*> b_live;
    for (std::size_t i = 1; i < n; i += 2) a_live.push_back(a_all[i]), b_live.push_back(b_all[i]);
    std::reverse(a_live.begin(), a_live.end());
    std::reverse(b_live.begin(), b_live.end());
    const std::set<void*> a_set(a_all.begin(), a_all.end());
    const std::set<void*> b_set(b_all.begin(), b_all.end());
    const std::size_t votes = framealloc::detail::pool_registry::votes_to_settle;
    const std::size_t slabs_before = pool.stats().slab_count;

    std::atomic<bool> b2_settled{false};
    std::atomic<bool> a2_done{false};
    std::thread b2([&] {
        for (std::size_t i = 0; i < votes; ++i) pool.deallocate(b_live[i], bytes, 8);
        b2_settled.store(true);
        while (!a2_done.load()) std::this_thread::yield();  // holds its stripe while A's successor chooses
    });
    while (!b2_settled.load()) std::this_thread::yield();
    std::vector<void*> got;
    std::size_t served_by_b = 0;
    std::thread a2([&] {
        for (std::size_t i = 0; i < votes; ++i) pool.deallocate(a_live[i], bytes, 8);
        got = allocate_n(pool, votes + 2 * per_batch, bytes);  // its cache, then batches of its stripe
        for (void* p : got) served_by_b += b_set.count(p);
    });
    a2.join();
    a2_done.store(true);
    b2.join();
    BOOST_TEST(served_by_b == 0u);
    // All of them were A's: the ones it freed and those its cache held at its exit (carved, never
    // handed out). Nothing new was carved.
    std::size_t served_by_a = 0;
    for (void* p : got) served_by_a += a_set.count(p);
    BOOST_TEST(served_by_a >= got.size() / 2);
    BOOST_TEST(pool.stats().slab_count == slabs_before);
    for (void* p : got) pool.deallocate(p, bytes, 8);
    for (std::size_t i = votes; i < a_live.size(); ++i) pool.deallocate(a_live[i], bytes, 8);
    for (std::size_t i = votes; i < b_live.size(); ++i) pool.deallocate(b_live[i], bytes, 8);
}

// Two live threads of one pool have stripes of their own. The main thread frees enough blocks of one
// class that its cache hands a batch to the depot; a second thread then frees other blocks of the
// same class and exits, which hands its batches in after. When the main thread's cache runs dry, it gets
// its own batch back, not the ones handed in last.
BOOST_AUTO_TEST_CASE(a_thread_takes_back_its_own_batches_before_later_ones_of_another_thread) {
    framealloc::pool_resource pool(throwing_pool());
    constexpr std::size_t bytes = 64;
    const std::size_t c = framealloc::detail::class_for(framealloc::detail::guarded_size(bytes), 8);
    const std::size_t per_batch = framealloc::detail::batch_blocks(c);
    const std::size_t cache_limit = 2 * per_batch;
    const std::size_t n = cache_limit + per_batch;  // freeing them all flushes exactly one batch

    // Every block carved up front, so that neither thread needs the depot until the end.
    std::vector<void*> mine = allocate_n(pool, n, bytes);
    const std::vector<void*> theirs = allocate_n(pool, n, bytes);
    const std::set<void*> theirs_set(theirs.begin(), theirs.end());
    for (void* p : mine) pool.deallocate(p, bytes, 8);
    BOOST_TEST(pool.stats().blocks_to_depot == per_batch);

    std::thread other([&] {
        for (void* p : theirs) pool.deallocate(p, bytes, 8);
    });  // its exit hands the rest of its cache to the depot too
    other.join();
    BOOST_TEST(pool.stats().blocks_to_depot == per_batch + n);

    const std::set<void*> mine_set(mine.begin(), mine.end());
    std::vector<void*> again = allocate_n(pool, n, bytes);  // the cache's blocks, then one batch
    for (void* p : again) {
        BOOST_TEST(mine_set.count(p) == 1u);
        BOOST_TEST(theirs_set.count(p) == 0u);
    }
    // The main thread's stripe is empty now: the next batch is the other thread's.
    void* next = pool.allocate(bytes, 8);
    BOOST_TEST(theirs_set.count(next) == 1u);
    pool.deallocate(next, bytes, 8);
    for (void* p : again) pool.deallocate(p, bytes, 8);
}

// Compaction sees every stripe: a slab whose free blocks were handed in by several threads, each to
// its own stripe, is found empty and released.
BOOST_AUTO_TEST_CASE(compaction_collects_the_free_blocks_of_every_stripe) {
    framealloc_test::counting_resource slabs;
    framealloc::pool_options o = throwing_pool();
    o.upstream = &slabs;
    framealloc::pool_resource pool(o);
    constexpr std::size_t bytes = 64;
    constexpr int threads = 3;
    const std::vector<void*> blocks = allocate_n(pool, 300, bytes);
    BOOST_REQUIRE(pool.stats().slab_count == 1u);
    pool.flush_thread_cache();  // the blocks carved but not handed out go to the main thread's stripe
    const std::uint64_t handed_in = pool.stats().blocks_to_depot;
    // Each thread frees a third and exits (its cache goes to its stripe); they run one after another
    // but overlap, so each is given a stripe of its own.
    std::vector<std::thread> workers;
    std::atomic<int> done{0};
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            for (std::size_t i = std::size_t(t); i < blocks.size(); i += threads) pool.deallocate(blocks[i], bytes, 8);
            done.fetch_add(1);
            while (done.load() < threads) std::this_thread::yield();  // alive until all have freed
        });
    for (std::thread& w : workers) w.join();
    BOOST_TEST(pool.stats().blocks_to_depot == handed_in + blocks.size());
    BOOST_TEST(pool.release_empty_slabs(0) == 64u * 1024u);
    BOOST_TEST(pool.stats().slab_bytes == 0u);
    BOOST_TEST(slabs.live_bytes() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
