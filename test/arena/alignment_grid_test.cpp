// Every pointer aligned on its absolute address and disjoint from every other, over a grid of sizes
// (0 to 64 KiB) x alignments (1 to 4096), with every byte written and read back — on a frame_arena,
// on a frame_resource through std::pmr::memory_resource*, and through smart_alloc::frame_alloc_bytes.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <memory_resource>
#include <vector>

#include "memory_checks.hpp"

import framealloc;

namespace bdata = boost::unit_test::data;
using framealloc_test::block;

namespace {
const std::vector<std::size_t> sizes = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 63, 64, 65, 100, 255, 256,
                                        1000, 4095, 4096, 4097, 16384, 65535, 65536};
const std::vector<std::size_t> alignments = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

framealloc::frame_arena_options small_chunks() {
    framealloc::frame_arena_options o;
    o.initial_chunk_size = 8192;  // small, so chunk ends, growth and own blocks are all crossed
    o.max_chunk_size = 32768;
    return o;
}

// Allocates `rounds` blocks of (size, alignment) interleaved with odd-sized fillers, writes a distinct
// pattern into each and checks alignment, contents and disjointness over the whole frame.
template <class Allocate>
void exercise(Allocate&& allocate, std::size_t size, std::size_t alignment) {
    std::vector<block> blocks;
    for (int round = 0; round < 6; ++round) {
        auto* p = static_cast<std::byte*>(allocate(size, alignment));
        BOOST_REQUIRE(p != nullptr);
        BOOST_TEST(framealloc_test::is_aligned(p, alignment), "size " << size << " align " << alignment);
        blocks.push_back({p, size, static_cast<unsigned char>(0x10 + round)});
        framealloc_test::fill(blocks.back());
        auto* filler = static_cast<std::byte*>(allocate(std::size_t(round) * 13 + 1, 1));
        blocks.push_back({filler, std::size_t(round) * 13 + 1, static_cast<unsigned char>(0xa0 + round)});
        framealloc_test::fill(blocks.back());
    }
    for (const block& b : blocks) BOOST_TEST(framealloc_test::intact(b));
    BOOST_TEST(framealloc_test::disjoint(blocks));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(alignment_grid)

BOOST_DATA_TEST_CASE(frame_arena_grid, bdata::make(sizes) * bdata::make(alignments), size, alignment) {
    framealloc::frame_arena arena(small_chunks());
    exercise([&](std::size_t n, std::size_t a) { return arena.allocate(n, a); }, size, alignment);
    arena.reset();
    exercise([&](std::size_t n, std::size_t a) { return arena.allocate(n, a); }, size, alignment);  // reused chunks
}

BOOST_DATA_TEST_CASE(frame_resource_grid, bdata::make(sizes) * bdata::make(alignments), size, alignment) {
    framealloc::frame_resource frames(small_chunks());
    std::pmr::memory_resource* r = &frames;
    exercise([&](std::size_t n, std::size_t a) { return r->allocate(n, a); }, size, alignment);
    frames.end_frame();
    exercise([&](std::size_t n, std::size_t a) { return r->allocate(n, a); }, size, alignment);
}

BOOST_DATA_TEST_CASE(smart_alloc_bytes_grid, bdata::make(sizes) * bdata::make(alignments), size, alignment) {
    framealloc::alloc_config config;
    config.frame_chunk_size = 8192;
    config.frame_max_chunk_size = 32768;
    framealloc::smart_alloc alloc(config);
    alloc.begin_frame();
    exercise([&](std::size_t n, std::size_t a) { return alloc.frame_alloc_bytes(n, a); }, size, alignment);
    exercise([&](std::size_t n, std::size_t a) { return alloc.try_frame_alloc_bytes(n, a); }, size, alignment);
    alloc.end_frame();
}

BOOST_AUTO_TEST_CASE(typed_allocations_honour_extended_alignment) {
    struct alignas(256) wide {
        unsigned char bytes[256];
    };
    struct alignas(4096) page {
        unsigned char bytes[100];
    };
    framealloc::smart_alloc alloc(framealloc::alloc_config::minimal());
    alloc.begin_frame();
    for (int i = 0; i < 50; ++i) {
        BOOST_TEST(framealloc_test::is_aligned(alloc.frame_alloc<wide>(), 256));
        BOOST_TEST(framealloc_test::is_aligned(alloc.frame_alloc<page>(), 4096));
        BOOST_TEST(framealloc_test::is_aligned(alloc.frame_array<page>(3).data(), 4096));
    }
    alloc.end_frame();
}

BOOST_AUTO_TEST_SUITE_END()
