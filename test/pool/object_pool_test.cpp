// object_pool<T>, pool_ptr<T>, pool_allocator<T>, and smart_alloc's pool_alloc / heap_alloc.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
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

// try_pool_alloc / try_heap_alloc / object_pool::try_make: empty where the throwing forms throw
// std::bad_alloc (here a tag budget under `fail`, FA401); a throwing constructor still throws and its
// memory goes back.
BOOST_AUTO_TEST_CASE(try_forms_are_empty_where_the_memory_cannot_be_had) {
    live = 0;
    framealloc::smart_alloc alloc;
    const auto id = framealloc::intern_tag("object_pool_try_budget");
    framealloc::budget_limits limits;
    limits.hard_limit = 3 * sizeof(component);  // room for three components, whatever their kind
    limits.hard_policy = framealloc::budget_policy::fail;
    framealloc::set_tag_budget(id, limits);
    alloc.with_tag("object_pool_try_budget", [&] {
        framealloc::object_pool<component> components(alloc.pool_resource());
        auto a = alloc.try_pool_alloc<component>();
        auto b = alloc.try_heap_alloc<component>();
        auto c = components.try_make();
        BOOST_TEST((a && b && c));
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(a.get()) % alignof(component) == 0u);
        BOOST_TEST(a.resource() == &alloc.pool_resource());
        BOOST_TEST(b.resource() == &alloc.heap_resource());
        auto none = alloc.try_pool_alloc<component>();  // the budget is spent
        BOOST_TEST(!none);
        BOOST_TEST(!alloc.try_heap_alloc<component>());
        BOOST_TEST(!components.try_make());
        BOOST_CHECK_THROW((void)alloc.pool_alloc<component>(), framealloc::budget_exceeded);
        BOOST_CHECK_THROW((void)alloc.heap_alloc<component>(), std::bad_alloc);
        BOOST_TEST(alloc.heap_resource().stats().live_bytes == sizeof(component));  // only b
    });
    framealloc::clear_tag_budget(id);
    alloc.with_tag("object_pool_try_throws", [&] {
        BOOST_CHECK_THROW((void)alloc.try_pool_alloc<fails>(), std::runtime_error);
        BOOST_CHECK_THROW((void)alloc.try_heap_alloc<fails>(), std::runtime_error);
    });
    const auto stats = framealloc::collect_stats();
    const framealloc::tag_stats* t = stats.find_tag("object_pool_try_throws");
    BOOST_REQUIRE(t != nullptr);
    BOOST_TEST((t->total.pool.allocations == 1u && t->total.pool.frees == 1u));  // the memory went back
    BOOST_TEST((t->total.heap.allocations == 1u && t->total.heap.frees == 1u));
    BOOST_TEST(alloc.heap_resource().stats().live_bytes == 0u);
    auto e = alloc.try_pool_alloc<entity>(9);
    BOOST_TEST((e && e->id == 9 && live == 1));
}

BOOST_AUTO_TEST_SUITE_END()
