// Markers, rewind and frame_scope: memory and destructors after the marker are released, stack
// discipline is enforced, and markers from elsewhere are refused with FA004.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <vector>

#include "counting_resource.hpp"

import framealloc;

using framealloc::frame_arena;

namespace {
framealloc::frame_arena_options small_chunks() {
    framealloc::frame_arena_options o;
    o.initial_chunk_size = 4096;
    o.max_chunk_size = 16384;
    return o;
}

std::vector<int> destroyed;
struct logged {
    int id;
    explicit logged(int i) : id(i) {}
    ~logged() { destroyed.push_back(id); }
};

logged* make_logged(frame_arena& arena, int id) {
    void* mem = arena.allocate(sizeof(logged), alignof(logged));
    auto* node = static_cast<framealloc::detail::destructor_node*>(
        arena.allocate(sizeof(framealloc::detail::destructor_node), alignof(framealloc::detail::destructor_node)));
    auto* obj = ::new (mem) logged(id);
    *node = {nullptr, &framealloc::detail::destroy_array<logged>, obj, 1};
    arena.register_destructor(node);
    return obj;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(markers)

BOOST_AUTO_TEST_CASE(rewind_reuses_the_same_bytes) {
    frame_arena arena(small_chunks());
    (void)arena.allocate(10, 1);
    const auto m = arena.mark();
    void* a = arena.allocate(100, 16);
    const auto used = arena.bytes_used();
    arena.rewind(m);
    BOOST_TEST(arena.bytes_used() < used);
    void* b = arena.allocate(100, 16);
    BOOST_TEST(a == b);
}

BOOST_AUTO_TEST_CASE(rewind_across_chunks_and_own_blocks) {
    framealloc_test::counting_resource up;
    frame_arena arena(small_chunks(), &up);
    (void)arena.allocate(100, 8);
    const auto m = arena.mark();
    const auto used = arena.bytes_used();
    for (int i = 0; i < 100; ++i) (void)arena.allocate(1000, 8);  // several chunks
    (void)arena.allocate(100000, 8);                                // own block
    BOOST_TEST(arena.stats().large_block_count == 1u);
    const auto live = up.live_bytes();
    arena.rewind(m);
    BOOST_TEST(arena.bytes_used() == used);
    BOOST_TEST(arena.stats().large_block_count == 0u);
    BOOST_TEST(up.live_bytes() < live);  // the own block went back upstream
    const auto calls = up.calls();
    for (int i = 0; i < 100; ++i) (void)arena.allocate(1000, 8);  // the retained chunks serve again
    BOOST_TEST(up.calls() == calls);
}

BOOST_AUTO_TEST_CASE(rewind_runs_only_later_destructors_newest_first) {
    destroyed.clear();
    frame_arena arena(small_chunks());
    make_logged(arena, 1);
    const auto m = arena.mark();
    make_logged(arena, 2);
    make_logged(arena, 3);
    arena.rewind(m);
    BOOST_TEST(destroyed == (std::vector<int>{3, 2}));
    arena.reset();
    BOOST_TEST(destroyed == (std::vector<int>{3, 2, 1}));
    arena.reset();
    BOOST_TEST(destroyed.size() == 3u);  // exactly once
}

BOOST_AUTO_TEST_CASE(nested_markers_follow_stack_discipline) {
    frame_arena arena(small_chunks());
    const auto outer = arena.mark();
    (void)arena.allocate(64, 8);
    const auto inner = arena.mark();
    (void)arena.allocate(64, 8);
    arena.rewind(inner);
    arena.rewind(inner);  // rewinding twice to the same marker is fine
    (void)arena.allocate(64, 8);
    arena.rewind(outer);
    try {
        arena.rewind(inner);  // released by the rewind to outer
        BOOST_FAIL("no exception");
    } catch (const framealloc::frame_error& e) {
        BOOST_TEST(e.code() == "FA004");
    }
    // Even after the cursor has passed inner's position again, inner stays invalid.
    for (int i = 0; i < 10; ++i) (void)arena.allocate(64, 8);
    BOOST_CHECK_THROW(arena.rewind(inner), framealloc::frame_error);
    arena.rewind(outer);
}

BOOST_AUTO_TEST_CASE(deep_nesting_beyond_the_rewind_log_never_accepts_an_invalid_marker) {
    frame_arena arena(small_chunks());
    std::vector<framealloc::frame_marker> stack;
    for (int depth = 0; depth < 100; ++depth) {
        stack.push_back(arena.mark());
        (void)arena.allocate(8, 8);
    }
    // Rewind every other level from the inside out, then check that every marker above the last target
    // is refused.
    for (int depth = 99; depth >= 1; depth -= 2) BOOST_TEST(arena.try_rewind(stack[std::size_t(depth)]));
    for (int depth = 2; depth < 100; ++depth) BOOST_TEST(!arena.try_rewind(stack[std::size_t(depth)]));
    BOOST_TEST(arena.try_rewind(stack[1]));
    BOOST_TEST(arena.try_rewind(stack[0]));
}

BOOST_AUTO_TEST_CASE(rewind_log_overflow_still_refuses_released_markers) {
    frame_arena arena(small_chunks());
    const auto a = arena.mark();
    (void)arena.allocate(8, 8);
    const auto b = arena.mark();
    arena.rewind(a);  // b is released
    // Many rewinds that each invalidate nothing overflow the log (capacity 32) and force merges.
    for (int i = 0; i < 100; ++i) {
        const auto m = arena.mark();
        (void)arena.allocate(8, 8);
        arena.rewind(m);
    }
    BOOST_TEST(!arena.try_rewind(b));
    BOOST_TEST(arena.try_rewind(a));
}

BOOST_AUTO_TEST_CASE(foreign_and_stale_markers_are_refused) {
    frame_arena a(small_chunks()), b(small_chunks());
    const auto ma = a.mark();
    BOOST_CHECK_THROW(b.rewind(ma), framealloc::frame_error);
    a.reset();
    BOOST_CHECK_THROW(a.rewind(ma), framealloc::frame_error);  // from an earlier frame
    BOOST_TEST(!a.try_rewind(framealloc::frame_marker{}));
}

BOOST_AUTO_TEST_CASE(frame_scope_releases_at_scope_end) {
    destroyed.clear();
    frame_arena arena(small_chunks());
    (void)arena.allocate(32, 8);
    const auto before = arena.bytes_used();
    {
        framealloc::frame_scope scope(arena);
        make_logged(arena, 7);
        (void)arena.allocate(5000, 8);
        BOOST_TEST(arena.bytes_used() > before);
    }
    BOOST_TEST(arena.bytes_used() == before);
    BOOST_TEST(destroyed == (std::vector<int>{7}));
}

BOOST_AUTO_TEST_CASE(frame_scope_outliving_its_frame_does_nothing) {
    frame_arena arena(small_chunks());
    {
        framealloc::frame_scope scope(arena);
        (void)arena.allocate(32, 8);
        arena.reset();
        (void)arena.allocate(48, 8);
    }
    BOOST_TEST(arena.bytes_used() == 48u);  // the new frame's memory is untouched
}

BOOST_AUTO_TEST_SUITE_END()
