// pool_resource's cold paths: construction and destruction, refill and flush of the thread caches,
// the general (over-aligned, oversize, counted) paths and the heap fallback, statistics.
module;
#include <framealloc/poison.hpp>

#include <framealloc/batch_stack.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
module framealloc.pool;

import framealloc.core;
import framealloc.diagnostics;


namespace framealloc {

using detail::class_count;
using detail::class_sizes;
using detail::pool_registry;

pool_resource::pool_resource(pool_options options)
    : id_(detail::next_resource_id()), magic_(detail::slab_key() ^ id_),
      registry_(std::make_shared<pool_registry>(options, id_)) {}

pool_resource::~pool_resource() {
#if FRAMEALLOC_DEBUG_ENABLED
    try {
        registry_->blocks->report_leaks();  // FA107; strict mode aborts
    } catch (...) {
        // Out of memory for the report: the leak goes unreported, nothing else is affected.
    }
    // The slabs go back upstream below, their addresses may be reused: no other table lookup may
    // attribute them to this pool (the registry, and the table, can outlive it until threads exit).
    registry_->blocks->clear();
#endif
    {
        std::lock_guard lock(registry_->mutex);
        registry_->alive.store(false, std::memory_order_relaxed);
        registry_->caches.clear();
    }
    std::lock_guard lock(registry_->central);
    while (detail::slab_header* s = registry_->all_slabs) {
        registry_->all_slabs = s->next;
        registry_->free_slab_memory(s);
    }
    detail::forget_thread_slot(id_);
}

const pool_options& pool_resource::options() const noexcept { return registry_->options; }

detail::pool_thread_cache& pool_resource::bind_calling_thread() {
    return *static_cast<detail::pool_thread_cache*>(detail::bind_thread(id_, registry_));
}

// The cache list of class c is empty (or the thread not bound yet, or an over-aligned request came
// through allocate_general): pop from the cache if it has a block, else take a batch from the depot,
// else carve a slab. The request is charged and counted here (refunded if no block can be had).
void* pool_resource::refill(std::size_t c, std::size_t bytes) {
    return detail::charged_allocate(memory_kind::pool, bytes, [&] { return take_block(c); });
}

void* pool_resource::take_block(std::size_t c) {
    detail::pool_thread_cache& cache = local_cache();
    detail::free_list& list = cache.lists[c];
    void* block = list.head;
    if (block != nullptr) {
        list.head = detail::next_of(block);
        --list.count;
    } else {
        if (!cache.stripe_settled) [[unlikely]] registry_->refill_on_probation(cache);
        cache.refilled = true;
        detail::batch b;
        bool from_depot = registry_->pop_batch(c, b, cache.stripe, cache.steal_hint);
        if (!from_depot) {
            std::lock_guard lock(registry_->central);
            from_depot = registry_->pop_batch(c, b, cache.stripe, cache.steal_hint);
            if (!from_depot)  // throws bad_alloc from upstream
                b = registry_->carve_locked(c, cache.stripe_settled ? cache.stripe : detail::pool_thread_cache::no_stripe);
        }
        if (from_depot) detail::pool_thread_cache::add(cache.blocks_from_depot, b.count);
        block = b.head;
        list.head = detail::next_of(block);
        list.count = b.count - 1;
    }
    return block;
}

void pool_resource::flush(std::size_t c) {
    detail::pool_thread_cache& cache = local_cache();
    detail::free_list& list = cache.lists[c];
    if (!cache.stripe_settled) [[unlikely]] registry_->settle_stripe(cache);
    const std::uint32_t n = detail::batch_blocks(c);
    void* head = list.head;
    void* last = head;
    for (std::uint32_t k = 1; k < n; ++k) last = detail::next_of(last);
    // A thread that also allocates (its blocks come back to it) keeps the line tags of its blocks
    // current, two samples a batch. One that only frees (a consumer) skips it: its flushed blocks span
    // many slabs whose tag lines would miss in its cache, a tenth of its throughput when it tagged
    // every block, and its successors, if any, get no blocks of it to vote with.
    if (cache.refilled) {
        detail::tag_line(head, cache.stripe);
        detail::tag_line(last, cache.stripe);
    }
    list.head = detail::next_of(last);
    list.count -= n;
    detail::next_of(last) = nullptr;
    detail::pool_thread_cache::add(cache.blocks_to_depot, n);
    registry_->push_batch(c, detail::batch{head, n}, cache.stripe);
}

// The cache is full (or the thread not bound yet): push, then hand a batch to the depot if over.
void pool_resource::deallocate_slow(void* p, std::size_t c) {
    detail::pool_thread_cache* cache = nullptr;
    try {
        cache = &local_cache();
    } catch (...) {
        // The thread has no cache and none can be made (out of memory): the block goes to the depot
        // alone. A deallocate never throws.
        detail::next_of(p) = nullptr;
        registry_->push_batch(c, detail::batch{p, 1}, 0);
        return;
    }
    detail::free_list& list = cache->lists[c];
    if (!cache->stripe_settled) registry_->vote(*cache, p);  // probation: every free comes here
    detail::next_of(p) = list.head;
    list.head = p;
    if (++list.count > list.limit && cache->stripe_settled) flush(c);
}

void pool_resource::flush_thread_cache() {
    void* state = detail::find_thread_state(id_);
    if (state == nullptr) return;
    auto& cache = *static_cast<detail::pool_thread_cache*>(state);
    if (!cache.stripe_settled) registry_->settle_stripe(cache);
    registry_->return_cache(cache);
}

std::size_t pool_resource::release_empty_slabs(std::size_t keep_bytes) {
    std::lock_guard lock(registry_->central);
    std::size_t released = 0;
    for (std::size_t c = 0; c < class_count; ++c) released += registry_->compact_locked(c, keep_bytes);
    return released;
}

// Over-aligned pooled classes count as pool; the heap fallback counts as heap, by the fallback when it
// counts what it serves (a heap_resource), else here.
void* pool_resource::allocate_general(std::size_t bytes, std::size_t alignment) {
    const std::size_t c = detail::class_for(detail::guarded_size(bytes), alignment);
    if (c < class_count) {
#if FRAMEALLOC_DEBUG_ENABLED
        return debug_on_allocate(refill(c, bytes), c, bytes, alignment);
#else
        return refill(c, bytes);
#endif
    }
    if (bytes > max_request_bytes) throw_bad_alloc();  // before any upstream sees it
    auto from_heap = [&]() -> void* {
#if FRAMEALLOC_DEBUG_ENABLED
        if (!registry_->heap_duties.checks) return debug_heap_allocate(bytes, alignment);
#endif
        void* p = registry_->options.heap->allocate(bytes, alignment);
        registry_->heap_allocations.fetch_add(1, std::memory_order_relaxed);
        registry_->heap_bytes.fetch_add(bytes, std::memory_order_relaxed);
        return p;
    };
    if (registry_->heap_duties.counts) return from_heap();
    return detail::charged_allocate(memory_kind::heap, bytes, from_heap);
}

void pool_resource::deallocate_general(void* p, std::size_t bytes, std::size_t alignment) {
    const std::size_t c = detail::class_for(detail::guarded_size(bytes), alignment);
    if (c < class_count) {
        const detail::slab_header* slab = detail::slab_of(p);
        if (!detail::in_some_slab(p) || slab->magic != magic_ || slab->size_class != c || !detail::is_carved_block(slab, p, c))
            return reject(p, bytes, alignment);
#if FRAMEALLOC_DEBUG_ENABLED
        debug_on_deallocate(p, c, bytes, alignment);
#endif
        detail::diag_on_free(memory_kind::pool, bytes, p);
        return deallocate_slow(p, c);
    }
    // A block of one of this pool's slabs freed with a size or alignment that the pool serves from
    // the heap: handing it to the heap would free a pointer the heap never gave out.
    if (detail::in_some_slab(p) && detail::slab_of(p)->magic == magic_) return reject(p, bytes, alignment);
    if (!registry_->heap_duties.counts) detail::diag_on_free(memory_kind::heap, bytes, p);
#if FRAMEALLOC_DEBUG_ENABLED
    if (!registry_->heap_duties.checks) return debug_heap_deallocate(p, bytes, alignment);
#endif
    registry_->options.heap->deallocate(p, bytes, alignment);
    registry_->heap_deallocations.fetch_add(1, std::memory_order_relaxed);
    registry_->heap_bytes.fetch_sub(bytes, std::memory_order_relaxed);
}

pool_stats pool_resource::stats() const {
    pool_stats s;
    {
        std::lock_guard lock(registry_->central);
        s.slab_count = registry_->slab_count;
        s.slab_bytes = registry_->slab_bytes;
        s.peak_slab_bytes = registry_->peak_slab_bytes;
        s.slabs_released = registry_->slabs_released;
    }
    {
        std::lock_guard lock(registry_->mutex);
        s.threads = registry_->caches.size();
        s.blocks_to_depot = registry_->retired_blocks_to_depot;
        s.blocks_from_depot = registry_->retired_blocks_from_depot;
        for (const auto& cache : registry_->caches) {
            s.blocks_to_depot += cache->blocks_to_depot.load(std::memory_order_relaxed);
            s.blocks_from_depot += cache->blocks_from_depot.load(std::memory_order_relaxed);
        }
    }
    s.heap_allocations = registry_->heap_allocations.load(std::memory_order_relaxed);
    s.heap_deallocations = registry_->heap_deallocations.load(std::memory_order_relaxed);
    s.heap_bytes = registry_->heap_bytes.load(std::memory_order_relaxed);
    return s;
}

}  // namespace framealloc
