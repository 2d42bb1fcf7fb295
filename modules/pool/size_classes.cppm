// Pool size classes: 8-byte steps to 64 B, 16-byte steps to 128 B, then four classes per doubling up
// to 8 KiB (35 classes). Waste bound: a request of n >= 32 bytes gets a block of at most 1.25 n
// (measured by the size_classes test over every size); below 32 B the waste is at most 15 bytes (8-byte
// steps above a 16 B minimum block: a free block holds its list link). Lookup is one table load
// indexed by (n + 7) / 8; a 16-byte alignment adds one more load.
module;
#include <array>
#include <cstddef>
#include <cstdint>
export module framealloc.pool:size_classes;

export namespace framealloc::detail {

inline constexpr std::size_t max_pooled_size = 8192;

inline constexpr std::array<std::uint32_t, 35> class_sizes = {
    16,   24,   32,   40,   48,   56,   64,   80,   96,   112,  128,  160,  192,  224,  256,  320,
    384,  448,  512,  640,  768,  896,  1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120,
    6144, 7168, 8192};
inline constexpr std::size_t class_count = 35;
static_assert(class_sizes[class_count - 1] == max_pooled_size, "the last class is the largest pooled size");

consteval std::array<std::uint8_t, max_pooled_size / 8 + 1> make_class_by_granule() {
    std::array<std::uint8_t, max_pooled_size / 8 + 1> table{};
    std::size_t c = 0;
    for (std::size_t g = 0; g < table.size(); ++g) {
        const std::size_t bytes = g * 8;
        while (class_sizes[c] < bytes) ++c;
        table[g] = static_cast<std::uint8_t>(c);
    }
    return table;
}
// class_by_granule[(n + 7) / 8]: the smallest class that holds n bytes (n <= max_pooled_size).
inline constexpr auto class_by_granule = make_class_by_granule();

consteval std::array<std::uint8_t, class_count> make_aligned16() {
    std::array<std::uint8_t, class_count> table{};
    for (std::size_t c = 0; c < class_count; ++c) {
        std::size_t d = c;
        while (class_sizes[d] % 16 != 0) ++d;
        table[c] = static_cast<std::uint8_t>(d);
    }
    return table;
}
// The smallest class at or above c whose size is a multiple of 16 (blocks then sit 16-aligned).
inline constexpr auto aligned16_class = make_aligned16();

// Blocks moved between a thread cache and the depot at once: about 4 KiB, 4 to 64 blocks.
[[nodiscard]] constexpr std::uint32_t batch_blocks(std::size_t c) noexcept {
    const std::uint32_t n = static_cast<std::uint32_t>(4096 / class_sizes[c]);
    return n < 4 ? 4 : (n > 64 ? 64 : n);
}

// Class for (bytes, alignment), alignment a power of two. Returns class_count when no class serves
// it (larger than max_pooled_size, or an alignment no class size is a multiple of): heap fallback.
// Slabs are aligned to their size and blocks start at offset 0, so a class whose size is a multiple
// of the alignment yields aligned blocks.
[[nodiscard]] constexpr std::size_t class_for(std::size_t bytes, std::size_t alignment) noexcept {
    if (bytes > max_pooled_size || alignment > max_pooled_size) return class_count;
    std::size_t c = class_by_granule[(bytes + 7) / 8];
    if (alignment <= 8) return c;
    while (c < class_count && class_sizes[c] % alignment != 0) ++c;
    return c;
}

}  // namespace framealloc::detail
