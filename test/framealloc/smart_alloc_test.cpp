// smart_alloc frame part: typed allocation, arrays, destructors at end_frame(), try_ variants, scopes,
// configuration presets.
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "counting_resource.hpp"
#include "memory_checks.hpp"

#include <framealloc/macros.hpp>

import framealloc;

namespace {
std::vector<int> destroyed;
std::atomic<int> live{0};  // constructed on several threads in one test

struct tracked {
    int id;
    std::string name;  // non-trivial member, on the heap when long
    explicit tracked(int i) : id(i), name("tracked object number " + std::to_string(i)) { ++live; }
    tracked() : tracked(-1) {}
    ~tracked() {
        destroyed.push_back(id);
        --live;
    }
};

struct throws_on_third {
    static inline int constructed = 0;
    static inline int destroyed_count = 0;
    throws_on_third() {
        if (++constructed == 3) throw std::runtime_error("third");
    }
    ~throws_on_third() { ++destroyed_count; }
};

framealloc::alloc_config small() {
    auto c = framealloc::alloc_config::minimal();
    c.frame_chunk_size = 4096;
    return c;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(smart_alloc_suite)

BOOST_AUTO_TEST_CASE(frame_alloc_constructs_with_arguments) {
    framealloc::smart_alloc alloc(small());
    alloc.begin_frame();
    auto* a = alloc.frame_alloc<std::array<float, 1024>>();
    a->fill(2.5f);
    auto* p = alloc.frame_alloc<std::pair<int, double>>(7, 1.5);
    BOOST_TEST(p->first == 7);
    BOOST_TEST(p->second == 1.5);
    BOOST_TEST((*a)[1023] == 2.5f);
    BOOST_TEST(framealloc_test::is_aligned(a, alignof(std::array<float, 1024>)));
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(destructors_run_at_end_frame_in_reverse_order_exactly_once) {
    destroyed.clear();
    live = 0;
    framealloc::smart_alloc alloc(small());
    alloc.begin_frame();
    for (int i = 0; i < 5; ++i) (void)alloc.frame_alloc<tracked>(i);
    BOOST_TEST(live == 5);
    BOOST_TEST(destroyed.empty());
    alloc.end_frame();
    BOOST_TEST(destroyed == (std::vector<int>{4, 3, 2, 1, 0}));
    BOOST_TEST(live == 0);
    alloc.begin_frame();
    alloc.end_frame();
    BOOST_TEST(destroyed.size() == 5u);
}

BOOST_AUTO_TEST_CASE(destructors_of_every_thread_run_at_end_frame) {
    live = 0;
    framealloc::smart_alloc alloc(small());
    alloc.begin_frame();
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) (void)alloc.frame_alloc<tracked>(t * 1000 + i);
        });
    for (auto& t : threads) t.join();
    (void)alloc.frame_alloc<tracked>(-5);
    BOOST_TEST(live == 301);
    alloc.end_frame();
    BOOST_TEST(live == 0);
}

BOOST_AUTO_TEST_CASE(frame_array_value_initialises_and_destroys_all) {
    destroyed.clear();
    live = 0;
    framealloc::smart_alloc alloc(small());
    alloc.begin_frame();
    auto ints = alloc.frame_array<std::uint64_t>(1000);
    BOOST_TEST(ints.size() == 1000u);
    for (auto v : ints) BOOST_REQUIRE(v == 0u);
    auto objs = alloc.frame_array<tracked>(4);
    BOOST_TEST(live == 4);
    for (int i = 0; i < 4; ++i) objs[std::size_t(i)].id = i;
    alloc.end_frame();
    BOOST_TEST(destroyed == (std::vector<int>{3, 2, 1, 0}));
    BOOST_TEST(live == 0);
}

BOOST_AUTO_TEST_CASE(frame_array_constructor_failure_destroys_what_was_built) {
    throws_on_third::constructed = 0;
    throws_on_third::destroyed_count = 0;
    framealloc::smart_alloc alloc(small());
    alloc.begin_frame();
    BOOST_CHECK_THROW((void)alloc.frame_array<throws_on_third>(5), std::runtime_error);
    BOOST_TEST(throws_on_third::destroyed_count == 2);
    alloc.end_frame();
    BOOST_TEST(throws_on_third::destroyed_count == 2);  // nothing registered twice
}

