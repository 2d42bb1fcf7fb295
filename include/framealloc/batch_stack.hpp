// batch_stack: the depot of one size class. A bounded lock-free store of batch descriptors
// {first block, count} over a fixed array of nodes: `stripes` stacks of batches (one per group of
// threads) and one free list of nodes, all stacks of the same kind. Internal to framealloc.pool
// (included in the global module fragments of modules/pool/pool_registry.cppm and the pool's
// implementation units).
//
// Why stripes: a thread that hands a batch to the depot usually takes one back soon after (its cache
// empties and fills as its own frees and allocations wander). Taken back from its own stripe, the
// batch's blocks stay with the thread whose live blocks share their cache lines; taken by a thread on
// another core, each of the two threads writes lines the other reads, and every such access is a
// miss. A thread pushes to its stripe and pops from it first, then from the others in turn (a thread
// that only allocates, as a producer, takes what its consumers pushed). The nodes are shared, so the
// stripes together hold at most `capacity` batches, as one stack would.
//
// Why not Boost.Lockfree's stack: its free list reads a node's `next` non-atomically while another
// thread may be recycling that node (the value is discarded when the CAS fails). That is the classic
// Treiber-stack read, benign in practice but a data race in the C++ memory model, and ThreadSanitizer
// reports it under contention. Here every shared field is an atomic, so the same algorithm is race-free.
//
// Correctness argument (each stripe and the free list are Treiber stacks over the same nodes; a node
// is in at most one of them, or owned by the one thread between a pop and a push):
// - ABA: a stack head is (32-bit tag << 32 | 32-bit node index) and every successful CAS on that head
//   increments its tag, so a pop whose snapshot went stale (the node was popped, recycled, perhaps
//   through other stripes, and pushed back meanwhile) fails its CAS: the tag differs. Wrapping the tag
//   needs 2^32 successful operations on one head between a thread's load and its CAS.
// - A stale read of node.next (the node was recycled) is harmless for the same reason: the CAS that
//   would publish it fails and the loop retries with a fresh head.
// - Publication: push() writes the node's payload, then links the node with a release CAS; pop()
//   acquires the head (load and CAS), so the payload and the batch's block links written before the
//   push are visible to the popper. Intermediate successful CASes by other threads are read-modify-
//   writes and continue the release sequence. A node moved from one stack to another is published
//   again by the release CAS of the push that links it.
// - Bounded: push() fails (returns false) when no node is free; the caller spills to its overflow list.
// - A stripe's `depth` and `reserve` are relaxed hints beside its head, written after the push or pop
//   they describe; they only decide which stripe a pop tries, never what a pop returns, so a stale or
//   momentarily wrong value costs a batch taken elsewhere or carved anew, nothing else.
// - Lazy nodes: the node array is allocated, not written, at construction; a node is constructed the
//   first time push() takes it. push() takes a recycled node from the free stack, else claims a fresh
//   index with a CAS on `fresh_` (below `capacity_`): a claimed index belongs to that thread alone (it
//   is in no stack), which constructs the node and then publishes it by the release CAS of
//   push_index. Only published nodes are ever read through a stack head, so no thread reads a node
//   that is not constructed. A depot sized for megabytes of free blocks thus costs resident memory
//   only for the batches it has actually held (capacity x 24 bytes reserved, mostly never touched).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <new>

namespace framealloc::detail {

struct batch {
    void* head;
    std::uint32_t count;
};

class batch_stack {
public:
    static constexpr std::uint32_t stripes = 8;

    // The node array comes from `memory` (the pools pass their page source, so that an array's pages
    // are resident only once its nodes are used; a heap would write a chunk header at each end).
    // Throws what memory->allocate throws.
    batch_stack(std::uint32_t capacity, std::pmr::memory_resource* memory)
        : memory_(memory), nodes_(static_cast<node*>(memory->allocate(bytes_for(capacity), alignof(node)))), capacity_(capacity) {
        free_.store(pack(0, nil), std::memory_order_relaxed);
        for (stripe_top& t : tops_) t.head.store(pack(0, nil), std::memory_order_relaxed);
    }
    ~batch_stack() { memory_->deallocate(nodes_, bytes_for(capacity_), alignof(node)); }
    batch_stack(const batch_stack&) = delete;
    batch_stack& operator=(const batch_stack&) = delete;

    // Pushes b on stripe `stripe` (taken modulo stripes). False when every node is in use.
    [[nodiscard]] bool push(batch b, std::uint32_t stripe = 0) noexcept {
        std::uint32_t i = 0;
        if (!pop_index(free_, i)) {
            if (!claim_fresh(i)) return false;
            ::new (&nodes_[i]) node{};  // atomics: trivially destructible, never destroyed one by one
        }
        nodes_[i].head.store(b.head, std::memory_order_relaxed);
        nodes_[i].count.store(b.count, std::memory_order_relaxed);
        push_index(tops_[stripe % stripes].head, i);
        tops_[stripe % stripes].depth.fetch_add(1, std::memory_order_relaxed);
        return true;
    }

