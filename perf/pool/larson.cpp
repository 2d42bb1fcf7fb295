// The larson pattern (a server's threads): T threads each own an array of 1000 slots holding blocks
// of random size (16..256 B, multiples of 8); a thread replaces random slots (frees the block, allocates
// one of a new random size, writes it) 20 000 times, then hands its array to a new thread and exits.
// Each of the T lineages lives through 16 generations of threads, so every block a thread frees in its
// first rounds was allocated by a thread that has exited, and every thread's cache is made and given
// back. The generations of all lineages run side by side: a generation's T threads are started
// together and joined together (a barrier per generation, which costs less than 1 % here: a generation
// is 200 000 replacements per thread against one thread start).
//
// Throughput: replacements (a free and an allocation) per second of wall time over all threads.
// shared_lines: cache lines that blocks of two lineages share at the end (see shared_lines below).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <thread>
#include <vector>

#include "../support/isolated_runs.hpp"
#include "mt_cases.hpp"

namespace pool_perf {

namespace {

using framealloc_perf::measurement;

constexpr std::size_t slots = 1000;
constexpr std::size_t generations = 16;

struct lineage {
    void* blocks[slots] = {};
    std::uint16_t bytes[slots] = {};
    std::uint64_t random = 0;
    std::uint64_t sum = 0;
    // After the run: the cache lines of the words the loop touches (each block's first and last), sorted,
    // without repeats; `line_count` of them. Part of the struct so that it costs every contender alike.
    std::array<std::uintptr_t, 2 * slots> lines = {};
    std::size_t line_count = 0;
};

void collect_lines(lineage& a) {
    std::size_t n = 0;
    for (std::size_t s = 0; s < slots; ++s) {
        const auto first = reinterpret_cast<std::uintptr_t>(a.blocks[s]);
        a.lines[n++] = first / 64;
        a.lines[n++] = (first + a.bytes[s] - 8) / 64;
    }
    std::sort(a.lines.begin(), a.lines.begin() + static_cast<std::ptrdiff_t>(n));
    a.line_count = static_cast<std::size_t>(std::unique(a.lines.begin(), a.lines.begin() + static_cast<std::ptrdiff_t>(n)) - a.lines.begin());
}

bool holds_line(const lineage& a, std::uintptr_t line) {
    return std::binary_search(a.lines.begin(), a.lines.begin() + static_cast<std::ptrdiff_t>(a.line_count), line);
}

// Cache lines that the loops of two or more lineages touch at the end of the run: each write to one
// by a thread is a miss for the thread of the other lineage (0 when the allocator keeps threads'
// blocks apart).
std::size_t shared_lines(std::vector<lineage>& lineages) {
    for (lineage& a : lineages) collect_lines(a);
    std::size_t shared = 0;
    for (std::size_t l = 0; l < lineages.size(); ++l)
        for (std::size_t k = 0; k < lineages[l].line_count; ++k) {
            const std::uintptr_t line = lineages[l].lines[k];
            bool earlier = false;
            bool later = false;
            for (std::size_t j = 0; j < lineages.size(); ++j)
                if (j != l && holds_line(lineages[j], line)) (j < l ? earlier : later) = true;
            if (!earlier && later) ++shared;  // counted once, at the first lineage that holds it
        }
    return shared;
}

// How spread out a lineage's blocks are at the end of the run (after shared_lines collected the
// lines): the distinct cache lines and 4 KiB pages its loop touches, averaged over the lineages. The
// fewer, the more of them the loop finds in the first-level cache and TLB.
double lines_per_lineage(const std::vector<lineage>& lineages) {
    double lines = 0;
    for (const lineage& a : lineages) lines += static_cast<double>(a.line_count);
    return lines / static_cast<double>(lineages.size());
}

double pages_per_lineage(const std::vector<lineage>& lineages) {
    double pages = 0;
    for (const lineage& a : lineages)
        for (std::size_t k = 0; k < a.line_count; ++k)
            if (k == 0 || a.lines[k] / 64 != a.lines[k - 1] / 64) ++pages;  // lines are sorted: 64 lines a page
    return pages / static_cast<double>(lineages.size());
}

inline std::uint64_t next_random(std::uint64_t& x) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 33;
}

inline std::size_t random_bytes(std::uint64_t& x) { return (2 + next_random(x) % 31) * 8; }

void run(measurement& m, double scale, contender c, int t) {
    box_options options;
    options.shared = true;
    const std::unique_ptr<resource_box> box = make_or_throw(c, options);
    std::pmr::memory_resource* resource = box->get();
    const auto rounds = static_cast<std::size_t>(std::max(100.0, 200000 * scale));

    std::vector<lineage> lineages(static_cast<std::size_t>(t));
    for (std::size_t l = 0; l < lineages.size(); ++l) {  // filled by the main thread, before timing
        lineage& a = lineages[l];
        a.random = 0x9e3779b97f4a7c15ull * (l + 1);
        for (std::size_t s = 0; s < slots; ++s) {
            a.bytes[s] = static_cast<std::uint16_t>(random_bytes(a.random));
            a.blocks[s] = resource->allocate(a.bytes[s], 8);
            *static_cast<std::uint64_t*>(a.blocks[s]) = s;
        }
    }
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t g = 0; g < generations; ++g) {
        std::vector<std::thread> threads;
        for (lineage& a : lineages)
            threads.emplace_back([&a, resource, rounds] {
                std::uint64_t x = a.random;
                std::uint64_t sum = a.sum;
                for (std::size_t r = 0; r < rounds; ++r) {
                    const std::size_t s = next_random(x) % slots;
                    sum += *static_cast<const std::uint64_t*>(a.blocks[s]);
                    resource->deallocate(a.blocks[s], a.bytes[s], 8);
                    const std::size_t bytes = random_bytes(x);
                    auto* words = static_cast<std::uint64_t*>(resource->allocate(bytes, 8));
                    words[0] = r;
                    words[bytes / 8 - 1] = r;
                    a.blocks[s] = words;
                    a.bytes[s] = static_cast<std::uint16_t>(bytes);
                }
                a.random = x;
                a.sum = sum;
            });
        for (std::thread& th : threads) th.join();
    }
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.ops = static_cast<double>(rounds * generations * lineages.size());
    m.set("shared_lines", static_cast<double>(shared_lines(lineages)));
    m.set("lines_per_lineage", static_cast<double>(lines_per_lineage(lineages)));
    m.set("pages_per_lineage", static_cast<double>(pages_per_lineage(lineages)));
    std::uint64_t total = 0;
    for (lineage& a : lineages) {
        total += a.sum;
        for (std::size_t s = 0; s < slots; ++s) resource->deallocate(a.blocks[s], a.bytes[s], 8);
    }
    m.set("checksum", static_cast<double>(total % 1000003));
    if (const double held = box->peak_held_bytes(); held >= 0) m.set("peak_held_bytes", held);
}

}  // namespace

void register_larson_cases() {
    for (const int t : {1, 2, 4})
        for (const contender c : shared_contenders)
            framealloc_perf::register_case({"larson", std::string(name_of(c)), {{"T", t}}, "",
                                            [=](framealloc_perf::measurement& m, double scale) { run(m, scale, c, t); }});
}

}  // namespace pool_perf
