// pool_resource's depot and slabs (modules/pool/pool_registry.cppm): batches to and from the per-class
// lock-free stacks, the overflow lists and their compaction, carving and releasing slabs, thread
// caches created and returned.
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
#include <cstring>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
module framealloc.pool;

import framealloc.core;
import framealloc.diagnostics;


namespace framealloc::detail {

pool_registry::pool_registry(const pool_options& o, std::uint64_t pool_id)
    : options(o), id(pool_id), magic(slab_key() ^ pool_id) {
    ensure_slab_map();  // before the first slab, and before any deallocate can ask it
    if (options.upstream == nullptr) options.upstream = slab_pages();
    if (options.heap == nullptr) options.heap = std::pmr::new_delete_resource();
    heap_duties = duties_of(options.heap);
#if FRAMEALLOC_DEBUG_ENABLED
    blocks = std::make_unique<block_table>("pool_resource #" + std::to_string(pool_id));
#endif
}

pool_registry::~pool_registry() {
    for (std::atomic<batch_stack*>& d : depot) delete d.load(std::memory_order_acquire);
}

batch_stack& pool_registry::depot_for(std::size_t c) {
    if (batch_stack* d = depot[c].load(std::memory_order_acquire)) return *d;
    const std::size_t batch_bytes = std::size_t(batch_blocks(c)) * class_sizes[c];
    auto made = std::make_unique<batch_stack>(
        static_cast<std::uint32_t>(std::clamp<std::size_t>(options.depot_bytes_per_class / batch_bytes, 16, 1u << 24)),
        slab_pages());
    batch_stack* expected = nullptr;
    if (depot[c].compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel, std::memory_order_acquire))
        return *made.release();
    return *expected;  // another thread made it first; ours is freed
}

void* pool_registry::create_thread_state() {
    static_assert(std::tuple_size_v<decltype(pool_thread_cache::votes)> == batch_stack::stripes, "a vote per stripe");
    caches.push_back(std::make_unique<pool_thread_cache>());  // on probation: limits 0, no stripe yet
    return caches.back().get();
}

void pool_registry::vote(pool_thread_cache& cache, void* p) noexcept {
    if (const std::uint8_t tag = line_tag_of(p).load(std::memory_order_relaxed); tag != 0 && tag <= batch_stack::stripes) {
        const std::uint32_t s = tag - 1u;
        ++cache.votes[s];
        if (cache.votes[s] > cache.votes[cache.stripe]) cache.stripe = s;  // the leader, used until settled
    }
    if (++cache.voted >= votes_to_settle) settle_stripe(cache);
}

void pool_registry::refill_on_probation(pool_thread_cache& cache) noexcept {
    if (++cache.probation_refills >= refills_to_settle) settle_stripe(cache);
}

void pool_registry::settle_stripe(pool_thread_cache& cache) noexcept {
    std::lock_guard lock(mutex);
    settle_stripe_locked(cache);
}

void pool_registry::settle_stripe_locked(pool_thread_cache& cache) noexcept {
    if (cache.stripe_settled) return;
    std::uint32_t chosen = batch_stack::stripes;
    for (std::uint32_t s = 0; s < batch_stack::stripes; ++s)
        if (cache.votes[s] > 0 && stripe_users[s] == 0 && (chosen == batch_stack::stripes || cache.votes[s] > cache.votes[chosen]))
            chosen = s;
    if (chosen == batch_stack::stripes)
        chosen = static_cast<std::uint32_t>(std::min_element(stripe_users.begin(), stripe_users.end()) - stripe_users.begin());
    cache.stripe = chosen;
    cache.stripe_settled = true;
    cache.set_limits();
    ++stripe_users[chosen];
}

void pool_registry::thread_exited(void* state) noexcept {
    auto it = std::find_if(caches.begin(), caches.end(), [&](const auto& c) { return c.get() == state; });
    if (it == caches.end()) return;
    settle_stripe_locked(**it);  // a thread still on probation returns its lists to a stripe too
    return_cache(**it);  // never throws (push_batch)
    --stripe_users[(*it)->stripe];
    retired_blocks_to_depot += (*it)->blocks_to_depot.load(std::memory_order_relaxed);
    retired_blocks_from_depot += (*it)->blocks_from_depot.load(std::memory_order_relaxed);
    caches.erase(it);
}