BOOST_AUTO_TEST_CASE(overflowing_sizes_are_bad_alloc_and_try_returns_null) {
    framealloc::smart_alloc alloc(small());
    alloc.begin_frame();
    const std::size_t huge = std::numeric_limits<std::size_t>::max();
    BOOST_CHECK_THROW((void)alloc.frame_array<std::uint64_t>(huge / 4), std::bad_alloc);
    BOOST_CHECK_THROW((void)alloc.frame_alloc_bytes(huge - 8, 16), std::bad_alloc);
    BOOST_TEST(alloc.try_frame_array<std::uint64_t>(huge / 4).data() == nullptr);
    BOOST_TEST(alloc.try_frame_alloc_bytes(huge, 8) == nullptr);
    BOOST_CHECK_THROW((void)alloc.frame_alloc_bytes(16, 3), framealloc::invalid_alignment);
    BOOST_TEST(alloc.try_frame_alloc_bytes(16, 3) == nullptr);
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(thread_hard_limit_is_bad_alloc_and_try_variants_return_null) {
    auto config = small();
    config.frame_thread_limit = 64 * 1024;
    framealloc::smart_alloc alloc(config);
    alloc.begin_frame();
    using big = std::array<char, 100 * 1024>;
    BOOST_CHECK_THROW((void)alloc.frame_alloc<big>(), std::bad_alloc);
    BOOST_TEST(alloc.try_frame_alloc<big>() == nullptr);
    BOOST_TEST(alloc.try_frame_array<tracked>(10000).data() == nullptr);
    auto* ok = alloc.try_frame_alloc<int>(5);
    BOOST_REQUIRE(ok != nullptr);
    BOOST_TEST(*ok == 5);
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(frame_scope_releases_memory_and_destroys_objects) {
    destroyed.clear();
    framealloc::smart_alloc alloc(small());
    alloc.begin_frame();
    (void)alloc.frame_alloc<tracked>(1);
    const auto used = alloc.frame_resource().local_arena().bytes_used();
    {
        auto scope = alloc.frame_scope();
        (void)alloc.frame_alloc<tracked>(2);
        (void)alloc.frame_array<double>(1000);
    }
    BOOST_TEST(destroyed == (std::vector<int>{2}));
    BOOST_TEST(alloc.frame_resource().local_arena().bytes_used() == used);
    {
        FRAMEALLOC_FRAME_SCOPE(alloc);
        (void)alloc.frame_alloc<tracked>(3);
    }
    BOOST_TEST(destroyed == (std::vector<int>{2, 3}));
    alloc.end_frame();
    BOOST_TEST(destroyed == (std::vector<int>{2, 3, 1}));
}

BOOST_AUTO_TEST_CASE(thread_frame_handle_has_frame_alloc_semantics) {
    destroyed.clear();
    live = 0;
    framealloc::smart_alloc alloc(small());
    alloc.begin_frame();
    framealloc::frame_handle frame = alloc.thread_frame();
    BOOST_TEST(&frame.arena() == &alloc.frame_resource().local_arena());
    for (int i = 0; i < 3; ++i) (void)frame.alloc<tracked>(i);
    auto values = frame.array<std::uint32_t>(100);
    BOOST_TEST(values[99] == 0u);
    BOOST_TEST(framealloc_test::is_aligned(frame.bytes(10, 256), 256));
    BOOST_TEST(*frame.alloc<int>(42) == 42);
    BOOST_TEST(live == 3);
    alloc.end_frame();
    BOOST_TEST(destroyed == (std::vector<int>{2, 1, 0}));
    BOOST_CHECK_THROW((void)frame.alloc<int>(1), framealloc::frame_error);  // the frame is closed: FA001
}

BOOST_AUTO_TEST_CASE(presets_and_config_are_honoured) {
    framealloc_test::counting_resource up;
    auto config = framealloc::alloc_config::minimal();
    config.upstream = &up;
    framealloc::smart_alloc alloc(config);
    BOOST_TEST(alloc.config().frame_chunk_size == config.frame_chunk_size);
    alloc.begin_frame();
    for (int i = 0; i < 2000; ++i) (void)alloc.frame_alloc_bytes(1024, 8);  // 2 MiB in one frame
    const auto ended = alloc.end_frame();
    BOOST_TEST(ended.bytes_used >= 2000u * 1024u);
    BOOST_TEST(up.allocations() > 0u);
    BOOST_TEST(up.live_bytes() <= static_cast<std::int64_t>(config.frame_retained_bytes));  // minimal() trims
    const auto hp = framealloc::alloc_config::high_performance();
    BOOST_TEST(hp.frame_chunk_size > config.frame_chunk_size);
    BOOST_TEST(hp.frame_retained_bytes >= hp.frame_max_chunk_size);
    auto bad = framealloc::alloc_config{};
    bad.frame_chunk_growth = 0;
    BOOST_CHECK_THROW(framealloc::smart_alloc{bad}, framealloc::config_error);
}

BOOST_AUTO_TEST_CASE(high_performance_preset_keeps_everything_after_warm_up) {
    framealloc_test::counting_resource up;
    auto config = framealloc::alloc_config::high_performance();
    config.upstream = &up;
    framealloc::smart_alloc alloc(config);
    std::uint64_t calls = 0;
    for (int frame = 0; frame < 10; ++frame) {
        alloc.begin_frame();
        for (int i = 0; i < 5000; ++i) (void)alloc.frame_alloc_bytes(std::size_t(1000 + frame % 3), 16);
        alloc.end_frame();
        if (frame == 1) calls = up.calls();
    }
    BOOST_TEST(up.calls() == calls);
}

BOOST_AUTO_TEST_SUITE_END()
