// Slabs cost resident memory only where the pool has handed blocks out: a slab is carved a batch at a
// time, its default upstream maps exactly its pages from the system, and the depot's node arrays are
// written only as batches use them. A block start the pool has not handed out yet is not a block.
#include <boost/test/unit_test.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <new>
#include <string>
#include <vector>

#include <framealloc/batch_stack.hpp>

#include "counting_resource.hpp"

import framealloc;

#include "thrown_code.hpp"

namespace {

constexpr std::size_t slab = 64 * 1024;

std::byte* slab_base_of(const void* p) {
    return reinterpret_cast<std::byte*>(reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t(slab - 1));
}

std::size_t page_size() { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }

// Resident pages of [p, p + bytes), p page-aligned.
std::size_t resident_pages(const void* p, std::size_t bytes) {
    std::vector<unsigned char> v(bytes / page_size());
    BOOST_REQUIRE(::mincore(const_cast<void*>(p), bytes, v.data()) == 0);
    std::size_t n = 0;
    for (unsigned char c : v) n += c & 1u;
    return n;
}

framealloc::pool_options throwing_pool() {
    framealloc::pool_options o;
    o.on_error = framealloc::pool_error_policy::throw_exception;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lazy_slabs)

BOOST_AUTO_TEST_CASE(a_new_slab_is_resident_only_where_blocks_were_carved) {
    framealloc::pool_resource pool(throwing_pool());
    const std::size_t size = framealloc::pool_resource::block_size(64, 8);
    void* first = pool.allocate(64, 8);
    std::byte* base = slab_base_of(first);
    const std::size_t pages = slab / page_size();
    // One batch (about 4 KiB of blocks) and the header page at the slab's end; never the whole slab.
    const std::size_t after_one = resident_pages(base, slab);
    BOOST_TEST(after_one >= 1u);
    BOOST_TEST(after_one <= 4u);
    // Handing out every block of the slab makes all of it resident.
    std::vector<void*> blocks{first};
    const std::size_t in_slab = framealloc::detail::slab_payload / size;
    while (blocks.size() < in_slab) {
        void* p = pool.allocate(64, 8);
        BOOST_REQUIRE(slab_base_of(p) == base);  // carving fills one slab before taking the next
        std::memset(p, 0x5A, 64);
        blocks.push_back(p);
    }
    BOOST_TEST(resident_pages(base, slab) == pages);
    for (void* p : blocks) pool.deallocate(p, 64, 8);
}

BOOST_AUTO_TEST_CASE(a_block_start_not_handed_out_yet_is_not_a_block) {
    framealloc::pool_resource pool(throwing_pool());
    const std::size_t size = framealloc::pool_resource::block_size(64, 8);
    void* first = pool.allocate(64, 8);
    std::byte* base = slab_base_of(first);
    // Far past the first batch, inside the same slab, on a block boundary of the class.
    std::byte* uncarved = base + (framealloc::detail::slab_payload / size - 4) * size;
    BOOST_TEST(framealloc_test::thrown_code([&] { pool.deallocate(uncarved, 64, 8); }) == "FA103");
    try {
        pool.deallocate(uncarved, 64, 8);
    } catch (const framealloc::memory_error& e) {
        BOOST_TEST(std::string(e.what()).find("not handed out") != std::string::npos);
    }
    // Nothing changed: the pool goes on serving distinct blocks, never the rejected address.
    std::vector<void*> blocks{first};
    for (int i = 0; i < 200; ++i) {
        blocks.push_back(pool.allocate(64, 8));
        BOOST_TEST(blocks.back() != static_cast<void*>(uncarved));
    }
    for (void* p : blocks) pool.deallocate(p, 64, 8);
}

BOOST_AUTO_TEST_CASE(a_partly_carved_slab_with_every_block_free_is_released) {
    framealloc_test::counting_resource slabs;
    framealloc::pool_options o = throwing_pool();
    o.upstream = &slabs;
    framealloc::pool_resource pool(o);
    std::vector<void*> blocks;
    for (int i = 0; i < 10; ++i) blocks.push_back(pool.allocate(64, 8));
    for (void* p : blocks) pool.deallocate(p, 64, 8);
    pool.flush_thread_cache();
    BOOST_TEST(pool.release_empty_slabs(0) == slab);
    BOOST_TEST(pool.stats().slab_bytes == 0u);
    BOOST_TEST(slabs.live_bytes() == 0);
    // The class carves from a new slab afterwards.
    void* again = pool.allocate(64, 8);
    BOOST_TEST(slabs.live_bytes() == static_cast<std::int64_t>(slab));
    pool.deallocate(again, 64, 8);
}

BOOST_AUTO_TEST_CASE(the_default_upstream_maps_aligned_whole_pages) {
    std::pmr::memory_resource* pages = framealloc::detail::slab_pages();
    BOOST_TEST(pages->is_equal(*framealloc::detail::slab_pages()));
    struct request {
        std::size_t bytes, alignment;
    };
    for (const request r : {request{slab, slab}, request{1, 1}, request{5000, 8}, request{100000, std::size_t(1) << 20}}) {
        auto* p = static_cast<std::byte*>(pages->allocate(r.bytes, r.alignment));
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % r.alignment == 0u);
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % page_size() == 0u);
        BOOST_TEST(resident_pages(p, (r.bytes + page_size() - 1) / page_size() * page_size()) == 0u);
        std::memset(p, 0x3C, r.bytes);  // every byte is ours to write
        BOOST_TEST(std::to_integer<int>(p[r.bytes - 1]) == 0x3C);
        pages->deallocate(p, r.bytes, r.alignment);
    }
    for (std::size_t bad : {std::size_t(0), std::size_t(3), std::size_t(48)})
        BOOST_CHECK_THROW((void)pages->allocate(64, bad), framealloc::invalid_alignment);
    BOOST_CHECK_THROW((void)pages->allocate(std::size_t(-1) / 2, 8), std::bad_alloc);
    for (std::size_t huge : {std::size_t(1) << 62, std::size_t(1) << 63})
        BOOST_CHECK_THROW((void)pages->allocate(4096, huge), std::bad_alloc);
}

BOOST_AUTO_TEST_CASE(a_depot_stack_takes_its_nodes_from_its_resource_and_recycles_them) {
    framealloc_test::counting_resource memory;
    int blocks[8] = {};
    {
        framealloc::detail::batch_stack stack(4, &memory);
        BOOST_TEST(memory.allocations() == 1u);
        for (int i = 0; i < 4; ++i) BOOST_TEST(stack.push(framealloc::detail::batch{&blocks[i], std::uint32_t(i + 1)}));
        BOOST_TEST(!stack.push(framealloc::detail::batch{&blocks[4], 5}));  // bounded
        for (int round = 0; round < 3; ++round) {
            framealloc::detail::batch b{};
            for (int i = 3; i >= 0; --i) {  // last in, first out
                BOOST_REQUIRE(stack.pop(b));
                BOOST_TEST(b.head == static_cast<void*>(&blocks[i]));
                BOOST_TEST(b.count == std::uint32_t(i + 1));
            }
            BOOST_TEST(!stack.pop(b));
            // The same four nodes serve again; a fifth push still finds none.
            for (int i = 0; i < 4; ++i) BOOST_TEST(stack.push(framealloc::detail::batch{&blocks[i], std::uint32_t(i + 1)}));
            BOOST_TEST(!stack.push(framealloc::detail::batch{&blocks[5], 6}));
        }
        BOOST_TEST(memory.allocations() == 1u);
    }
    BOOST_TEST(memory.deallocations() == 1u);
    BOOST_TEST(memory.live_bytes() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
