// pool_registry: the shared state of one pool_resource — its thread caches, the depot (per-class
// lock-free stacks of batches), the overflow lists, the slabs and the heap-fallback counters. The
// pool holds it by shared_ptr, so exiting threads can return their caches after the pool is gone.
//
// Internal (detail): the cold paths of the pool (impl/pool/) work on it; importers never need it.
//
// Correctness of the depot: a batch is a chain of free blocks linked through their first word plus a
// descriptor {head, count} held in a batch_stack (lock-free, tagged indices; its argument is in
// framealloc/batch_stack.hpp). A batch is owned by exactly one party at a time — a thread cache, the stack, or the
// compaction holding the central lock — so its links are only written by its owner; the stack's push
// (release) / pop (acquire) hands the chain's contents from one thread to the next.
module;
#include <framealloc/batch_stack.hpp>
#include <framealloc/poison.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>
export module framealloc.pool:pool_registry;

import framealloc.core;
import framealloc.diagnostics;
import :size_classes;
import :slab;
import :thread_cache;
import :pool_resource;

export namespace framealloc::detail {

struct pool_registry final : thread_registry {
    pool_registry(const pool_options& o, std::uint64_t pool_id);
    ~pool_registry() override;

    void* create_thread_state() override;
    void thread_exited(void* state) noexcept override;

    // Every list of `cache` back to the depot (short batches allowed).
    void return_cache(pool_thread_cache& cache) noexcept;
    // A full depot spills into the overflow list (central lock). Compaction runs when the overflow has
    // doubled since the last one, so a depot that stays full because its slabs are all partly in use
    // costs amortised O(1) per batch, not a scan per flush.
    // Never throws: a deallocate must not fail. Without memory for the depot or the overflow list the
    // batch joins the class's orphans (chained through the blocks, nothing allocated).
    // `stripe`: the pushing thread's depot stripe (pool_thread_cache::stripe; batch_stack says why).
    void push_batch(std::size_t c, batch b, std::uint32_t stripe) noexcept;
    // Chains b in front of the orphans of class c (central lock held).
    void adopt_orphans_locked(std::size_t c, batch b) noexcept;
    // inline: a member defined in a class of a named module is not implicitly inline.
    // A batch from the calling thread's stripe first, else from a stripe that is no thread's reserve
    // or is deep enough to spare one (batch_stack::pop).
    inline bool pop_batch(std::size_t c, batch& out, std::uint32_t stripe, std::uint32_t& hint) noexcept {
        batch_stack* d = depot[c].load(std::memory_order_acquire);
        return d != nullptr && d->pop(out, stripe, hint);
    }
    // Stripe choice. A new cache votes with the blocks its thread frees first: each vote is the tag of
    // the freed block's cache line (line_tag_of: the stripe of the cache that last carved, flushed or
    // returned a block there). Once
    // `votes_to_settle` blocks are counted (or after `refills_to_settle` refills, for a thread that
    // only allocates), the cache settles on the most voted stripe that no settled cache works from,
    // else on the stripe with the fewest settled caches. A thread that takes over the blocks of one
    // that exited (a server's next worker, a job system's next job) thus takes over its stripe, where
    // the batches of those blocks wait, instead of a stripe that holds another thread's blocks.
    static constexpr std::uint32_t votes_to_settle = 16;
    static constexpr std::uint32_t refills_to_settle = 16;
    // Counts the block p, freed by the cache's thread while on probation; settles the cache when it
    // has counted enough (takes the registry mutex then). Never throws.
    void vote(pool_thread_cache& cache, void* p) noexcept;
    // A refill while on probation: settles after refills_to_settle of them.
    void refill_on_probation(pool_thread_cache& cache) noexcept;
    void settle_stripe(pool_thread_cache& cache) noexcept;  // takes the registry mutex
    void settle_stripe_locked(pool_thread_cache& cache) noexcept;
    // The depot of class c, made on first use: a pool pays only for the classes it serves (an empty
    // pool allocates nothing per class). Two threads may race to make it: one wins the CAS, the
    // other deletes its own (the acquire/release pair publishes the stack's initialised nodes).
    batch_stack& depot_for(std::size_t c);
    // Compaction of class c (central lock held): pulls every batch out of the depot, counts free
    // blocks per slab, releases slabs whose blocks are all free while the pool holds more than
    // `keep_bytes`, and puts the rest back in batches. Returns the bytes released.
    std::size_t compact_locked(std::size_t c, std::size_t keep_bytes);
    // Unlinks a slab from `all_slabs` and gives it back upstream (central lock held).
    void release_slab(slab_header* s) noexcept;
    void free_slab_memory(slab_header* s) noexcept;
    // A batch of free blocks of class c when the depot has none (central lock held): the overflow's,
    // the orphans', else the next batch carved from the class's slab, taking a new slab from upstream
    // when that one is carved to its end (throws bad_alloc when the upstream cannot give one). Carved
    // blocks' lines are tagged with `stripe` unless it is pool_thread_cache::no_stripe.
    batch carve_locked(std::size_t c, std::uint32_t stripe);
    // A new slab of class c from upstream, registered and counted, nothing carved (central lock held).
    slab_header* new_slab_locked(std::size_t c);

    pool_options options;
    std::uint64_t id;
    std::uint64_t magic;
    resource_duties heap_duties;  // what the heap fallback counts and checks itself
    std::array<std::atomic<batch_stack*>, class_count> depot{};  // owned; null until first used
    std::vector<std::unique_ptr<pool_thread_cache>> caches;  // under thread_registry::mutex
    // Settled live caches per depot stripe (same mutex).
    std::array<std::uint32_t, batch_stack::stripes> stripe_users{};
    std::uint64_t retired_blocks_to_depot = 0;   // counters of exited threads' caches (same mutex)
    std::uint64_t retired_blocks_from_depot = 0;

    std::mutex central;  // slabs, overflow, counters below
    std::array<std::vector<batch>, class_count> overflow;
    std::array<batch, class_count> orphans{};  // free blocks chained when no list could take them
    std::array<slab_header*, class_count> carving{};  // the slab each class carves from; null: none
    std::array<std::size_t, class_count> next_compaction = {};  // overflow size that triggers compaction
    slab_header* all_slabs = nullptr;
    std::size_t slab_count = 0;
    std::size_t slab_bytes = 0;
    std::size_t peak_slab_bytes = 0;
    std::uint64_t slabs_released = 0;

    std::atomic<std::uint64_t> heap_allocations{0};
    std::atomic<std::uint64_t> heap_deallocations{0};
    std::atomic<std::size_t> heap_bytes{0};

#if FRAMEALLOC_DEBUG_ENABLED
    std::unique_ptr<block_table> blocks;  // live blocks (pooled and heap fallback) with their backtraces
#endif
};

}  // namespace framealloc::detail
