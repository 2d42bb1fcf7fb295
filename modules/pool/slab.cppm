// Slabs: 64 KiB blocks of one size class, obtained from upstream aligned to their size. The header
// sits at the END of the slab so that blocks start at offset 0: a class whose size is a multiple of an
// alignment then yields blocks aligned to it, and slab_of(p) is a mask and an add.
//
// The header's magic (mixed with the owning pool's id) and class let deallocate() check, with one
// load, that a pointer belongs to this pool and was freed with the size class it was allocated with.
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
export module framealloc.pool:slab;

export namespace framealloc::detail {

inline constexpr std::size_t slab_size = 64 * 1024;
inline constexpr std::size_t slab_header_size = 64;
inline constexpr std::size_t slab_payload = slab_size - slab_header_size;
inline constexpr std::uint64_t slab_magic_base = 0x46414c4c4f43534cull;  // "FALLOCSL"

struct slab_header {
    std::uint64_t magic;         // slab_magic_base ^ pool id; 0 once the slab is released
    std::uint32_t size_class;
    std::uint32_t block_count;
    slab_header* next;           // links in the pool's lists (central lock)
    std::uint32_t free_seen;     // compaction counter (central lock)
    std::uint32_t reserved;
    std::atomic<std::uint64_t>* live_bits;  // FRAMEALLOC_DEBUG: one bit per allocated block
};
static_assert(sizeof(slab_header) <= slab_header_size, "the slab header must fit in its reserved line");

[[nodiscard]] inline slab_header* slab_of(const void* p) noexcept {
    const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(p) & ~static_cast<std::uintptr_t>(slab_size - 1);
    return reinterpret_cast<slab_header*>(base + slab_payload);
}

[[nodiscard]] inline std::byte* slab_base(slab_header* h) noexcept {
    return reinterpret_cast<std::byte*>(h) - slab_payload;
}

}  // namespace framealloc::detail
