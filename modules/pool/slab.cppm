// Slabs: 64 KiB blocks of one size class, obtained from upstream aligned to their size. The header
// sits at the END of the slab so that blocks start at offset 0: a class whose size is a multiple of an
// alignment then yields blocks aligned to it, and slab_of(p) is a mask and an add.
//
// The header's magic (the process's secret key mixed with the owning pool's id) and class let
// deallocate() check, with one load, that a pointer belongs to this pool and was freed with the size
// class it was allocated with; the slab map (:slab_map) says first whether there is a slab to read.
//
// A slab is carved lazily, one batch at a time from its start (pool_registry::carve_locked): the pages
// of blocks never handed out are never written, so they cost no resident memory. carved_bytes is where
// carving stands; a block start at or past it was never handed out, and deallocate() rejects it.
module;
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
export module framealloc.pool:slab;

import :size_classes;

export namespace framealloc::detail {

inline constexpr std::size_t slab_size = 64 * 1024;
inline constexpr std::size_t slab_header_size = 64;
inline constexpr std::size_t slab_header_offset = slab_size - slab_header_size;
// Before the header: one stripe tag byte per 64-byte line of the slab (line_tag_of).
inline constexpr std::size_t slab_line_tags = slab_size / 64;
inline constexpr std::size_t slab_payload = slab_header_offset - slab_line_tags;
// The secret slab magics are made of: random per process (getrandom), chosen at the first call, so
// that bytes an attacker can guess cannot pass for a slab header. A pool's magic is slab_key() ^ id.
[[nodiscard]] std::uint64_t slab_key() noexcept;

struct slab_header {
    std::uint64_t magic;         // slab_key() ^ pool id; 0 once the slab is released
    std::uint32_t size_class;
    std::uint32_t block_count;
    slab_header* next;           // links in the pool's lists (central lock)
    std::uint32_t free_seen;     // compaction counter (central lock)
    std::uint32_t reserved;      // compaction: the slab is to be released (central lock)
    // Bytes from the slab's start carved into blocks so far; only grows while the slab lives. Written
    // under the central lock (relaxed); read by deallocate() on any thread (relaxed): a block reaches
    // a freeing thread through some happens-before edge from the thread that carved it (the depot's
    // release/acquire, the program's own hand-off), and the carving store precedes that edge, so a
    // freeing thread reads a value past every block it was legitimately given.
    std::atomic<std::uint32_t> carved_bytes;
    std::atomic<std::uint64_t>* live_bits;  // FRAMEALLOC_DEBUG: one bit per allocated block
};
static_assert(sizeof(slab_header) <= slab_header_size, "the slab header must fit in its reserved line");

[[nodiscard]] inline slab_header* slab_of(const void* p) noexcept {
    const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(p) & ~static_cast<std::uintptr_t>(slab_size - 1);
    return reinterpret_cast<slab_header*>(base + slab_header_offset);
}

// Is p the start of a block of class c in its slab? Blocks start at offset 0 and the last whole block
// ends at class_payload_end; an offset n (< 2^32) is a multiple of the class size d exactly when
// n * m < m in 64-bit arithmetic, m = ceil(2^64 / d) (Lemire, Kaser and Kurz, "Faster remainder by
// direct computation"): a multiply and two compares, no division.
consteval std::array<std::uint64_t, class_count> make_multiple_tests() {
    std::array<std::uint64_t, class_count> m{};
    for (std::size_t c = 0; c < class_count; ++c) m[c] = UINT64_MAX / class_sizes[c] + 1;
    return m;
}
inline constexpr auto class_multiple_test = make_multiple_tests();
consteval std::array<std::uint32_t, class_count> make_payload_ends() {
    std::array<std::uint32_t, class_count> e{};
    for (std::size_t c = 0; c < class_count; ++c) e[c] = static_cast<std::uint32_t>(slab_payload / class_sizes[c] * class_sizes[c]);
    return e;
}
inline constexpr auto class_payload_end = make_payload_ends();

[[gnu::always_inline]] [[nodiscard]] inline bool is_block_start(const void* p, std::size_t c) noexcept {
    const std::uint64_t offset = reinterpret_cast<std::uintptr_t>(p) & (slab_size - 1);
    return offset * class_multiple_test[c] < class_multiple_test[c] && offset < class_payload_end[c];
}

// Is p the start of a block of class c that its slab has handed out (carved)? The slab's header is
// the one deallocate() has already read for its magic and class: one more load from the same line.
[[gnu::always_inline]] [[nodiscard]] inline bool is_carved_block(const slab_header* s, const void* p, std::size_t c) noexcept {
    const std::uint64_t offset = reinterpret_cast<std::uintptr_t>(p) & (slab_size - 1);
    return offset * class_multiple_test[c] < class_multiple_test[c] &&
           offset < s->carved_bytes.load(std::memory_order_relaxed);
}

[[nodiscard]] inline std::byte* slab_base(slab_header* h) noexcept {
    return reinterpret_cast<std::byte*>(h) - slab_header_offset;
}

// Line tags: for each 64-byte line of a slab, 1 + the depot stripe of the thread cache that last carved
// a block starting in that line or handed one to the depot (a flush samples two blocks a batch; a
// thread's exit tags all it returns); 0 for none yet (zeroed when the slab is made). Written only
// when the value changes (relaxed: a tag is a hint), read when a new thread cache votes for its stripe
// (pool_registry::vote): the lines of the blocks a new thread frees first name the stripe of the
// thread that used them before.
[[nodiscard]] inline std::atomic_ref<std::uint8_t> line_tag_of(const void* p) noexcept {
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t base = address & ~static_cast<std::uintptr_t>(slab_size - 1);
    return std::atomic_ref<std::uint8_t>(*reinterpret_cast<std::uint8_t*>(base + slab_payload + (address & (slab_size - 1)) / 64));
}

inline void tag_line(const void* block, std::uint32_t stripe) noexcept {
    const std::atomic_ref<std::uint8_t> tag = line_tag_of(block);
    const auto value = static_cast<std::uint8_t>(stripe + 1);
    if (tag.load(std::memory_order_relaxed) != value) tag.store(value, std::memory_order_relaxed);
}

}  // namespace framealloc::detail
