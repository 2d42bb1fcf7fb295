// retention_set on a single frame_arena: promotion into any memory resource and into scratch arenas,
// oldest first; failures (allocation, throwing move) counted by reason with the frame value destroyed
// and nothing left behind; values released by a rewind or a reset before collect() destroyed exactly
// once and counted as dropped; bad targets refused.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <new>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "counting_resource.hpp"
#include "memory_checks.hpp"

import framealloc;

using framealloc::retention_kind;
using framealloc::retention_target;

namespace {
struct counts {
    int constructed = 0;
    int moved = 0;
    int destroyed = 0;
    [[nodiscard]] int live() const { return constructed + moved - destroyed; }
};
counts c;

struct item {
    std::string text;
    int n;
    explicit item(int i) : text("retained item number " + std::to_string(i) + " with a heap-sized text"), n(i) {
        ++c.constructed;
    }
    item(item&& o) : text(std::move(o.text)), n(o.n) {
        if (throw_on_move) throw std::runtime_error("move refused");
        ++c.moved;
    }
    ~item() { ++c.destroyed; }
    static inline bool throw_on_move = false;
};

class failing_resource final : public std::pmr::memory_resource {
    void* do_allocate(std::size_t, std::size_t) override { throw std::bad_alloc(); }
    void do_deallocate(void*, std::size_t, std::size_t) override {}
    bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
};

framealloc::frame_arena_options small_chunks() {
    framealloc::frame_arena_options o;
    o.initial_chunk_size = 4096;
    return o;
}

struct fixture {
    fixture() { c = counts{}; item::throw_on_move = false; }
    ~fixture() { item::throw_on_move = false; }
    framealloc_test::counting_resource destination;
    framealloc::scratch_registry scratches{small_chunks()};
    framealloc::retention_set set;              // outlives the arena (its values link into the set)
    framealloc::frame_arena arena{small_chunks()};
    retention_target to_resource{retention_kind::promote_to_pool, &destination, nullptr};
    retention_target to_scratch{retention_kind::promote_to_scratch, nullptr, &scratches.get("s")};
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(retention_set_suite, fixture)

BOOST_AUTO_TEST_CASE(collect_moves_values_out_and_destroys_each_frame_value_once) {
    auto a = set.retain<item>(arena, to_resource, 1);
    auto b = set.retain<item>(arena, to_resource, 2);
    a->n = 10;  // the ticket reaches the frame value during the frame
    {
        framealloc::detail::promotion_batch batch = set.collect();
        BOOST_TEST(c.constructed == 2);
        BOOST_TEST(c.moved == 2);
        BOOST_TEST(c.destroyed == 2);  // the frame values, right after their moves
        BOOST_TEST(destination.live_blocks() == 2);
        BOOST_TEST(batch.size() == 2u);
        BOOST_TEST(batch.unclaimed() == 2u);
        const auto& r = batch.claim(a, typeid(item), framealloc::detail::claim_kind::owned);
        const item* moved = static_cast<const item*>(r.object);
        BOOST_TEST(moved->n == 10);
        BOOST_TEST(moved->text == "retained item number 1 with a heap-sized text");
        BOOST_TEST(r.resource == &destination);
        // Claimed: the caller owns it now.
        static_cast<item*>(r.object)->~item();
        destination.deallocate(r.object, sizeof(item), alignof(item));
        BOOST_TEST(batch.unclaimed() == 1u);
        BOOST_TEST(batch.summary().promoted.count == 2u);
        BOOST_TEST(batch.summary().to_pool.bytes == 2 * sizeof(item));
    }
    BOOST_TEST(c.destroyed == 4);  // b's promoted copy went with the batch
    BOOST_TEST(destination.live_blocks() == 0);
    arena.reset();  // the entries' destructor links fire and do nothing
    set.frame_ended();
    BOOST_TEST(c.destroyed == 4);
    BOOST_TEST(set.stats().retained.count == 2u);
    BOOST_TEST(set.stats().promoted.count == 2u);
}

BOOST_AUTO_TEST_CASE(scratch_promotions_keep_creation_order_and_belong_to_the_arena) {
    framealloc::scratch_arena& s = scratches.get("s");
    framealloc::retained<item> t[3] = {set.retain<item>(arena, to_scratch, 0), set.retain<item>(arena, to_scratch, 1),
                                       set.retain<item>(arena, to_scratch, 2)};
    {
        framealloc::detail::promotion_batch batch = set.collect();
        const void* previous = nullptr;
        for (int i = 0; i < 3; ++i) {
            const auto& r = batch.claim(t[i], typeid(item), framealloc::detail::claim_kind::scratch);
            BOOST_TEST(static_cast<const item*>(r.object)->n == i);
            BOOST_TEST(r.scratch == &s);
            BOOST_TEST(r.object > previous);  // oldest first: bump order in the scratch arena
            previous = r.object;
        }
    }
    arena.reset();
    set.frame_ended();
    BOOST_TEST(c.destroyed == 3);  // frame values only: the scratch arena owns the promoted ones
    s.reset();
    BOOST_TEST(c.destroyed == 6);
}

BOOST_AUTO_TEST_CASE(allocation_failure_is_counted_and_the_value_destroyed) {
    failing_resource full;
    auto t = set.retain<item>(arena, retention_target{retention_kind::promote_to_heap, &full, nullptr}, 1);
    framealloc::detail::promotion_batch batch = set.collect();
    BOOST_TEST((batch.status(t) == framealloc::promotion_status::allocation_failed));
    BOOST_TEST(batch.summary().failed_by(framealloc::promotion_failure::allocation_failed).count == 1u);
    BOOST_TEST(batch.summary().failed_by(framealloc::promotion_failure::allocation_failed).bytes == sizeof(item));
    BOOST_TEST(batch.summary().promoted.count == 0u);
    BOOST_TEST(c.live() == 0);
    BOOST_TEST(c.moved == 0);
}

BOOST_AUTO_TEST_CASE(throwing_move_returns_the_memory_and_destroys_the_value) {
    framealloc::scratch_arena& s = scratches.get("s");
    (void)s.bytes(16, 8);
    const std::size_t scratch_used = s.stats().bytes_used;
    auto to_pool = set.retain<item>(arena, to_resource, 1);
    auto to_arena = set.retain<item>(arena, to_scratch, 2);
    item::throw_on_move = true;
    framealloc::detail::promotion_batch batch = set.collect();
    BOOST_TEST((batch.status(to_pool) == framealloc::promotion_status::move_threw));
    BOOST_TEST((batch.status(to_arena) == framealloc::promotion_status::move_threw));
    BOOST_TEST(batch.summary().failed_by(framealloc::promotion_failure::move_threw).count == 2u);
    BOOST_TEST(batch.summary().failures().count == 2u);
    BOOST_TEST(c.live() == 0);                           // both frame values destroyed
    BOOST_TEST(destination.live_blocks() == 0);         // the pool-side block went back
    BOOST_TEST(s.stats().bytes_used == scratch_used);   // the scratch arena was rewound
    BOOST_TEST(batch.unclaimed() == 0u);
}

BOOST_AUTO_TEST_CASE(a_rewind_drops_pending_values_once_and_collect_skips_them) {
    auto kept = set.retain<item>(arena, to_resource, 1);
    framealloc::retained<item> released;
    {
        framealloc::frame_scope scope(arena);
        released = set.retain<item>(arena, to_resource, 2);
        (void)set.retain<item>(arena, to_scratch, 3);
    }
    BOOST_TEST(c.destroyed == 2);
    // The list is still sound after the unlinks; the new value reuses the released memory, yet the
    // released ticket must not name it.
    auto later = set.retain<item>(arena, to_resource, 4);
    BOOST_TEST(later.get() != nullptr);
    framealloc::detail::promotion_batch batch = set.collect();
    BOOST_TEST(batch.size() == 2u);
    BOOST_TEST(batch.contains(kept));
    BOOST_TEST(batch.contains(later));
    BOOST_TEST(!batch.contains(released));
    BOOST_TEST(batch.summary().dropped.count == 2u);
    BOOST_TEST(batch.summary().promoted.count == 2u);
    arena.reset();
    set.frame_ended();
    BOOST_TEST(set.stats().dropped.count == 2u);
    BOOST_TEST(set.stats().retained.count == 4u);
}

BOOST_AUTO_TEST_CASE(a_reset_without_collect_drops_every_value_once) {
    for (int i = 0; i < 5; ++i) (void)set.retain<item>(arena, i % 2 ? to_resource : to_scratch, i);
    arena.reset();
    set.frame_ended();
    BOOST_TEST(c.destroyed == 5);
    BOOST_TEST(c.moved == 0);
    BOOST_TEST(set.stats().dropped.count == 5u);
    BOOST_TEST(set.stats().dropped.bytes == 5 * sizeof(item));
    BOOST_TEST(destination.live_blocks() == 0);
    framealloc::detail::promotion_batch next = set.collect();  // nothing left over
    BOOST_TEST(next.size() == 0u);
}

BOOST_AUTO_TEST_CASE(tickets_are_only_valid_in_their_own_frame_and_set) {
    auto old = set.retain<item>(arena, to_resource, 1);
    { framealloc::detail::promotion_batch first = set.collect(); }
    arena.reset();
    set.frame_ended();
    auto fresh = set.retain<item>(arena, to_resource, 2);
    framealloc::retention_set other;
    framealloc::frame_arena other_arena(small_chunks());
    auto foreign = other.retain<item>(other_arena, to_resource, 3);
    framealloc::detail::promotion_batch batch = set.collect();
    BOOST_TEST(batch.contains(fresh));
    BOOST_TEST(!batch.contains(old));
    BOOST_TEST(!batch.contains(foreign));
    BOOST_CHECK_EXCEPTION((void)batch.status(old), framealloc::frame_error,
                          [](const framealloc::frame_error& e) { return e.code() == framealloc::codes::retained_not_found; });
    other_arena.reset();
}

BOOST_AUTO_TEST_CASE(targets_without_a_destination_are_refused_before_anything_is_made) {
    BOOST_CHECK_THROW((void)set.retain<item>(arena, retention_target{retention_kind::promote_to_pool, nullptr, nullptr}, 1),
                      std::invalid_argument);
    BOOST_CHECK_THROW((void)set.retain<item>(arena, retention_target{retention_kind::promote_to_scratch, nullptr, nullptr}, 1),
                      std::invalid_argument);
    BOOST_TEST(c.constructed == 0);
    BOOST_TEST(arena.stats().bytes_used == 0u);
}

BOOST_AUTO_TEST_CASE(a_sealed_arena_refuses_with_fa001_and_links_nothing) {
    arena.seal();
    BOOST_CHECK_EXCEPTION((void)set.retain<item>(arena, to_resource, 1), framealloc::frame_error,
                          [](const framealloc::frame_error& e) { return e.code() == framealloc::codes::allocation_outside_frame; });
    arena.unseal();
    BOOST_TEST(c.constructed == 0);
    BOOST_TEST(set.collect().size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_throwing_constructor_leaves_nothing_linked) {
    struct refuses {
        explicit refuses(int) { throw std::runtime_error("no"); }
        refuses(refuses&&) = default;
    };
    BOOST_CHECK_THROW((void)set.retain<refuses>(arena, to_resource, 1), std::runtime_error);
    BOOST_TEST(set.collect().size() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
