// The work every contender does in alloc_free and shared_2_threads: batches of 64 requests of 16..256
// bytes taken from one fixed pseudo-random sequence, allocated and written, then read back and freed
// in the same order (FIFO: the first block allocated is the first freed, as a frame's worth of
// messages, tasks or nodes is consumed). The sequence, the writes and the reads are identical for every
// contender; only the resource behind the std::pmr::memory_resource* differs.
//
// Requests: sizes are multiples of 8 uniform in 16..256 (sizeof of a C++ object is a multiple of its
// alignment); every fourth request is 16-aligned and then a multiple of 16, like the over-aligned types
// (SIMD vectors) a std::pmr container passes with alignof(T). The alignment follows a fixed period, as
// in perf/arena/resource_alloc_bench.cpp: in a program each call site has one alignment, which a branch
// predictor learns; only the sizes are random. Every block is written and read in each
// 64-byte line it spans (write_block), so the allocator's memory layout and reuse order cost what they
// cost in cache misses, without a memset of every byte burying the allocation itself.
#pragma once

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory_resource>

namespace pool_perf {

struct request {
    std::uint32_t bytes;
    std::uint32_t alignment;
};

inline constexpr std::size_t batch_size = 64;
inline constexpr std::size_t sequence_length = 4096;  // 64 batches
inline constexpr std::size_t batches_in_sequence = sequence_length / batch_size;

consteval std::array<request, sequence_length> make_sequence() {
    std::array<request, sequence_length> sequence{};
    std::uint64_t x = 0x9e3779b97f4a7c15ull;  // fixed seed: the same sequence in every build and run
    for (std::size_t i = 0; i < sequence_length; ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;  // LCG (Knuth's MMIX constants)
        const auto words = static_cast<std::uint32_t>(2 + (x >> 33) % 31);  // 2..32 words: 16..256 B
        const bool aligned16 = i % 4 == 0;  // as perf/arena/resource_alloc_bench.cpp
        sequence[i].alignment = aligned16 ? 16 : 8;
        sequence[i].bytes = aligned16 ? (words * 8 + 15) / 16 * 16 : words * 8;
    }
    return sequence;
}
inline constexpr std::array<request, sequence_length> sequence = make_sequence();

// Five words per block, at word 0, n/4, n/2, 3n/4 and n-1 of its n words: for n <= 32 (256 B) no two
// touched words are more than 8 words apart, so every 64-byte line the block spans is written and read,
// and the number of accesses does not depend on the size (a loop over the lines would add a mispredicted
// exit per block to every contender alike).
[[gnu::always_inline]] inline void write_block(std::uint64_t* words, std::size_t bytes, std::uint64_t value) {
    const std::size_t n = bytes / sizeof(std::uint64_t);
    words[0] = value;
    words[n / 4] = value + 1;
    words[n / 2] = value + 2;
    words[3 * n / 4] = value + 3;
    words[n - 1] = value + 4;
}

[[gnu::always_inline]] inline std::uint64_t read_block(const std::uint64_t* words, std::size_t bytes) {
    const std::size_t n = bytes / sizeof(std::uint64_t);
    return words[0] + words[n / 4] + words[n / 2] + words[3 * n / 4] + words[n - 1];
}

consteval bool touches_every_line() {
    for (std::size_t n = 2; n <= 32; ++n) {
        const std::size_t touched[] = {0, n / 4, n / 2, 3 * n / 4, n - 1};
        for (std::size_t k = 0; k + 1 < 5; ++k)
            if (touched[k + 1] - touched[k] > 8) return false;
    }
    return true;
}
static_assert(touches_every_line(), "write_block must touch every 64-byte line of a block up to 256 B");

// One batch: requests [first, first + 64) of the sequence. `resource` is laundered by the caller
// (DoNotOptimize), so every call stays virtual, as it is for a std::pmr container.
[[gnu::noinline]] inline std::uint64_t run_batch(std::pmr::memory_resource* resource, std::size_t first) {
    std::uint64_t* blocks[batch_size];
    const request* r = &sequence[first];
    for (std::size_t i = 0; i < batch_size; ++i) {
        auto* words = static_cast<std::uint64_t*>(resource->allocate(r[i].bytes, r[i].alignment));
        write_block(words, r[i].bytes, first + i);
        blocks[i] = words;
    }
    benchmark::ClobberMemory();
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < batch_size; ++i) {
        sum += read_block(blocks[i], r[i].bytes);
        resource->deallocate(blocks[i], r[i].bytes, r[i].alignment);
    }
    return sum;
}

}  // namespace pool_perf
