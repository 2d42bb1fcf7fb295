// Requests no resource can meet and frees that name no block: each is a documented error (std::bad_alloc,
// FA101, FA103, FA104), never a crash, a tiny block or silent corruption — in release builds as in debug
// ones, and without reading memory the pointer does not own (ASan would report the read).
#include <boost/test/unit_test.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory_resource>
#include <new>
#include <string>
#include <vector>

import framealloc;

#include "thrown_code.hpp"

extern char** environ;

namespace {

framealloc::pool_options throwing_pool() {
    framealloc::pool_options o;
    o.on_error = framealloc::pool_error_policy::throw_exception;
    return o;
}

using framealloc_test::thrown_code;

std::uintptr_t slab_base_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t(0xFFFF); }

// A page mapped alone, in a 64 KiB stretch with nothing else mapped: a pool that read the slab header
// address of a pointer into it would fault.
struct lone_page {
    void* region = nullptr;
    std::byte* page = nullptr;
    lone_page() {
        const std::size_t span = 3 * 65536;
        region = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        BOOST_REQUIRE(region != MAP_FAILED);
        const std::uintptr_t aligned = (reinterpret_cast<std::uintptr_t>(region) + 65535) & ~std::uintptr_t(0xFFFF);
        page = reinterpret_cast<std::byte*>(aligned + 4 * 4096);
        const std::size_t pagesz = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        auto* begin = static_cast<std::byte*>(region);
        ::munmap(begin, static_cast<std::size_t>(page - begin));
        ::munmap(page + pagesz, static_cast<std::size_t>(begin + span - (page + pagesz)));
    }
    ~lone_page() { ::munmap(page, static_cast<std::size_t>(::sysconf(_SC_PAGESIZE))); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_frees)

BOOST_AUTO_TEST_CASE(sizes_no_resource_can_meet_are_bad_alloc) {
    constexpr std::size_t max = std::numeric_limits<std::size_t>::max();
    framealloc::pool_resource pool;
    framealloc::heap_resource heap;
    framealloc::tagged_resource tagged(std::pmr::new_delete_resource(), "hostile_sizes");
    framealloc::checking_resource checking;
    std::pmr::memory_resource* resources[] = {&pool, &heap, &tagged, &checking};
    for (std::pmr::memory_resource* r : resources) {
        BOOST_CHECK_THROW((void)r->allocate(max, 8), std::bad_alloc);
        BOOST_CHECK_THROW((void)r->allocate(max - 7, 8), std::bad_alloc);
        BOOST_CHECK_THROW((void)r->allocate(max - 63, 64), std::bad_alloc);
        BOOST_CHECK_THROW((void)r->allocate(max / 2 + 1, 4096), std::bad_alloc);
    }
    // Nothing was counted as live by the refusals.
    BOOST_TEST(heap.stats().live_bytes == 0u);
    BOOST_TEST(pool.stats().heap_bytes == 0u);
}

BOOST_AUTO_TEST_CASE(interior_pointers_are_fa103_and_the_pool_stays_whole) {
    framealloc::pool_resource pool(throwing_pool());
    auto* p = static_cast<std::byte*>(pool.allocate(64, 8));
    BOOST_TEST(thrown_code([&] { pool.deallocate(p + 8, 64, 8); }) == "FA103");
    BOOST_TEST(thrown_code([&] { pool.deallocate(p + 32, 64, 8); }) == "FA103");
    // The slack after the last whole 40-byte block of a slab is no block either, though its offset is
    // a multiple of 40; nor is the line-tag area or the header after it.
    void* q = pool.allocate(40, 8);
    auto* slack = reinterpret_cast<void*>(slab_base_of(q) + framealloc::detail::slab_payload / 40 * 40);
    BOOST_TEST(thrown_code([&] { pool.deallocate(slack, 40, 8); }) == "FA103");
    slack = reinterpret_cast<void*>(slab_base_of(q) + 65440);
    BOOST_TEST(thrown_code([&] { pool.deallocate(slack, 40, 8); }) == "FA103");
    // Nothing was taken in: the next blocks never overlap p, and p frees normally.
    std::vector<void*> blocks;
    for (int i = 0; i < 3000; ++i) {
        auto* b = static_cast<std::byte*>(pool.allocate(64, 8));
        BOOST_REQUIRE(b + 64 <= p || b >= p + 64);
        blocks.push_back(b);
    }
    for (void* b : blocks) pool.deallocate(b, 64, 8);
    pool.deallocate(p, 64, 8);
    pool.deallocate(q, 40, 8);
}

BOOST_AUTO_TEST_CASE(foreign_pointers_are_fa103_without_reading_their_slab_header) {
    framealloc::pool_resource pool(throwing_pool());
    void* keep = pool.allocate(64, 8);  // the pool has a slab, and its map is in use
    int on_stack = 0;
    lone_page page;
    void* foreign[] = {&on_stack, environ != nullptr ? static_cast<void*>(environ[0]) : &on_stack, page.page,
                       reinterpret_cast<void*>(std::uintptr_t(1) << 50)};
    for (void* p : foreign) {
        BOOST_TEST(thrown_code([&] { pool.deallocate(p, 64, 8); }) == "FA103");
        BOOST_TEST(thrown_code([&] { pool.deallocate(p, 16, 16); }) == "FA103");
        BOOST_TEST(thrown_code([&] { pool.deallocate(p, 4096, 8); }) == "FA103");
    }
    // Null: memory_resource::deallocate declares its pointer nonnull (libstdc++), so a caller that
    // passes null there has undefined behaviour before the pool runs; the pool's own entry points
    // report it.
    BOOST_TEST(thrown_code([&] { pool.deallocate_inline(nullptr, 64, 8); }) == "FA103");
    BOOST_TEST(thrown_code([&] { pool.deallocate_inline(nullptr, 16, 16); }) == "FA103");
    pool.deallocate(keep, 64, 8);
}

BOOST_AUTO_TEST_CASE(a_pool_block_freed_with_an_oversize_size_is_fa104) {
    framealloc::pool_resource pool(throwing_pool());
    void* p = pool.allocate(64, 8);
    BOOST_TEST(thrown_code([&] { pool.deallocate(p, 9000, 8); }) == "FA104");
    BOOST_TEST(thrown_code([&] { pool.deallocate(p, 64, 8192 * 2); }) == "FA104");
    pool.deallocate(p, 64, 8);  // still a live block of the pool
}

BOOST_AUTO_TEST_CASE(a_block_of_another_pool_is_fa103) {
    framealloc::pool_resource a(throwing_pool());
    framealloc::pool_resource b(throwing_pool());
    void* p = a.allocate(64, 8);
    BOOST_TEST(thrown_code([&] { b.deallocate(p, 64, 8); }) == "FA103");
    a.deallocate(p, 64, 8);
}

BOOST_AUTO_TEST_CASE(a_forged_slab_header_is_not_accepted) {
    framealloc::pool_resource pool(throwing_pool());
    void* real = pool.allocate(64, 8);
    // A 64 KiB-aligned stretch whose last line holds what a header of this pool would hold if its magic
    // were a public function of the pool's id.
    void* region = std::aligned_alloc(65536, 65536);
    BOOST_REQUIRE(region != nullptr);
    auto* header = reinterpret_cast<std::uint64_t*>(static_cast<std::byte*>(region) + 65536 - 64);
    header[0] = 0x46414c4c4f43534cull ^ pool.id();
    header[1] = std::uint64_t(6) | (std::uint64_t(1023) << 32);  // class 6 (64 B), 1023 blocks
    BOOST_TEST(thrown_code([&] { pool.deallocate(region, 64, 8); }) == "FA103");
    // Nothing of the forged stretch is ever handed out.
    std::vector<void*> blocks;
    for (int i = 0; i < 4000; ++i) {
        void* b = pool.allocate(64, 8);
        BOOST_REQUIRE(slab_base_of(b) != reinterpret_cast<std::uintptr_t>(region));
        blocks.push_back(b);
    }
    for (void* b : blocks) pool.deallocate(b, 64, 8);
    pool.deallocate(real, 64, 8);
    std::free(region);
}

BOOST_AUTO_TEST_CASE(a_deallocate_alignment_that_is_not_a_power_of_two_is_fa101) {
    framealloc::pool_resource pool(throwing_pool());
    framealloc::heap_resource heap(std::pmr::new_delete_resource(), framealloc::pool_error_policy::throw_exception);
    void* p = pool.allocate(64, 8);
    void* h = heap.allocate(64, 8);
    for (std::size_t bad : {std::size_t(0), std::size_t(3), std::size_t(12), std::size_t(48)}) {
        BOOST_TEST(thrown_code([&] { pool.deallocate(p, 64, bad); }) == "FA101");
        BOOST_TEST(thrown_code([&] { heap.deallocate(h, 64, bad); }) == "FA101");
    }
    pool.deallocate(p, 64, 8);
    heap.deallocate(h, 64, 8);
}

namespace {
// new/delete with a ceiling: refuses what would take the live bytes past `limit`.
class limited_resource final : public std::pmr::memory_resource {
public:
    explicit limited_resource(std::size_t limit) : limit_(limit) {}
    std::size_t live() const noexcept { return live_; }

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (live_ + bytes > limit_) throw std::bad_alloc();
        live_ += bytes;
        return std::pmr::new_delete_resource()->allocate(bytes, alignment);
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        live_ -= bytes;
        std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
    std::size_t limit_;
    std::size_t live_ = 0;
};
}  // namespace

// Out of memory upstream: the pool gives back the slabs it only keeps in reserve and asks again
// before it reports std::bad_alloc.
BOOST_AUTO_TEST_CASE(out_of_memory_upstream_first_releases_the_spare_slabs) {
    limited_resource upstream(4 * 65536);
    framealloc::pool_options o;
    o.upstream = &upstream;
    framealloc::pool_resource pool(o);
    std::vector<void*> small;
    try {
        for (;;) small.push_back(pool.allocate(64, 8));
    } catch (const std::bad_alloc&) {
    }
    BOOST_TEST(small.size() >= 3u * 1023u);
    BOOST_TEST(upstream.live() == 4u * 65536u);
    for (void* p : small) pool.deallocate(p, 64, 8);
    pool.flush_thread_cache();  // every 64-byte block is free in the depot: four spare slabs
    void* big = pool.allocate(2048, 8);  // another class: needs a slab the upstream has no room for
    BOOST_TEST(big != nullptr);
    BOOST_TEST(upstream.live() < 4u * 65536u + 1);
    pool.deallocate(big, 2048, 8);
}

BOOST_AUTO_TEST_SUITE_END()
