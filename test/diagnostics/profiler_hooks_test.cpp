// Profiler hooks: chunk traffic, frame resets as discards, and opt-in per-allocation events with
// their tag; nothing per allocation unless asked; nothing at all once removed.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <mutex>
#include <vector>

import framealloc;

namespace {
struct recording_hooks final : framealloc::profiler_hooks {
    struct event {
        char what;  // a acquired, r released, f frame reset, + allocated, - freed
        const void* p;
        std::size_t bytes;
        framealloc::memory_kind kind;
        framealloc::tag_id tag;
    };
    std::mutex m;
    std::vector<event> events;
    void add(event e) {
        std::lock_guard lock(m);
        events.push_back(e);
    }
    void chunk_acquired(const void* p, std::size_t n, framealloc::memory_kind k) override { add({'a', p, n, k, 0}); }
    void chunk_released(const void* p, std::size_t n, framealloc::memory_kind k) override { add({'r', p, n, k, 0}); }
    void frame_reset(std::uint64_t, std::size_t n) override { add({'f', nullptr, n, framealloc::memory_kind::frame, 0}); }
    void allocated(const void* p, std::size_t n, framealloc::memory_kind k, framealloc::tag_id t) override { add({'+', p, n, k, t}); }
    void freed(const void* p, std::size_t n, framealloc::memory_kind k, framealloc::tag_id t) override { add({'-', p, n, k, t}); }
    std::size_t count(char what, framealloc::memory_kind k) {
        std::size_t n = 0;
        for (const auto& e : events) n += e.what == what && e.kind == k;
        return n;
    }
};

struct installed {
    installed(recording_hooks& h, bool per_allocation) { framealloc::set_profiler_hooks(&h, per_allocation); }
    ~installed() { framealloc::set_profiler_hooks(nullptr); }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(profiler_hooks)

BOOST_AUTO_TEST_CASE(chunks_and_frame_resets_without_per_allocation_events) {
    recording_hooks hooks;
    {
        installed on(hooks, false);
        auto config = framealloc::alloc_config::minimal();
        framealloc::smart_alloc alloc(config);
        alloc.begin_frame();
        (void)alloc.frame_alloc_bytes(1000, 8);
        void* big = alloc.frame_alloc_bytes(4u << 20, 8);  // an own block
        BOOST_TEST(big != nullptr);
        void* p = alloc.pool_resource().allocate(64, 8);
        alloc.pool_resource().deallocate(p, 64, 8);
        alloc.end_frame();
        BOOST_TEST(hooks.count('a', framealloc::memory_kind::frame) >= 2u);  // chunk + own block
        BOOST_TEST(hooks.count('a', framealloc::memory_kind::pool) >= 1u);   // a slab
        BOOST_TEST(hooks.count('r', framealloc::memory_kind::frame) >= 1u);  // the own block at end_frame
        BOOST_TEST(hooks.count('f', framealloc::memory_kind::frame) == 1u);
        BOOST_TEST(hooks.count('+', framealloc::memory_kind::frame) == 0u);
        BOOST_TEST(hooks.count('+', framealloc::memory_kind::pool) == 0u);
        std::size_t reset_bytes = 0;
        for (const auto& e : hooks.events)
            if (e.what == 'f') reset_bytes = e.bytes;
        BOOST_TEST(reset_bytes >= 1000u + (4u << 20));
    }
    // Pool destruction released slabs too; after removal nothing more arrives.
    BOOST_TEST(hooks.count('r', framealloc::memory_kind::pool) >= 1u);
    const std::size_t before = hooks.events.size();
    framealloc::smart_alloc later;
    later.begin_frame();
    (void)later.frame_alloc_bytes(100, 8);
    later.end_frame();
    BOOST_TEST(hooks.events.size() == before);
}

BOOST_AUTO_TEST_CASE(per_allocation_events_carry_pointer_size_and_tag) {
    recording_hooks hooks;
    framealloc::smart_alloc alloc;
    alloc.begin_frame();
    {
        installed on(hooks, true);
        alloc.with_tag("hooks_tag", [&] {
            void* f = alloc.frame_alloc_bytes(48, 16);
            void* p = alloc.pool_resource().allocate(40, 8);
            alloc.pool_resource().deallocate(p, 40, 8);
            void* h = alloc.heap_resource().allocate(500, 8);
            alloc.heap_resource().deallocate(h, 500, 8);
            const auto tag = framealloc::intern_tag("hooks_tag");
            std::vector<recording_hooks::event> mine;
            for (const auto& e : hooks.events)
                if (e.what == '+' || e.what == '-') mine.push_back(e);
            BOOST_REQUIRE(mine.size() == 5u);
            BOOST_TEST((mine[0].what == '+' && mine[0].p == f && mine[0].bytes == 48u && mine[0].kind == framealloc::memory_kind::frame));
            BOOST_TEST((mine[1].what == '+' && mine[1].p == p && mine[1].bytes == 40u && mine[1].kind == framealloc::memory_kind::pool));
            BOOST_TEST((mine[2].what == '-' && mine[2].p == p && mine[2].kind == framealloc::memory_kind::pool));
            BOOST_TEST((mine[3].what == '+' && mine[3].p == h && mine[3].kind == framealloc::memory_kind::heap));
            BOOST_TEST((mine[4].what == '-' && mine[4].p == h && mine[4].bytes == 500u));
            for (const auto& e : mine) BOOST_TEST(e.tag == tag);
        });
    }
    hooks.events.clear();
    (void)alloc.frame_alloc_bytes(48, 16);  // hooks removed: silent
    BOOST_TEST(hooks.events.empty());
    alloc.end_frame();
}

BOOST_AUTO_TEST_SUITE_END()
