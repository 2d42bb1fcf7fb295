// A thread's cache of free blocks for one pool_resource: one intrusive LIFO list per size class (the
// link is the first word of each free block). Only its thread touches the lists — no lock, no atomic.
// Bounded: a list that grows past `limit` hands a batch back to the pool's depot.
module;
#include <array>
#include <atomic>
#include <cstdint>
export module framealloc.pool:thread_cache;

import :size_classes;

export namespace framealloc::detail {

struct free_list {
    void* head = nullptr;
    std::uint32_t count = 0;
    std::uint32_t limit = 0;  // flush threshold: two batches
};

[[nodiscard]] inline void*& next_of(void* block) noexcept { return *static_cast<void**>(block); }

// Aligned to a cache line, so that no other object shares a line with it: the lists are written on
// every allocate and deallocate, and another thread's cache (the heap often places two next to each
// other) writes its depot counters on each of its batches; sharing a line would make every such write
// a miss on this thread's hottest classes.
struct alignas(64) pool_thread_cache {
    // Lists start with limit 0 (probation, below); settling gives them their bound.
    void set_limits() noexcept {
        for (std::size_t c = 0; c < class_count; ++c) lists[c].limit = 2 * batch_blocks(c);
    }
    std::array<free_list, class_count> lists;
    // The depot stripe this cache pushes its batches to and takes them back from first. Until it is
    // settled (pool_registry::settle_stripe_locked, under the registry's mutex; fixed for the cache's
    // life after that) the cache is on probation: every list's limit is 0, so each free takes the slow
    // path, which counts the tag of the freed block's line as a vote (line_tag_of), and
    // `stripe` is the leading vote so far (0 before any).
    static constexpr std::uint32_t no_stripe = UINT32_MAX;  // "none" where a stripe is passed
    std::uint32_t stripe = 0;
    bool stripe_settled = false;
    std::uint8_t probation_refills = 0;  // refills while on probation: a thread that only allocates settles after a few
    std::uint8_t voted = 0;              // freed blocks looked at while on probation
    std::array<std::uint8_t, 8> votes{};  // per stripe (batch_stack::stripes)
    bool refilled = false;                // the thread has taken a batch (it allocates, not only frees)
    std::uint32_t steal_hint = 0;  // the stripe this cache last took a batch from, its own aside
    // Blocks this cache handed to the depot and took back from it (lifetime), for pool_stats. Written by
    // the cache's thread only, on its slow paths (a batch at a time), with plain load + store; atomic
    // so that stats() may read them from any thread (relaxed: counters, no ordering needed).
    std::atomic<std::uint64_t> blocks_to_depot{0};
    std::atomic<std::uint64_t> blocks_from_depot{0};

    static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
        counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
};

}  // namespace framealloc::detail
