// tagged_resource: attribution to its tag whatever the thread's tag, counted once (by the framealloc
// resource underneath, or by the wrapper for a foreign upstream), and the tag's budgets applied.
#include <boost/test/unit_test.hpp>

#include "counting_resource.hpp"

#include <memory_resource>
#include <string>
#include <vector>

import framealloc;

namespace {
framealloc::usage_stats total_of(const char* path) {
    const auto s = framealloc::collect_stats();
    const framealloc::tag_stats* t = s.find_tag(path);
    return t != nullptr ? t->total : framealloc::usage_stats{};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(tagged_resource)

BOOST_AUTO_TEST_CASE(a_foreign_upstream_is_counted_as_heap_of_the_tag) {
    framealloc_test::counting_resource upstream;
    framealloc::tagged_resource audio(&upstream, "tagged_audio");
    BOOST_TEST(audio.counts_itself());
    {
        framealloc::scoped_tag elsewhere("tagged_other");  // the resource's tag wins
        void* p = audio.allocate(300, 8);
        audio.deallocate(p, 300, 8);
        BOOST_TEST(framealloc::current_tag() == elsewhere.id());  // restored after each call
    }
    const auto t = total_of("tagged_audio");
    BOOST_TEST(t.heap.allocations == 1u);
    BOOST_TEST(t.heap.bytes == 300u);
    BOOST_TEST(t.heap.frees == 1u);
    BOOST_TEST(total_of("tagged_other").allocations() == 0u);
    BOOST_TEST(upstream.allocations() == 1u);
}

BOOST_AUTO_TEST_CASE(a_bad_alignment_is_fa101_before_a_foreign_upstream_sees_it) {
    framealloc_test::counting_resource upstream;
    framealloc::tagged_resource audio(&upstream, "tagged_bad_alignment");
    BOOST_CHECK_THROW((void)audio.allocate(64, 3), framealloc::invalid_alignment);
    BOOST_CHECK_THROW((void)audio.allocate(64, 0), framealloc::invalid_alignment);
    BOOST_CHECK_THROW((void)audio.allocate(64, 24), framealloc::invalid_alignment);
    BOOST_TEST(upstream.calls() == 0u);
    BOOST_TEST(total_of("tagged_bad_alignment").heap.allocations == 0u);
}

BOOST_AUTO_TEST_CASE(a_framealloc_upstream_counts_once_under_the_tag) {
    framealloc::pool_resource pool;
    framealloc::tagged_resource ai(&pool, "tagged_ai_pool");
    BOOST_TEST(!ai.counts_itself());
    {
        std::pmr::vector<int> v(&ai);
        v.reserve(16);  // 64 bytes of pool
    }
    const auto t = total_of("tagged_ai_pool");
    BOOST_TEST(t.pool.allocations == 1u);
    BOOST_TEST(t.pool.bytes == 64u);
    BOOST_TEST(t.pool.frees == 1u);
    BOOST_TEST(t.heap.allocations == 0u);
}

BOOST_AUTO_TEST_CASE(the_tag_budget_refuses_before_the_upstream_is_asked) {
    framealloc_test::counting_resource upstream;
    framealloc::tagged_resource net(&upstream, "tagged_net");
    framealloc::budget_limits l;
    l.hard_limit = 100;
    framealloc::set_tag_budget(net.tag(), l);
    void* p = net.allocate(100, 8);
    BOOST_CHECK_THROW((void)net.allocate(1, 1), framealloc::budget_exceeded);
    BOOST_TEST(upstream.allocations() == 1u);
    net.deallocate(p, 100, 8);
    framealloc::clear_tag_budget(net.tag());
}

BOOST_AUTO_TEST_SUITE_END()
