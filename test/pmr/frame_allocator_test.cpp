// frame_allocator<T>: a standard Allocator bound at compile time.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <list>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "memory_checks.hpp"

import framealloc;

using framealloc::frame_allocator;

BOOST_AUTO_TEST_SUITE(frame_allocator_suite)

BOOST_AUTO_TEST_CASE(standard_containers_with_frame_allocator) {
    framealloc::frame_resource frames;
    for (int frame = 0; frame < 4; ++frame) {
        std::vector<int, frame_allocator<int>> v{frame_allocator<int>(frames)};
        std::map<int, std::string, std::less<int>, frame_allocator<std::pair<const int, std::string>>> m{
            frame_allocator<std::pair<const int, std::string>>(frames)};
        std::list<double, frame_allocator<double>> l{frame_allocator<double>(frames)};
        for (int i = 0; i < 5000; ++i) {
            v.push_back(i);
            m.emplace(i, std::to_string(i));
            l.push_back(i * 0.25);
        }
        for (int i = 0; i < 5000; ++i) {
            BOOST_REQUIRE(v[std::size_t(i)] == i);
            BOOST_REQUIRE(m.at(i) == std::to_string(i));
        }
        BOOST_TEST(l.back() == 4999 * 0.25);
        BOOST_TEST(frames.stats().bytes_used >= 5000u * sizeof(int));
        v = decltype(v)(frame_allocator<int>(frames));
        m.clear();
        l.clear();
        frames.end_frame();
    }
}

BOOST_AUTO_TEST_CASE(equality_rebind_and_overflow) {
    framealloc::frame_resource a, b;
    frame_allocator<int> ia(a), ib(b);
    frame_allocator<double> da(ia);
    BOOST_TEST((ia == da));
    BOOST_TEST(!(ia == ib));
    BOOST_TEST(da.resource() == &a);
    BOOST_CHECK_THROW((void)ia.allocate(std::numeric_limits<std::size_t>::max() / 2), std::bad_alloc);
    struct alignas(8192) huge_align {
        char c;
    };
    frame_allocator<huge_align> ha(a);
    BOOST_TEST(framealloc_test::is_aligned(ha.allocate(3), 8192));
}

BOOST_AUTO_TEST_SUITE_END()
