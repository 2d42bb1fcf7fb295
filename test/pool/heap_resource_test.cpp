// heap_resource: the tracked heap forwards to its upstream, counts what is live, and refuses an
// alignment that is not a power of two (FA101) before the upstream or the statistics see the request.
#include <boost/test/unit_test.hpp>

#include "counting_resource.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

import framealloc;

namespace {
// Heap allocations counted under `path` (all threads); 0 when the tag has no statistics at all.
std::uint64_t heap_allocations_of(const char* path) {
    const auto s = framealloc::collect_stats();
    const framealloc::tag_stats* t = s.find_tag(path);
    return t != nullptr ? t->total.heap.allocations : 0;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(heap_resources)

BOOST_AUTO_TEST_CASE(forwards_counts_and_returns_aligned_blocks) {
    framealloc_test::counting_resource upstream;
    framealloc::heap_resource heap(&upstream);
    framealloc::scoped_tag tag("heap_test_forwards");
    void* p = heap.allocate(1000, 64);
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % 64 == 0u);
    BOOST_TEST(upstream.allocations() == 1u);
    BOOST_TEST(heap.stats().live_bytes == 1000u);
    heap.deallocate(p, 1000, 64);
    BOOST_TEST(upstream.deallocations() == 1u);
    BOOST_TEST(heap.stats().live_bytes == 0u);
    BOOST_TEST(heap.stats().peak_bytes == 1000u);
    BOOST_TEST(heap_allocations_of("heap_test_forwards") == 1u);
}

BOOST_AUTO_TEST_CASE(an_alignment_that_is_not_a_power_of_two_is_fa101) {
    framealloc_test::counting_resource upstream;
    framealloc::heap_resource heap(&upstream);
    framealloc::scoped_tag tag("heap_test_bad_alignment");
    for (std::size_t bad : {std::size_t{0}, std::size_t{3}, std::size_t{48}, std::size_t{100}}) {
        bool thrown = false;
        try {
            (void)heap.allocate(64, bad);
        } catch (const framealloc::invalid_alignment& e) {
            thrown = true;
            BOOST_TEST(e.alignment() == bad);
            BOOST_TEST(e.code() == std::string_view("FA101"));
        }
        BOOST_TEST(thrown, "alignment " << bad);
    }
    BOOST_TEST(upstream.calls() == 0u);  // never handed to operator new
    BOOST_TEST(heap.stats().allocations == 0u);
    BOOST_TEST(heap_allocations_of("heap_test_bad_alignment") == 0u);  // nothing charged
}

BOOST_AUTO_TEST_SUITE_END()
