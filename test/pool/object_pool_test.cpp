// object_pool<T>, pool_ptr<T>, pool_allocator<T>, and smart_alloc's pool_alloc / heap_alloc.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <list>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "memory_checks.hpp"

import framealloc;

namespace {
int live = 0;
struct entity {
    int id;
    std::string name;
    explicit entity(int i) : id(i), name("entity with a name long enough for the heap " + std::to_string(i)) { ++live; }
    ~entity() { --live; }
};
struct alignas(64) component {
    float data[5];
};
struct fails {
    fails() { throw std::runtime_error("nope"); }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(object_pools)

BOOST_AUTO_TEST_CASE(pool_ptr_runs_the_destructor_and_moves) {
    live = 0;
    framealloc::pool_resource pool;
    framealloc::object_pool<entity> entities(pool);
    {
        auto a = entities.make(1);
        BOOST_TEST(live == 1);
        BOOST_TEST(a->id == 1);
        auto b = std::move(a);
        BOOST_TEST(!a);
        BOOST_TEST((*b).name.starts_with("entity with"));
        a = entities.make(2);
        a = std::move(b);  // entity 2 destroyed here
        BOOST_TEST(live == 1);
        BOOST_TEST(a->id == 1);
    }
    BOOST_TEST(live == 0);
}

BOOST_AUTO_TEST_CASE(pool_ptr_freed_on_another_thread) {
    live = 0;
    framealloc::pool_resource pool;
    framealloc::object_pool<entity> entities(pool);
    std::vector<framealloc::pool_ptr<entity>> made;
    for (int i = 0; i < 1000; ++i) made.push_back(entities.make(i));
    std::thread([&] { made.clear(); }).join();
    BOOST_TEST(live == 0);
    BOOST_TEST(entities.make(5)->id == 5);
}

BOOST_AUTO_TEST_CASE(over_aligned_types_and_throwing_constructors) {
    framealloc::pool_resource pool;
    framealloc::object_pool<component> components(pool);
    for (int i = 0; i < 100; ++i) BOOST_TEST(framealloc_test::is_aligned(components.make().get(), 64));
    framealloc::object_pool<fails> failing(pool);
    BOOST_CHECK_THROW((void)failing.make(), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(pool_allocator_with_standard_containers) {
    framealloc::pool_resource pool;
    std::list<int, framealloc::pool_allocator<int>> l{framealloc::pool_allocator<int>(pool)};
    std::map<int, double, std::less<int>, framealloc::pool_allocator<std::pair<const int, double>>> m{
        framealloc::pool_allocator<std::pair<const int, double>>(pool)};
    for (int i = 0; i < 10000; ++i) {
        l.push_back(i);
        m.emplace(i, i * 0.5);
    }
    int expected = 0;
    for (int x : l) BOOST_REQUIRE(x == expected++);
    for (int i = 0; i < 10000; i += 3) m.erase(i);
    BOOST_TEST(m.size() == 6666u);
    BOOST_TEST(m.at(10) == 5.0);
    framealloc::pool_allocator<int> a(pool);
    framealloc::pool_allocator<double> b(a);
    BOOST_TEST((a == b));
}

BOOST_AUTO_TEST_CASE(smart_alloc_pool_and_heap_allocations) {
    live = 0;
    framealloc::smart_alloc alloc;
    {
        auto e = alloc.pool_alloc<entity>(7);
        auto big = alloc.heap_alloc<std::vector<int>>(1000, 3);
        BOOST_TEST(e->id == 7);
        BOOST_TEST(big->size() == 1000u);
        BOOST_TEST(alloc.heap_resource().stats().live_bytes == sizeof(std::vector<int>));
        BOOST_TEST(e.resource() == &alloc.pool_resource());
        alloc.begin_frame();  // pool memory does not care about frames
        alloc.end_frame();
        BOOST_TEST(e->id == 7);
    }
    BOOST_TEST(live == 0);
    BOOST_TEST(alloc.heap_resource().stats().live_bytes == 0u);
    struct huge {
        char bytes[100000];
    };
    auto h = alloc.pool_alloc<huge>();  // oversize: the pool sends it to the tracked heap
    BOOST_TEST(alloc.heap_resource().stats().live_bytes == sizeof(huge));
}

BOOST_AUTO_TEST_SUITE_END()
