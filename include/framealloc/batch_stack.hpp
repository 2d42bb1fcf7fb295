// batch_stack: the depot of one size class. A bounded lock-free stack of batch descriptors
// {first block, count} over a fixed array of nodes, with a second stack of the same kind as the free
// list of nodes. Internal to framealloc.pool (included in the global module fragments of
// modules/pool/pool_registry.cppm and the pool's implementation units).
//
// Why not Boost.Lockfree's stack: its free list reads a node's `next` non-atomically while another
// thread may be recycling that node (the value is discarded when the CAS fails). That is the classic
// Treiber-stack read, benign in practice but a data race in the C++ memory model, and ThreadSanitizer
// reports it under contention. Here every shared field is an atomic, so the same algorithm is race-free.
//
// Correctness argument:
// - ABA: a stack head is (32-bit tag << 32 | 32-bit node index) and every successful CAS increments the
//   tag, so a pop whose snapshot went stale (the node was popped, recycled and pushed back meanwhile)
//   fails its CAS: the tag differs. Wrapping the tag needs 2^32 successful operations on one stack
//   between a thread's load and its CAS.
// - A stale read of node.next (the node was recycled) is harmless for the same reason: the CAS that
//   would publish it fails and the loop retries with a fresh head.
// - Publication: push() writes the node's payload, then links the node with a release CAS; pop()
//   acquires the head (load and CAS), so the payload and the batch's block links written before the
//   push are visible to the popper. Intermediate successful CASes by other threads are read-modify-
//   writes and continue the release sequence.
// - Bounded: push() fails (returns false) when no node is free; the caller spills to its overflow list.
// - Lazy nodes: the node array is allocated, not written, at construction; a node is constructed the
//   first time push() takes it. push() takes a recycled node from the free stack, else claims a fresh
//   index with a CAS on `fresh_` (below `capacity_`): a claimed index belongs to that thread alone (it
//   is in neither stack), which constructs the node and then publishes it by the release CAS of
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
    // The node array comes from `memory` (the pools pass their page source, so that an array's pages
    // are resident only once its nodes are used; a heap would write a chunk header at each end).
    // Throws what memory->allocate throws.
    batch_stack(std::uint32_t capacity, std::pmr::memory_resource* memory)
        : memory_(memory), nodes_(static_cast<node*>(memory->allocate(bytes_for(capacity), alignof(node)))), capacity_(capacity) {
        free_.store(pack(0, nil), std::memory_order_relaxed);
        top_.store(pack(0, nil), std::memory_order_relaxed);
    }
    ~batch_stack() { memory_->deallocate(nodes_, bytes_for(capacity_), alignof(node)); }
    batch_stack(const batch_stack&) = delete;
    batch_stack& operator=(const batch_stack&) = delete;

    [[nodiscard]] bool push(batch b) noexcept {
        std::uint32_t i = 0;
        if (!pop_index(free_, i)) {
            if (!claim_fresh(i)) return false;
            ::new (&nodes_[i]) node{};  // atomics: trivially destructible, never destroyed one by one
        }
        nodes_[i].head.store(b.head, std::memory_order_relaxed);
        nodes_[i].count.store(b.count, std::memory_order_relaxed);
        push_index(top_, i);
        return true;
    }

    [[nodiscard]] bool pop(batch& out) noexcept {
        std::uint32_t i = 0;
        if (!pop_index(top_, i)) return false;
        out = batch{nodes_[i].head.load(std::memory_order_relaxed), nodes_[i].count.load(std::memory_order_relaxed)};
        push_index(free_, i);
        return true;
    }

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
    alignas(64) std::atomic<std::uint64_t> top_;
    alignas(64) std::atomic<std::uint64_t> free_;
};

}  // namespace framealloc::detail
