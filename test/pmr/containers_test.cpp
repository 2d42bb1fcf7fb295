// Standard and Boost.Container containers on frame_resource: build, fill, read back, across frames,
// with contents checked (a container never sees memory another container owns).
#include <boost/container/flat_map.hpp>
#include <boost/container/pmr/flat_map.hpp>
#include <boost/container/pmr/resource_adaptor.hpp>
#include <boost/container/pmr/vector.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "counting_resource.hpp"

import framealloc;

namespace {
template <class T>
using frame_alloc_t = std::pmr::polymorphic_allocator<T>;

framealloc::frame_arena_options small_chunks() {
    framealloc::frame_arena_options o;
    o.initial_chunk_size = 8 * 1024;
    o.max_chunk_size = 1024 * 1024;
    return o;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(pmr_containers)

BOOST_AUTO_TEST_CASE(std_pmr_containers_on_frame_memory_over_many_frames) {
    framealloc_test::counting_resource up;
    framealloc::frame_resource frames(small_chunks(), &up);
    std::uint64_t warm_calls = 0;
    for (int frame = 0; frame < 12; ++frame) {
        {  // the containers die before the frame ends: their destructors walk frame memory
        std::pmr::vector<int> v(&frames);
        std::pmr::string s(&frames);
        std::pmr::unordered_map<int, std::pmr::string> um(&frames);
        std::pmr::map<int, int> m(&frames);
        std::pmr::deque<double> d(&frames);
        std::pmr::list<int> l(&frames);
        for (int i = 0; i < 3000; ++i) {
            v.push_back(i * frame);
            s += static_cast<char>('a' + i % 26);
            um.emplace(i, std::pmr::string(std::to_string(i) + " is a long enough string to leave SSO", &frames));
            m[i * 7 % 3001] = i;
            d.push_front(i * 0.5);
            l.push_back(-i);
        }
        for (int i = 0; i < 3000; ++i) {
            BOOST_REQUIRE(v[std::size_t(i)] == i * frame);
            BOOST_REQUIRE(s[std::size_t(i)] == static_cast<char>('a' + i % 26));
            BOOST_REQUIRE(std::string_view(um.at(i)) == std::to_string(i) + " is a long enough string to leave SSO");
            BOOST_REQUIRE(m.at(i * 7 % 3001) == i);
            BOOST_REQUIRE(d[std::size_t(2999 - i)] == i * 0.5);
        }
        int expected = 0;
        for (int x : l) BOOST_REQUIRE(x == expected--);
        BOOST_TEST(um.get_allocator().resource() == &frames);
        }
        frames.end_frame();
        if (frame == 3) warm_calls = up.calls();
    }
    BOOST_TEST(up.calls() == warm_calls);
}

BOOST_AUTO_TEST_CASE(boost_container_flat_map_and_small_vector_on_frame_memory) {
    framealloc::frame_resource frames(small_chunks());
    for (int frame = 0; frame < 5; ++frame) {
        boost::container::flat_map<int, double, std::less<int>, frame_alloc_t<std::pair<int, double>>> fm{
            frame_alloc_t<std::pair<int, double>>(&frames)};
        using small_vector_t = boost::container::small_vector<int, 8, frame_alloc_t<int>>;
        small_vector_t sv{small_vector_t::allocator_type(frame_alloc_t<int>(&frames))};
        for (int i = 0; i < 2000; ++i) {
            fm.emplace((i * 31) % 2003, i * 1.5);
            sv.push_back(i + frame);
        }
        BOOST_TEST(fm.size() == 2000u);
        for (int i = 0; i < 2000; ++i) BOOST_REQUIRE(fm.at((i * 31) % 2003) == i * 1.5);
        for (int i = 0; i < 2000; ++i) BOOST_REQUIRE(sv[std::size_t(i)] == i + frame);
        BOOST_TEST(frames.stats().bytes_used > 2000u * sizeof(int));
        frames.end_frame();
    }
}

// Boost.Container's pmr containers take a boost::container::pmr::memory_resource, a class of its own:
// resource_adaptor over a std::pmr::polymorphic_allocator bridges any std::pmr resource of ours
// (over-aligned requests are aligned by the adaptor inside a larger block).
BOOST_AUTO_TEST_CASE(boost_container_pmr_containers_through_resource_adaptor) {
    using bridge = boost::container::pmr::resource_adaptor<std::pmr::polymorphic_allocator<char>>;
    framealloc::pool_resource pool;
    bridge on_pool{std::pmr::polymorphic_allocator<char>(&pool)};
    {
        boost::container::pmr::vector<std::uint64_t> v(&on_pool);
        boost::container::pmr::flat_map<int, int> m(&on_pool);
        for (int i = 0; i < 500; ++i) {
            v.push_back(std::uint64_t(i) * 3);
            m.emplace(i * 7 % 503, i);
        }
        BOOST_TEST(pool.stats().slab_count > 0u);  // the memory is the pool's
        for (int i = 0; i < 500; ++i) BOOST_REQUIRE(v[std::size_t(i)] == std::uint64_t(i) * 3);
        for (int i = 0; i < 500; ++i) BOOST_REQUIRE(m.at(i * 7 % 503) == i);
        boost::container::pmr::memory_resource& as_boost = on_pool;
        void* wide = as_boost.allocate(256, 64);  // over-aligned: served by the adaptor inside a pool block
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(wide) % 64 == 0u);
        as_boost.deallocate(wide, 256, 64);
    }

    framealloc::frame_resource frames(small_chunks());
    bridge on_frames{std::pmr::polymorphic_allocator<char>(&frames)};
    for (int frame = 0; frame < 3; ++frame) {
        {
            boost::container::pmr::vector<int> v(&on_frames);
            for (int i = 0; i < 1000; ++i) v.push_back(i + frame);
            for (int i = 0; i < 1000; ++i) BOOST_REQUIRE(v[std::size_t(i)] == i + frame);
            BOOST_TEST(frames.stats().bytes_used >= 1000u * sizeof(int));
        }
        frames.end_frame();
    }
}

BOOST_AUTO_TEST_CASE(smart_alloc_frame_vector_and_string) {
    framealloc::smart_alloc alloc(framealloc::alloc_config::minimal());
    alloc.begin_frame();
    auto v = alloc.frame_vector<std::pmr::string>();
    for (int i = 0; i < 100; ++i) v.emplace_back(std::to_string(i) + " something well past the SSO buffer");
    BOOST_TEST(v.get_allocator().resource() == &alloc.frame_resource());
    BOOST_TEST(v[42].get_allocator().resource() == &alloc.frame_resource());  // uses-allocator construction
    auto s = alloc.frame_string("hello frame");
    auto t = alloc.frame_string(std::size_t(40), 'x');
    BOOST_TEST(std::string_view(s) == "hello frame");
    BOOST_TEST(std::string_view(t) == std::string(40, 'x'));
    BOOST_TEST(s.get_allocator().resource() == &alloc.frame_resource());
    BOOST_TEST(std::string_view(v[99]) == "99 something well past the SSO buffer");
    v = decltype(v)(&alloc.frame_resource());
    alloc.end_frame();
}

BOOST_AUTO_TEST_SUITE_END()
