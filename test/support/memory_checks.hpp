// Helpers that make allocation tests assert real behaviour: every byte written and read back, ranges
// checked pairwise for overlap, addresses checked for alignment.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace framealloc_test {

struct block {
    std::byte* p;
    std::size_t size;
    unsigned char pattern;
};

inline bool is_aligned(const void* p, std::size_t alignment) {
    return (reinterpret_cast<std::uintptr_t>(p) & (alignment - 1)) == 0;
}

inline void fill(const block& b) { std::memset(b.p, b.pattern, b.size); }

inline bool intact(const block& b) {
    for (std::size_t i = 0; i < b.size; ++i)
        if (static_cast<unsigned char>(b.p[i]) != b.pattern) return false;
    return true;
}

// True when no two non-empty blocks share a byte.
inline bool disjoint(std::vector<block> blocks) {
    std::erase_if(blocks, [](const block& b) { return b.size == 0; });
    std::sort(blocks.begin(), blocks.end(), [](const block& a, const block& b) { return a.p < b.p; });
    for (std::size_t i = 1; i < blocks.size(); ++i)
        if (blocks[i - 1].p + blocks[i - 1].size > blocks[i].p) return false;
    return true;
}

}  // namespace framealloc_test
