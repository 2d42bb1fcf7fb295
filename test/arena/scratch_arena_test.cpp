// Named scratch arenas: one arena per name, created on first use from any thread; values live until the
// owner's reset(), which destroys them exactly once; scratch_ptr knows when it dangles; chunk requests
// reach the upstream serialised and all come back.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory_resource>
#include <string>
#include <thread>
#include <vector>

#include "counting_resource.hpp"
#include "memory_checks.hpp"

import framealloc;

namespace {
std::atomic<int> destroyed{0};  // bumped by several threads in one test
struct noted {
    std::string text;
    explicit noted(std::string t) : text(std::move(t)) {}
    ~noted() { ++destroyed; }
};

framealloc::frame_arena_options small_chunks() {
    framealloc::frame_arena_options o;
    o.initial_chunk_size = 4096;
    return o;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(scratch_arenas)

BOOST_AUTO_TEST_CASE(one_arena_per_name_created_on_first_use) {
    framealloc::scratch_registry scratches(small_chunks());
    BOOST_TEST(scratches.find("ai") == nullptr);
    framealloc::scratch_arena& ai = scratches.get("ai");
    BOOST_TEST(&scratches.get("ai") == &ai);
    BOOST_TEST(scratches.find("ai") == &ai);
    BOOST_TEST(&scratches.get("audio") != &ai);
    BOOST_TEST(ai.name() == "ai");
    const std::vector<std::string> names = scratches.names();
    BOOST_TEST(names == (std::vector<std::string>{"ai", "audio"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(concurrent_lookups_agree_on_one_arena) {
    framealloc::scratch_registry scratches(small_chunks());
    constexpr int threads = 4;
    std::vector<framealloc::scratch_arena*> seen(threads * 3);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (int n = 0; n < 3; ++n) seen[t * 3 + n] = &scratches.get("name " + std::to_string(n));
        });
    for (auto& th : pool) th.join();
    for (int t = 0; t < threads; ++t)
        for (int n = 0; n < 3; ++n) BOOST_TEST(seen[t * 3 + n] == scratches.find("name " + std::to_string(n)));
    BOOST_TEST(scratches.names().size() == 3u);
}

BOOST_AUTO_TEST_CASE(values_live_until_reset_and_are_destroyed_once_newest_first) {
    framealloc::scratch_registry scratches(small_chunks());
    framealloc::scratch_arena& s = scratches.get("level");
    destroyed = 0;
    noted* a = s.make<noted>("a long string that does not fit any small-string buffer");
    framealloc::scratch_ptr<noted> p(a, s);
    auto numbers = s.make_array<int>(100);
    std::ranges::fill(numbers, 7);
    BOOST_TEST(p.valid());
    BOOST_TEST(p->text == "a long string that does not fit any small-string buffer");
    BOOST_TEST(s.stats().bytes_used >= sizeof(noted) + 100 * sizeof(int));
    BOOST_TEST(std::ranges::count(numbers, 7) == 100);
    s.reset();
    BOOST_TEST(destroyed == 1);
    BOOST_TEST(!p.valid());
    BOOST_TEST(s.stats().bytes_used == 0u);
    s.reset();
    BOOST_TEST(destroyed == 1);
}

BOOST_AUTO_TEST_CASE(pmr_containers_and_any_alignment) {
    framealloc::scratch_registry scratches(small_chunks());
    framealloc::scratch_arena& s = scratches.get("pmr");
    std::pmr::vector<int> v(&s);
    for (int i = 0; i < 10000; ++i) v.push_back(i);  // grows past several chunks
    BOOST_TEST(v[9999] == 9999);
    for (std::size_t align = 1; align <= 16384; align *= 2) {
        void* p = s.bytes(align + 3, align);
        BOOST_TEST(framealloc_test::is_aligned(p, align));
    }
    BOOST_CHECK_THROW((void)s.bytes(8, 3), framealloc::invalid_alignment);
}

BOOST_AUTO_TEST_CASE(chunks_come_from_the_upstream_and_all_go_back) {
    framealloc_test::counting_resource upstream;
    {
        framealloc::scratch_registry scratches(small_chunks(), &upstream);
        std::vector<std::thread> users;
        for (int t = 0; t < 3; ++t)
            users.emplace_back([&, t] {
                framealloc::scratch_arena& s = scratches.get("user " + std::to_string(t));  // one owner each
                for (int round = 0; round < 20; ++round) {
                    for (int i = 0; i < 200; ++i) (void)s.make<noted>(std::string(40, 'x'));
                    s.reset();
                }
            });
        for (auto& th : users) th.join();
        BOOST_TEST(upstream.live_bytes() > 0);
    }
    BOOST_TEST(upstream.live_bytes() == 0);
    BOOST_TEST(upstream.live_blocks() == 0);
}

BOOST_AUTO_TEST_CASE(options_that_cannot_work_are_refused_at_construction) {
    framealloc::frame_arena_options bad;
    bad.growth_factor = 0;
    BOOST_CHECK_THROW(framealloc::scratch_registry{bad}, framealloc::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
