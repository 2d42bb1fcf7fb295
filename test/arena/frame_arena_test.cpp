// frame_arena: chunking, growth, own blocks, reset/trim, upstream traffic, limits and errors.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory_resource>
#include <new>
#include <vector>

#include "counting_resource.hpp"
#include "memory_checks.hpp"

import framealloc;

using framealloc::frame_arena;
using framealloc::frame_arena_options;
using framealloc_test::counting_resource;

namespace {
frame_arena_options small_chunks() {
    frame_arena_options o;
    o.initial_chunk_size = 4096;
    o.growth_factor = 2;
    o.max_chunk_size = 64 * 1024;
    return o;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(frame_arena_suite)

BOOST_AUTO_TEST_CASE(first_allocation_takes_one_chunk_and_bumps_inside_it) {
    counting_resource up;
    frame_arena arena(small_chunks(), &up);
    BOOST_TEST(up.allocations() == 0u);  // lazy: nothing until the first request
    auto* a = static_cast<std::byte*>(arena.allocate(16, 8));
    auto* b = static_cast<std::byte*>(arena.allocate(16, 8));
    BOOST_TEST(up.allocations() == 1u);
    BOOST_TEST(b == a + 16);  // consecutive bumps are adjacent
    BOOST_TEST(arena.stats().bytes_used == 32u);
    BOOST_TEST(arena.stats().chunk_count == 1u);
}

BOOST_AUTO_TEST_CASE(chunks_grow_geometrically_up_to_the_maximum) {
    counting_resource up;
    frame_arena arena(small_chunks(), &up);
    // 1 KiB requests: payloads (chunk - 64 B header) of 4K, 8K, 16K, 32K, 64K hold 3, 7, 15, 31, 63 of
    // them (119); the remaining 81 need two more 64K chunks.
    for (int i = 0; i < 200; ++i) (void)arena.allocate(1024, 8);
    const auto s = arena.stats();
    BOOST_TEST(s.chunk_count == 7u);
    BOOST_TEST(s.bytes_reserved == std::size_t(4 + 8 + 16 + 32 + 64 + 64 + 64) * 1024);
    BOOST_TEST(s.bytes_used == 200u * 1024u);
    BOOST_TEST(s.large_block_count == 0u);
}

BOOST_AUTO_TEST_CASE(request_larger_than_a_chunk_gets_its_own_block_freed_at_reset) {
    counting_resource up;
    frame_arena arena(small_chunks(), &up);
    (void)arena.allocate(100, 8);
    auto* big = static_cast<std::byte*>(arena.allocate(100 * 1024, 64));
    BOOST_TEST(framealloc_test::is_aligned(big, 64));
    BOOST_TEST(arena.stats().large_block_count == 1u);
    std::fill(big, big + 100 * 1024, std::byte{0x5a});
    const auto before = up.live_bytes();
    arena.reset();
    BOOST_TEST(arena.stats().large_block_count == 0u);
    BOOST_TEST(up.live_bytes() < before);
    BOOST_TEST(arena.stats().chunk_count == 1u);  // the ordinary chunk is kept
}

BOOST_AUTO_TEST_CASE(steady_state_frames_make_no_upstream_calls) {
    counting_resource up;
    frame_arena arena(small_chunks(), &up);
    auto frame = [&] {
        for (int i = 0; i < 500; ++i) {
            auto* p = static_cast<unsigned char*>(arena.allocate(std::size_t(i % 97) + 1, std::size_t(1) << (i % 7)));
            *p = 1;
        }
        arena.reset();
    };
    frame();  // warm-up
    frame();
    const auto calls = up.calls();
    for (int f = 0; f < 50; ++f) frame();
    BOOST_TEST(up.calls() == calls);
}

BOOST_AUTO_TEST_CASE(reset_trims_to_max_retained_bytes) {
    counting_resource up;
    auto o = small_chunks();
    o.max_retained_bytes = 12 * 1024;  // the 4K and 8K chunks fit, nothing after them
    frame_arena arena(o, &up);
    for (int i = 0; i < 200; ++i) (void)arena.allocate(1024, 8);
    BOOST_TEST(up.live_bytes() > 100 * 1024);
    arena.reset();
    BOOST_TEST(arena.stats().bytes_reserved <= o.max_retained_bytes);
    BOOST_TEST(up.live_bytes() <= static_cast<std::int64_t>(o.max_retained_bytes));
    BOOST_TEST(arena.stats().bytes_used == 0u);
}

BOOST_AUTO_TEST_CASE(retained_zero_returns_everything) {
    counting_resource up;
    auto o = small_chunks();
    o.max_retained_bytes = 0;
    frame_arena arena(o, &up);
    for (int i = 0; i < 50; ++i) (void)arena.allocate(512, 16);
    arena.reset();
    BOOST_TEST(up.live_bytes() == 0);
    BOOST_TEST(up.live_blocks() == 0);
}

BOOST_AUTO_TEST_CASE(destructor_returns_all_memory_upstream) {
    counting_resource up;
    {
        frame_arena arena(small_chunks(), &up);
        for (int i = 0; i < 300; ++i) (void)arena.allocate(std::size_t(i) * 7 + 1, 32);
        (void)arena.allocate(1 << 20, 4096);
    }
    BOOST_TEST(up.live_bytes() == 0);
    BOOST_TEST(up.allocations() == up.deallocations());
}

BOOST_AUTO_TEST_CASE(hard_limit_is_bad_alloc_and_try_is_null) {
    counting_resource up;
    auto o = small_chunks();
    o.hard_limit = 16 * 1024;
    frame_arena arena(o, &up);
    (void)arena.allocate(3000, 8);   // 4K chunk
    (void)arena.allocate(6000, 8);   // 8K chunk: 12K held
    BOOST_CHECK_THROW((void)arena.allocate(8000, 8), std::bad_alloc);  // a 16K chunk would exceed 16K
    BOOST_TEST(arena.try_allocate_checked(8000, 8) == nullptr);
    BOOST_CHECK_THROW((void)arena.allocate(64 * 1024, 8), std::bad_alloc);  // own block, same limit
    BOOST_TEST(arena.stats().bytes_reserved <= o.hard_limit);
    BOOST_TEST(arena.allocate(100, 8) != nullptr);  // still usable inside the limit
}

BOOST_AUTO_TEST_CASE(size_overflow_is_bad_alloc) {
    frame_arena arena(small_chunks());
    const std::size_t huge = std::numeric_limits<std::size_t>::max();
    BOOST_CHECK_THROW((void)arena.allocate(huge, 8), std::bad_alloc);
    BOOST_CHECK_THROW((void)arena.allocate(huge - 10, 4096), std::bad_alloc);
    BOOST_CHECK_THROW((void)arena.allocate(huge / 2, 1024 * 1024), std::bad_alloc);
    BOOST_TEST(arena.try_allocate_checked(huge, 1) == nullptr);
}

BOOST_AUTO_TEST_CASE(alignment_that_is_not_a_power_of_two_is_rejected) {
    frame_arena arena(small_chunks());
    std::pmr::memory_resource& r = arena;
    for (std::size_t bad : {std::size_t(0), std::size_t(3), std::size_t(12), std::size_t(48), std::size_t(4097)}) {
        BOOST_CHECK_THROW((void)r.allocate(16, bad), framealloc::invalid_alignment);
        BOOST_TEST(arena.try_allocate_checked(16, bad) == nullptr);
    }
    std::size_t twenty_four = 24;  // not a constant: the compiler would warn about the literal
    try {
        (void)r.allocate(16, twenty_four);
        BOOST_FAIL("no exception");
    } catch (const framealloc::invalid_alignment& e) {
        BOOST_TEST(e.code() == "FA101");
        BOOST_TEST(e.alignment() == 24u);
    }
}

BOOST_AUTO_TEST_CASE(huge_power_of_two_alignment_is_served_on_the_absolute_address) {
    frame_arena arena(small_chunks());
    for (std::size_t a = 8192; a <= (std::size_t(1) << 21); a <<= 1) {
        void* p = arena.allocate(100, a);
        BOOST_TEST(framealloc_test::is_aligned(p, a));
    }
}

BOOST_AUTO_TEST_CASE(bad_options_are_config_errors) {
    frame_arena_options o;
    o.initial_chunk_size = 0;
    BOOST_CHECK_THROW(frame_arena{o}, framealloc::config_error);
    o = {};
    o.growth_factor = 0;
    BOOST_CHECK_THROW(frame_arena{o}, framealloc::config_error);
    o = {};
    o.max_chunk_size = o.initial_chunk_size / 2;
    BOOST_CHECK_THROW(frame_arena{o}, framealloc::config_error);
}

BOOST_AUTO_TEST_CASE(sealed_arena_refuses_with_fa001) {
    frame_arena arena(small_chunks());
    (void)arena.allocate(8, 8);
    arena.seal();
    try {
        (void)arena.allocate(8, 8);
        BOOST_FAIL("no exception");
    } catch (const framealloc::frame_error& e) {
        BOOST_TEST(e.code() == "FA001");
    }
    BOOST_TEST(arena.try_allocate_inline(8, 8) == nullptr);
    arena.reset();  // a reset keeps the seal
    BOOST_CHECK_THROW((void)arena.allocate(8, 8), framealloc::frame_error);
    arena.unseal();
    BOOST_TEST(arena.allocate(8, 8) != nullptr);
}

BOOST_AUTO_TEST_CASE(zero_size_requests_return_usable_distinct_from_null_pointers) {
    frame_arena arena(small_chunks());
    void* p = arena.allocate(0, 1);
    BOOST_TEST(p != nullptr);
    void* q = arena.allocate(0, 64);
    BOOST_TEST(q != nullptr);
    BOOST_TEST(framealloc_test::is_aligned(q, 64));
    BOOST_TEST(p != q);
    BOOST_TEST(arena.allocate(0, 1) != arena.allocate(0, 1));  // distinct, like operator new(0)
}

BOOST_AUTO_TEST_CASE(is_equal_only_to_itself) {
    frame_arena a, b;
    BOOST_TEST(a.is_equal(a));
    BOOST_TEST(!a.is_equal(b));
}

BOOST_AUTO_TEST_SUITE_END()