void pool_registry::return_cache(pool_thread_cache& cache) noexcept {
    for (std::size_t c = 0; c < class_count; ++c) {
        free_list& list = cache.lists[c];
        if (list.head == nullptr) continue;
        for (void* p = list.head; p != nullptr; p = next_of(p)) tag_line(p, cache.stripe);
        pool_thread_cache::add(cache.blocks_to_depot, list.count);
        push_batch(c, batch{list.head, list.count}, cache.stripe);
        list.head = nullptr;
        list.count = 0;
    }
}

void pool_registry::push_batch(std::size_t c, batch b, std::uint32_t stripe) noexcept {
    try {
        if (depot_for(c).push(b, stripe)) return;
    } catch (...) {
        // No memory for the class's depot: the overflow list below takes the batch.
    }
    std::lock_guard lock(central);
    try {
        overflow[c].push_back(b);
    } catch (...) {
        adopt_orphans_locked(c, b);  // no memory for the list either: chained, nothing allocated
        return;
    }
    if (overflow[c].size() >= next_compaction[c]) {
        try {
            compact_locked(c, options.slab_high_water_bytes);
        } catch (...) {
            // compact_locked puts everything back when it cannot finish.
        }
        next_compaction[c] = 2 * overflow[c].size() + 16;
    }
}

void pool_registry::adopt_orphans_locked(std::size_t c, batch b) noexcept {
    void* last = b.head;
    while (next_of(last) != nullptr) last = next_of(last);
    next_of(last) = orphans[c].head;
    orphans[c].head = b.head;
    orphans[c].count += b.count;
}

std::size_t pool_registry::compact_locked(std::size_t c, std::size_t keep_bytes) {
    // A slab is released only while the pool holds more than keep_bytes (below), so at or under it a
    // scan could release nothing: skip it. The scan touches every free block of the class under the
    // central lock; measured on producer/consumer (a depot that overflows on every burst of remote
    // frees) it was the largest single cost, 15 % of the run, for a pool that stayed under its high
    // water mark and so never released a slab.
    if (slab_bytes <= keep_bytes) return 0;
    std::vector<void*> blocks;
    batch b;
    auto take = [&](batch x) {
        for (void* p = x.head; p != nullptr; p = next_of(p)) blocks.push_back(p);
    };
    try {
        blocks.reserve(options.depot_bytes_per_class / class_sizes[c] + 64);
        if (batch_stack* d = depot[c].load(std::memory_order_acquire))
            while (d->take_any(b)) take(b);
        for (const batch& x : overflow[c]) take(x);
        if (orphans[c].head != nullptr) take(orphans[c]);
    } catch (...) {
        // Out of memory for the scan: put back what was taken as one chain; nothing is lost.
        for (std::size_t k = 0; k + 1 < blocks.size(); ++k) next_of(blocks[k]) = blocks[k + 1];
        if (!blocks.empty()) {
            next_of(blocks.back()) = nullptr;
            overflow[c].clear();
            overflow[c].push_back(batch{blocks.front(), static_cast<std::uint32_t>(blocks.size())});
        }
        return 0;
    }
    overflow[c].clear();
    orphans[c] = batch{nullptr, 0};
    for (void* p : blocks) ++slab_of(p)->free_seen;
    // Decide first, release last: a released slab's header must not be read again.
    std::vector<slab_header*> doomed;
    std::size_t remaining = slab_bytes;
    for (void* p : blocks) {
        slab_header* s = slab_of(p);
        // Every block carved so far is free; the rest of the slab was never handed out.
        const std::uint32_t carved = s->carved_bytes.load(std::memory_order_relaxed) / class_sizes[c];
        if (s->free_seen == carved && s->reserved == 0 && remaining > keep_bytes) {
            s->reserved = 1;
            if (carving[c] == s) carving[c] = nullptr;
            doomed.push_back(s);
            remaining -= slab_size;
        }
    }
    std::vector<void*> kept;
    kept.reserve(blocks.size());
    for (void* p : blocks)
        if (slab_of(p)->reserved == 0) kept.push_back(p);
    for (void* p : kept) slab_of(p)->free_seen = 0;
    for (slab_header* s : doomed) release_slab(s);
    const std::size_t released = doomed.size() * slab_size;
    // Rebuild batches from what is kept.
    const std::uint32_t per = batch_blocks(c);
    std::size_t i = 0;
    while (i < kept.size()) {
        const std::size_t n = std::min<std::size_t>(per, kept.size() - i);
        for (std::size_t k = 0; k + 1 < n; ++k) next_of(kept[i + k]) = kept[i + k + 1];
        next_of(kept[i + n - 1]) = nullptr;
        batch nb{kept[i], static_cast<std::uint32_t>(n)};
        if (!depot_for(c).push(nb)) overflow[c].push_back(nb);
        i += n;
    }
    return released;
}