    // Pops the batch pushed last on stripe `stripe`; when that stripe is empty, on stripe `hint` (where
    // the caller last found one elsewhere), else on the next non-empty stripe after `stripe`, and then
    // sets `hint` to that stripe. False when every stripe was found empty.
    // The hint spares a thread that only allocates (a producer, whose own stripe stays empty) a walk
    // over stripes that other cores write, where each empty head read may be a cache miss.
    // Another stripe is taken from only when it is no thread's reserve
    // (its threads have never taken a batch back from it: a consumer's, whose thread only frees), or
    // holds at least `steal_depth` batches. A thread that frees what it allocates takes its own
    // batches back: its stripe's depth wanders around a few batches, its reserve, which another thread
    // would mix with its own blocks in the same cache lines (each one's writes then misses for the
    // other); that thread tries the next stripe, and carves new blocks when none can spare a batch.
    [[nodiscard]] bool pop(batch& out, std::uint32_t stripe, std::uint32_t& hint) noexcept {
        stripe %= stripes;
        std::uint32_t i = 0;
        std::uint32_t from = stripe;
        bool found = pop_index(tops_[from].head, i);
        if (!found && hint % stripes != stripe && may_take(hint % stripes)) found = pop_index(tops_[from = hint % stripes].head, i);
        for (std::uint32_t k = 1; k < stripes && !found; ++k)
            if (may_take((stripe + k) % stripes)) found = pop_index(tops_[from = (stripe + k) % stripes].head, i);
        if (!found) return false;
        if (from == stripe && !tops_[from].reserve.load(std::memory_order_relaxed)) tops_[from].reserve.store(true, std::memory_order_relaxed);
        if (from != stripe) hint = from;
        out = release(from, i);
        return true;
    }

    [[nodiscard]] bool pop(batch& out, std::uint32_t stripe = 0) noexcept {
        std::uint32_t hint = stripe;
        return pop(out, stripe, hint);
    }

    // Pops a batch from any stripe, reserves included (compaction, which must see every batch).
    [[nodiscard]] bool take_any(batch& out) noexcept {
        for (std::uint32_t s = 0; s < stripes; ++s) {
            std::uint32_t i = 0;
            if (!pop_index(tops_[s].head, i)) continue;
            out = release(s, i);
            return true;
        }
        return false;
    }

    // Batches on stripe s: a count kept beside the stripe's head, updated after each push and pop (so
    // for a moment it may lag the stack, even read negative: a heuristic, never a bound).
    [[nodiscard]] std::int32_t depth(std::uint32_t s) const noexcept {
        return tops_[s % stripes].depth.load(std::memory_order_relaxed);
    }

    static constexpr std::int32_t steal_depth = 4;

private:
    static constexpr std::uint32_t nil = UINT32_MAX;

    struct node {
        std::atomic<std::uint32_t> next{nil};
        std::atomic<void*> head{nullptr};
        std::atomic<std::uint32_t> count{0};
    };

    static constexpr std::size_t bytes_for(std::uint32_t capacity) noexcept {
        return std::size_t(capacity > 0 ? capacity : 1) * sizeof(node);
    }
    static constexpr std::uint64_t pack(std::uint32_t tag, std::uint32_t index) noexcept {
        return (std::uint64_t(tag) << 32) | index;
    }
    static constexpr std::uint32_t index_of(std::uint64_t v) noexcept { return static_cast<std::uint32_t>(v); }
    static constexpr std::uint32_t tag_of(std::uint64_t v) noexcept { return static_cast<std::uint32_t>(v >> 32); }

    // The batch of node i, just popped from stripe s; the node goes back to the free list.
    batch release(std::uint32_t s, std::uint32_t i) noexcept {
        tops_[s].depth.fetch_sub(1, std::memory_order_relaxed);
        const batch b{nodes_[i].head.load(std::memory_order_relaxed), nodes_[i].count.load(std::memory_order_relaxed)};
        push_index(free_, i);
        return b;
    }

    [[nodiscard]] bool may_take(std::uint32_t s) const noexcept {
        return !tops_[s].reserve.load(std::memory_order_relaxed) || depth(s) >= steal_depth;
    }

    bool claim_fresh(std::uint32_t& index) noexcept {
        std::uint32_t n = fresh_.load(std::memory_order_relaxed);
        while (n < capacity_)
            if (fresh_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed, std::memory_order_relaxed)) {
                index = n;
                return true;
            }
        return false;
    }

    bool pop_index(std::atomic<std::uint64_t>& stack, std::uint32_t& index) noexcept {
        std::uint64_t old = stack.load(std::memory_order_acquire);
        for (;;) {
            const std::uint32_t i = index_of(old);
            if (i == nil) return false;
            const std::uint32_t next = nodes_[i].next.load(std::memory_order_relaxed);
            if (stack.compare_exchange_weak(old, pack(tag_of(old) + 1, next), std::memory_order_acquire,
                                            std::memory_order_acquire)) {
                index = i;
                return true;
            }
        }
    }

    void push_index(std::atomic<std::uint64_t>& stack, std::uint32_t i) noexcept {
        std::uint64_t old = stack.load(std::memory_order_relaxed);
        for (;;) {
            nodes_[i].next.store(index_of(old), std::memory_order_relaxed);
            if (stack.compare_exchange_weak(old, pack(tag_of(old) + 1, i), std::memory_order_release,
                                            std::memory_order_relaxed))
                return;
        }
    }

    std::pmr::memory_resource* memory_;
    node* nodes_;
    std::uint32_t capacity_;
    std::atomic<std::uint32_t> fresh_{0};  // nodes [0, fresh_) have been constructed
    struct alignas(64) stripe_top {
        std::atomic<std::uint64_t> head;
        std::atomic<std::int32_t> depth{0};  // batches on the stripe (see depth())
        std::atomic<bool> reserve{false};    // its own threads have taken batches back from it
    };
    stripe_top tops_[stripes];
    alignas(64) std::atomic<std::uint64_t> free_;
};

}  // namespace framealloc::detail
