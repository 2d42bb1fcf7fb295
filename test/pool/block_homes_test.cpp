// Every page of a slab has a home: the depot stripe of the thread that carved it. A freed block goes
// back to its home, whichever thread frees it, so two threads never allocate blocks of the same page;
// a thread takes another live thread's blocks only before the pool would grow, and then those pages
// become its own.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include <framealloc/batch_stack.hpp>

import framealloc;

namespace {

using framealloc::detail::home_stripe;
using framealloc::detail::slab_of;

constexpr std::size_t bytes = 64;

framealloc::pool_options throwing_pool() {
    framealloc::pool_options o;
    o.on_error = framealloc::pool_error_policy::throw_exception;
    return o;
}

std::vector<void*> allocate_n(framealloc::pool_resource& pool, std::size_t n) {
    std::vector<void*> v;
    // fa: allow FA301 -- a test helper: each caller passes a count of at most one slab's blocks
    for (std::size_t i = 0; i < n; ++i) v.push_back(pool.allocate(bytes, 8));
    return v;
}

void free_all(framealloc::pool_resource& pool, const std::vector<void*>& blocks) {
    for (void* p : blocks) pool.deallocate(p, bytes, 8);
}

std::set<std::uint32_t> homes_of(const std::vector<void*>& blocks) {
    std::set<std::uint32_t> homes;
    for (void* p : blocks) homes.insert(home_stripe(slab_of(p), p));
    return homes;
}

std::set<std::uintptr_t> pages_of(const std::vector<void*>& blocks) {
    std::set<std::uintptr_t> pages;
    for (void* p : blocks) pages.insert(reinterpret_cast<std::uintptr_t>(p) / framealloc::detail::page_bytes);
    return pages;
}

bool disjoint(const std::set<std::uintptr_t>& a, const std::set<std::uintptr_t>& b) {
    for (std::uintptr_t x : a)
        if (b.count(x) != 0) return false;
    return true;
}

// Runs the steps of two threads in turn, the main thread's and a second thread's (alive for the whole
// run), alternating, the main thread first.
class two_threads {
public:
    template <class F>
    void main_step(F f) {
        wait_for(2 * done_++);
        f();
        turn_.fetch_add(1);
    }
    template <class F>
    void other_step(F f) {
        other_steps_.push_back(f);
    }
    // Starts the other thread, which runs its steps in turn with the main thread's.
    template <class Main>
    void run(Main main) {
        std::thread other([this] {
            for (std::size_t k = 0; k < other_steps_.size(); ++k) {
                wait_for(2 * k + 1);
                other_steps_[k]();
                turn_.fetch_add(1);
            }
        });
        main();
        other.join();
    }

private:
    void wait_for(std::size_t t) {
        while (turn_.load() < t) std::this_thread::yield();
    }
    std::atomic<std::size_t> turn_{0};
    std::size_t done_ = 0;
    std::vector<std::function<void()>> other_steps_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(block_homes)

// Two live threads allocating in turns get blocks of pages of their own, each homed on its stripe.
BOOST_AUTO_TEST_CASE(blocks_of_two_threads_never_share_a_page) {
    framealloc::pool_resource pool(throwing_pool());
    std::vector<void*> mine;
    std::vector<void*> theirs;
    two_threads t;
    for (int round = 0; round < 5; ++round)
        t.other_step([&] {
            const std::vector<void*> more = allocate_n(pool, 60);
            theirs.insert(theirs.end(), more.begin(), more.end());
        });
    t.run([&] {
        for (int round = 0; round < 5; ++round)
            t.main_step([&] {
                const std::vector<void*> more = allocate_n(pool, 60);
                mine.insert(mine.end(), more.begin(), more.end());
            });
    });
    BOOST_TEST(pool.stats().slab_count == 1u);  // one slab, carved for both
    BOOST_TEST(disjoint(pages_of(mine), pages_of(theirs)));
    BOOST_TEST(homes_of(mine).size() == 1u);
    BOOST_TEST(homes_of(theirs).size() == 1u);
    BOOST_TEST(*homes_of(mine).begin() != *homes_of(theirs).begin());
    free_all(pool, mine);
    free_all(pool, theirs);
}

// Blocks another thread frees go back to the thread that carved them: the freeing thread does not
// allocate them again, their owner does.
BOOST_AUTO_TEST_CASE(a_block_freed_by_another_thread_goes_back_to_its_home) {
    framealloc::pool_resource pool(throwing_pool());
    const std::vector<void*> mine = allocate_n(pool, 300);
    std::vector<void*> theirs;
    std::thread([&] {
        free_all(pool, mine);  // all remote: gathered in batches for the main thread's stripe
        theirs = allocate_n(pool, 300);
    }).join();  // its exit hands in the last, partial, batch
    BOOST_TEST(disjoint(pages_of(theirs), pages_of(mine)));
    BOOST_TEST(homes_of(theirs) != homes_of(mine));
    // Back on the main thread's stripe: its next blocks are the ones it carved (and the rest of the
    // pages it carved them from, which its cache still holds).
    const std::vector<void*> again = allocate_n(pool, 300);
    const std::set<std::uintptr_t> my_pages = pages_of(mine);
    for (std::uintptr_t page : pages_of(again)) BOOST_TEST(my_pages.count(page) == 1u);
    BOOST_TEST(pool.stats().slab_count == 1u);
    free_all(pool, again);
    free_all(pool, theirs);
}

// A thread whose stripe is empty, when the slab being carved is used up, takes another live thread's
// free blocks rather than a new slab, and their pages are its own from then on.
BOOST_AUTO_TEST_CASE(another_live_threads_blocks_come_before_a_new_slab_and_change_home) {
    framealloc::pool_resource pool(throwing_pool());
    const std::size_t c = framealloc::detail::class_for(framealloc::detail::guarded_size(bytes), 8);
    const std::size_t per_slab = framealloc::detail::slab_payload / framealloc::detail::class_sizes[c];
    std::vector<void*> mine;
    std::vector<void*> theirs;
    std::uint32_t my_home = 0;
    two_threads t;
    t.other_step([&] {
        // Only what is in the depot: the main thread's cache keeps the rest.
        const framealloc::pool_stats s = pool.stats();
        theirs = allocate_n(pool, s.blocks_to_depot - s.blocks_from_depot);
    });
    t.run([&] {
        t.main_step([&] {
            mine = allocate_n(pool, per_slab);  // the whole slab: no page left to carve
            my_home = *homes_of(mine).begin();
            free_all(pool, mine);  // past the cache's bound, batches go to the depot
        });
    });
    const std::set<void*> mine_set(mine.begin(), mine.end());
    BOOST_REQUIRE(!theirs.empty());
    BOOST_TEST(pool.stats().slab_count == 1u);
    for (void* p : theirs) BOOST_TEST(mine_set.count(p) == 1u);
    BOOST_TEST(homes_of(theirs).size() == 1u);
    BOOST_TEST(*homes_of(theirs).begin() != my_home);
    free_all(pool, theirs);
}

BOOST_AUTO_TEST_SUITE_END()