void pool_registry::release_slab(slab_header* s) noexcept {
    slab_header** link = &all_slabs;
    while (*link != nullptr && *link != s) link = &(*link)->next;
    if (*link == s) *link = s->next;
    free_slab_memory(s);
    --slab_count;
    slab_bytes -= slab_size;
    ++slabs_released;
}

void pool_registry::free_slab_memory(slab_header* s) noexcept {
    delete[] s->live_bits;
    s->magic = 0;
    std::byte* base = slab_base(s);
    slab_map_clear(base);
    FRAMEALLOC_RELEASE(base, slab_size);
    detail::hook_chunk_released(base, slab_size, memory_kind::pool);
    options.upstream->deallocate(base, slab_size, slab_size);
}

batch pool_registry::carve_locked(std::size_t c, std::uint32_t stripe) {
    if (!overflow[c].empty()) {
        batch b = overflow[c].back();
        overflow[c].pop_back();
        return b;
    }
    if (orphans[c].head != nullptr) return std::exchange(orphans[c], batch{nullptr, 0});
    slab_header* s = carving[c];
    if (s == nullptr) s = carving[c] = new_slab_locked(c);
    // One batch from where carving stands: only its blocks are written (links, poison), so a slab's
    // pages become resident as the class's demand reaches them, not all 64 KiB at once.
    const std::size_t size = class_sizes[c];
    const std::uint32_t carved = s->carved_bytes.load(std::memory_order_relaxed) / static_cast<std::uint32_t>(size);
    const std::uint32_t n = std::min(batch_blocks(c), s->block_count - carved);
    std::byte* head = slab_base(s) + std::size_t(carved) * size;
    for (std::uint32_t k = 0; k < n; ++k) {
        std::byte* block = head + std::size_t(k) * size;
        FRAMEALLOC_POISON(block + sizeof(void*), size - sizeof(void*));
        next_of(block) = (k + 1 < n) ? block + size : nullptr;
        if (stripe != pool_thread_cache::no_stripe) tag_line(block, stripe);
    }
    s->carved_bytes.store(static_cast<std::uint32_t>((carved + n) * size), std::memory_order_relaxed);
    if (carved + n == s->block_count) carving[c] = nullptr;
    return batch{head, n};
}

slab_header* pool_registry::new_slab_locked(std::size_t c) {
    const auto block_count = static_cast<std::uint32_t>(slab_payload / class_sizes[c]);
#if FRAMEALLOC_DEBUG_ENABLED
    // Made before the slab, so that running out of memory here loses nothing.
    const std::size_t words = (block_count + 63) / 64;
    std::unique_ptr<std::atomic<std::uint64_t>[]> live_bits(new std::atomic<std::uint64_t>[words]);
    for (std::size_t w = 0; w < words; ++w) live_bits[w].store(0, std::memory_order_relaxed);
#endif
    std::byte* base = nullptr;
    try {
        base = static_cast<std::byte*>(options.upstream->allocate(slab_size, slab_size));
    } catch (const std::bad_alloc&) {
        // Before reporting out of memory, give back every slab the pool only keeps in reserve (all
        // blocks free): the upstream may be shared with frame arenas or other pools, which would
        // otherwise keep failing while this pool sits on free slabs. Then try once more.
        std::size_t released = 0;
        for (std::size_t k = 0; k < class_count; ++k) released += compact_locked(k, 0);
        if (released == 0) throw;
        base = static_cast<std::byte*>(options.upstream->allocate(slab_size, slab_size));
    }
    if (!slab_map_set(base)) {  // above the address range the map covers: unusable
        options.upstream->deallocate(base, slab_size, slab_size);
        throw std::bad_alloc();
    }
    detail::hook_chunk_acquired(base, slab_size, memory_kind::pool);
    std::memset(base + slab_payload, 0, slab_line_tags);  // no line tagged yet, whatever the upstream gave
    auto* s = ::new (base + slab_header_offset) slab_header{};
    s->magic = magic;
    s->size_class = static_cast<std::uint32_t>(c);
    s->block_count = block_count;
#if FRAMEALLOC_DEBUG_ENABLED
    s->live_bits = live_bits.release();
#endif
    s->next = all_slabs;
    all_slabs = s;
    ++slab_count;
    slab_bytes += slab_size;
    peak_slab_bytes = std::max(peak_slab_bytes, slab_bytes);
    return s;
}

}  // namespace framealloc::detail
