// The Tracy adapter (framealloc.tracy) against a recording stand-in of Tracy's C API
// (test/tracy/stub): which events reach Tracy, in which named pool, paired alloc/free, and the
// per-frame plot. What it cannot show: that a real Tracy viewer draws them (Tracy is not installed here).
#include <boost/test/unit_test.hpp>

#include "tracy_stub.hpp"

#include <cstddef>
#include <cstring>
#include <map>
#include <vector>

import framealloc;
import framealloc.tracy;

namespace {

using framealloc::memory_kind;

struct uninstall_after {
    ~uninstall_after() { framealloc::set_profiler_hooks(nullptr); }
};

std::size_t count(const std::vector<tracy_stub::event>& events, char op, const char* pool) {
    std::size_t n = 0;
    for (const auto& e : events) n += e.op == op && e.name == pool;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tracy_adapter)

BOOST_AUTO_TEST_CASE(pool_names_are_distinct_and_stable) {
    std::vector<const char*> names;
    for (memory_kind k : {memory_kind::frame, memory_kind::pool, memory_kind::heap})
        for (bool chunks : {true, false}) {
            const char* n = framealloc::tracy_pool_name(k, chunks);
            BOOST_TEST(n == framealloc::tracy_pool_name(k, chunks));  // the same pointer every time
            for (const char* other : names) BOOST_TEST(std::strcmp(n, other) != 0);
            names.push_back(n);
        }
    BOOST_TEST(std::strcmp(framealloc::tracy_pool_name(memory_kind::pool, true), "framealloc pool slabs") == 0);
}

BOOST_AUTO_TEST_CASE(chunks_always_blocks_per_allocation_and_a_plot_per_frame) {
    (void)tracy_stub::take_events();
    const uninstall_after cleanup;
    framealloc::install_tracy_hooks(true);
    const char* slabs = framealloc::tracy_pool_name(memory_kind::pool, true);
    const char* frame_chunks = framealloc::tracy_pool_name(memory_kind::frame, true);
    const char* pool_blocks = framealloc::tracy_pool_name(memory_kind::pool, false);
    const char* heap_blocks = framealloc::tracy_pool_name(memory_kind::heap, false);
    const char* frame_blocks = framealloc::tracy_pool_name(memory_kind::frame, false);
    {
        framealloc::smart_alloc alloc(framealloc::alloc_config::minimal());
        alloc.begin_frame();
        void* f = alloc.frame_alloc_bytes(1000, 8);
        BOOST_TEST(f != nullptr);
        void* p = alloc.pool_resource().allocate(40, 8);
        void* h = alloc.heap_resource().allocate(500, 8);
        alloc.heap_resource().deallocate(h, 500, 8);
        alloc.pool_resource().deallocate(p, 40, 8);
        alloc.end_frame();

        const auto events = tracy_stub::take_events();
        BOOST_TEST(count(events, 'a', frame_chunks) >= 1u);  // the arena's first chunk
        BOOST_TEST(count(events, 'a', slabs) >= 1u);         // the pool's first slab
        BOOST_TEST(count(events, 'a', frame_blocks) == 0u);  // frame allocations are not sent
        // Pool and heap blocks: paired, with pointer and size.
        std::vector<tracy_stub::event> blocks;
        for (const auto& e : events)
            if (e.name == pool_blocks || e.name == heap_blocks) blocks.push_back(e);
        BOOST_REQUIRE(blocks.size() == 4u);
        BOOST_TEST((blocks[0].op == 'a' && blocks[0].p == p && blocks[0].size == 40u && blocks[0].name == pool_blocks));
        BOOST_TEST((blocks[1].op == 'a' && blocks[1].p == h && blocks[1].size == 500u && blocks[1].name == heap_blocks));
        BOOST_TEST((blocks[2].op == 'f' && blocks[2].p == h && blocks[2].name == heap_blocks));
        BOOST_TEST((blocks[3].op == 'f' && blocks[3].p == p && blocks[3].name == pool_blocks));
        // end_frame: one plot point with the frame's bytes.
        std::vector<double> plots;
        for (const auto& e : events)
            if (e.op == 'p') plots.push_back(e.value);
        BOOST_REQUIRE(plots.size() == 1u);
        BOOST_TEST(plots[0] >= 1000.0);
    }
    // The smart_alloc is gone: every chunk Tracy saw taken was given back, in its own pool.
    const auto after = tracy_stub::take_events();
    BOOST_TEST(count(after, 'f', slabs) >= 1u);
    BOOST_TEST(count(after, 'f', frame_chunks) >= 1u);
}

BOOST_AUTO_TEST_CASE(without_per_allocation_only_chunks_and_plots) {
    (void)tracy_stub::take_events();
    const uninstall_after cleanup;
    framealloc::install_tracy_hooks(false);
    framealloc::smart_alloc alloc(framealloc::alloc_config::minimal());
    alloc.begin_frame();
    void* p = alloc.pool_resource().allocate(40, 8);
    alloc.pool_resource().deallocate(p, 40, 8);
    alloc.end_frame();
    const auto events = tracy_stub::take_events();
    BOOST_TEST(count(events, 'a', framealloc::tracy_pool_name(memory_kind::pool, false)) == 0u);
    BOOST_TEST(count(events, 'a', framealloc::tracy_pool_name(memory_kind::pool, true)) >= 1u);
    // Every free Tracy receives is of an address it saw allocated in the same pool (Tracy's rule).
    std::map<std::pair<const void*, const char*>, int> live;
    for (const auto& e : events) {
        if (e.op == 'a') ++live[{e.p, e.name}];
        if (e.op == 'f') {
            const int was_live = live[{e.p, e.name}]--;
            BOOST_TEST(was_live == 1);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
