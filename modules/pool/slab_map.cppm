// slab_map: which 64 KiB stretches of the address space are slabs of some pool_resource, one bit
// each. deallocate() asks it before it reads a slab header, so a pointer that is not a pool block —
// a stack address, a string of the environment, a lone mapped page, null — is reported (FA103)
// instead of sending the header read into unmapped memory.
//
// Layout: a flat bitmap over the 47-bit user address space (2^31 slabs: 256 MiB of address space),
// reserved once with mmap(MAP_NORESERVE) when the first pool is built. Reading a page of it that was
// never written reads the zero page; a page is backed only when a slab in its 2 GiB stretch is
// registered, so a program with pools in a few places of its address space pays a few pages.
// A lookup is one load and a bit test.
//
// Ordering: a slab's bit is set (relaxed fetch_or) before any of its blocks is handed out, and every
// block reaches a freeing thread through some happens-before edge from the carving thread (the depot's
// release/acquire, a thread cache, the program's own hand-off), so a thread freeing a block it was
// given sees the bit set. A bit is cleared only when its slab goes back upstream, with every block of
// it free: a thread that frees a block of a released slab frees memory it no longer owns (undefined
// behaviour the check does its best with: it sees the bit clear and reports FA103, or set and reads a
// header whose magic no longer matches).
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
export module framealloc.pool:slab_map;

import :slab;

export namespace framealloc::detail {

inline constexpr std::uintptr_t slab_map_address_bits = 47;
inline constexpr std::uintptr_t slab_map_slabs = std::uintptr_t(1) << (slab_map_address_bits - 16);

// The bitmap's words; null until the first pool_resource reserves it (ensure_slab_map()).
extern constinit std::atomic<std::uint64_t>* slab_map_words;

// Reserves the bitmap if no pool did yet. Throws std::bad_alloc when the address space cannot be had.
void ensure_slab_map();
// Marks [base, base + slab_size) as a slab (or no longer one). base is slab_size-aligned. False when
// base lies above the mapped address range (the slab cannot be used).
[[nodiscard]] bool slab_map_set(const void* base) noexcept;
void slab_map_clear(const void* base) noexcept;

// True when p lies in a registered slab. Any pointer value may be asked, null included. Only valid
// once a pool exists (every caller is a pool, so ensure_slab_map() has run).
[[gnu::always_inline]] [[nodiscard]] inline bool in_some_slab(const void* p) noexcept {
    const std::uintptr_t slab = reinterpret_cast<std::uintptr_t>(p) >> 16;
    if (slab >= slab_map_slabs) [[unlikely]] return false;
    const std::uint64_t word = slab_map_words[slab >> 6].load(std::memory_order_relaxed);
    return (word >> (slab & 63)) & 1u;
}

}  // namespace framealloc::detail
