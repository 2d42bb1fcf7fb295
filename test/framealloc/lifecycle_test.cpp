// The frame lifecycle: allocation outside begin_frame()/end_frame() is FA001 (try_: null), misordered
// begin/end calls are FA003, frame numbers count frames.
#include <boost/test/unit_test.hpp>

#include <memory_resource>
#include <string>
#include <thread>
#include <utility>
#include <vector>

import framealloc;

BOOST_AUTO_TEST_SUITE(lifecycle)

BOOST_AUTO_TEST_CASE(allocation_outside_a_frame_is_fa001_on_every_path) {
    framealloc::smart_alloc alloc;
    BOOST_TEST(!alloc.in_frame());
    auto expect_fa001 = [](auto&& f) {
        try {
            f();
            BOOST_FAIL("no exception");
        } catch (const framealloc::frame_error& e) {
            BOOST_TEST(e.code() == "FA001");
        }
    };
    expect_fa001([&] { (void)alloc.frame_alloc<int>(1); });
    expect_fa001([&] { (void)alloc.frame_array<int>(4); });
    expect_fa001([&] { (void)alloc.frame_alloc_bytes(8, 8); });
    expect_fa001([&] {
        auto v = alloc.frame_vector<int>();
        v.push_back(1);
    });
    expect_fa001([&] { (void)static_cast<std::pmr::memory_resource&>(alloc.frame_resource()).allocate(8, 8); });
    BOOST_TEST(alloc.try_frame_alloc<int>(1) == nullptr);
    BOOST_TEST(alloc.try_frame_alloc_bytes(8, 8) == nullptr);
    // Also from a thread that never allocated before (its arena is created closed).
    std::thread([&] { expect_fa001([&] { (void)alloc.frame_alloc<int>(1); }); }).join();

    alloc.begin_frame();
    BOOST_TEST(*alloc.frame_alloc<int>(3) == 3);
    alloc.end_frame();
    expect_fa001([&] { (void)alloc.frame_alloc<int>(1); });  // closed again after the frame
}

BOOST_AUTO_TEST_CASE(misordered_begin_and_end_are_fa003) {
    framealloc::smart_alloc alloc;
    try {
        alloc.end_frame();
        BOOST_FAIL("no exception");
    } catch (const framealloc::frame_error& e) {
        BOOST_TEST(e.code() == "FA003");
    }
    alloc.begin_frame();
    BOOST_CHECK_THROW(alloc.begin_frame(), framealloc::frame_error);
    BOOST_TEST(alloc.in_frame());  // the failed call changed nothing
    alloc.end_frame();
    BOOST_CHECK_THROW(alloc.end_frame(), framealloc::frame_error);
}

BOOST_AUTO_TEST_CASE(frame_numbers_count_frames) {
    framealloc::smart_alloc alloc;
    BOOST_TEST(alloc.frame_number() == 0u);
    for (unsigned f = 1; f <= 5; ++f) {
        alloc.begin_frame();
        BOOST_TEST(alloc.frame_number() == f);
        alloc.end_frame();
    }
}

BOOST_AUTO_TEST_CASE(two_smart_allocs_on_the_same_threads) {
    framealloc::smart_alloc a, b;
    for (int frame = 0; frame < 20; ++frame) {
        a.begin_frame();
        b.begin_frame();
        std::vector<std::thread> threads;
        std::vector<int*> in_a(4), in_b(4);
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                in_a[std::size_t(t)] = a.frame_alloc<int>(t);
                in_b[std::size_t(t)] = b.frame_alloc<int>(100 + t);
            });
        for (auto& t : threads) t.join();
        a.end_frame();  // b's frame stays open and intact
        for (int t = 0; t < 4; ++t) BOOST_REQUIRE(*in_b[std::size_t(t)] == 100 + t);
        BOOST_CHECK_THROW((void)a.frame_alloc<int>(0), framealloc::frame_error);
        BOOST_TEST(*b.frame_alloc<int>(9) == 9);
        b.end_frame();
    }
}

// A smart_alloc destroyed in the middle of a frame: frame objects are destroyed first, while the pool
// they own blocks of is still alive (frame memory is torn down before the pool; ASan would report a
// free into a destroyed pool), and every slab and chunk goes back upstream.
BOOST_AUTO_TEST_CASE(destroyed_mid_frame_frame_objects_free_into_a_live_pool) {
    struct holder {
        holder(framealloc::pool_ptr<std::string> t, int* d) : text(std::move(t)), destroyed(d) {}
        holder(const holder&) = delete;
        framealloc::pool_ptr<std::string> text;
        int* destroyed;
        ~holder() {
            BOOST_TEST(text->size() == 40u);  // the pool block is still readable
            ++*destroyed;
        }
    };
    framealloc::checking_resource upstream;
    int destroyed = 0;
    {
        framealloc::alloc_config config;
        config.upstream = &upstream;
        framealloc::smart_alloc alloc(config);
        alloc.begin_frame();
        for (int i = 0; i < 3; ++i)
            (void)alloc.frame_alloc<holder>(alloc.pool_alloc<std::string>(40, 'x'), &destroyed);
        BOOST_TEST(upstream.stats().live_blocks > 0u);
    }  // no end_frame()
    BOOST_TEST(destroyed == 3);
    BOOST_TEST(upstream.stats().live_blocks == 0u);
    BOOST_TEST(upstream.stats().errors == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
