// pool_resource's depot and slabs (impl/pool/pool_registry.hpp): batches to and from the per-class
// lock-free stacks, the overflow lists and their compaction, carving and releasing slabs, thread
// caches created and returned.
module;
#include <framealloc/poison.hpp>

#include "batch_stack.hpp"

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

#include "pool_registry.hpp"

namespace framealloc::detail {

pool_registry::pool_registry(const pool_options& o, std::uint64_t pool_id)
    : options(o), id(pool_id), magic(slab_magic_base ^ pool_id) {
    if (options.upstream == nullptr) options.upstream = std::pmr::new_delete_resource();
    if (options.heap == nullptr) options.heap = std::pmr::new_delete_resource();
    heap_duties = duties_of(options.heap);
    for (std::size_t c = 0; c < class_count; ++c) {
        const std::size_t batch_bytes = std::size_t(batch_blocks(c)) * class_sizes[c];
        depot[c] = std::make_unique<batch_stack>(
            static_cast<std::uint32_t>(std::clamp<std::size_t>(options.depot_bytes_per_class / batch_bytes, 16, 1u << 24)));
    }
#if FRAMEALLOC_DEBUG_ENABLED
    blocks = std::make_unique<block_table>("pool_resource #" + std::to_string(pool_id));
#endif
}

void* pool_registry::create_thread_state() {
    caches.push_back(std::make_unique<pool_thread_cache>());
    return caches.back().get();
}

void pool_registry::thread_exited(void* state) noexcept {
    auto it = std::find_if(caches.begin(), caches.end(), [&](const auto& c) { return c.get() == state; });
    if (it == caches.end()) return;
    try {
        return_cache(**it);
    } catch (...) {
        // Out of memory growing the overflow list: the cache's blocks stay out of circulation
        // until the pool is destroyed (its slabs are freed then). Nothing is corrupted.
    }
    caches.erase(it);
}

void pool_registry::return_cache(pool_thread_cache& cache) {
    for (std::size_t c = 0; c < class_count; ++c) {
        free_list& list = cache.lists[c];
        if (list.head != nullptr) push_batch(c, batch{list.head, list.count});
        list.head = nullptr;
        list.count = 0;
    }
}

void pool_registry::push_batch(std::size_t c, batch b) {
    if (depot[c]->push(b)) return;
    std::lock_guard lock(central);
    overflow[c].push_back(b);
    if (overflow[c].size() >= next_compaction[c]) {
        compact_locked(c, options.slab_high_water_bytes);
        next_compaction[c] = 2 * overflow[c].size() + 16;
    }
}

std::size_t pool_registry::compact_locked(std::size_t c, std::size_t keep_bytes) {
    std::vector<void*> blocks;
    batch b;
    auto take = [&](batch x) {
        for (void* p = x.head; p != nullptr; p = next_of(p)) blocks.push_back(p);
    };
    try {
        blocks.reserve(options.depot_bytes_per_class / class_sizes[c] + 64);
        while (depot[c]->pop(b)) take(b);
        for (const batch& x : overflow[c]) take(x);
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
    for (void* p : blocks) ++slab_of(p)->free_seen;
    // Decide first, release last: a released slab's header must not be read again.
    std::vector<slab_header*> doomed;
    std::size_t remaining = slab_bytes;
    for (void* p : blocks) {
        slab_header* s = slab_of(p);
        if (s->free_seen == s->block_count && s->reserved == 0 && remaining > keep_bytes) {
            s->reserved = 1;
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
        if (!depot[c]->push(nb)) overflow[c].push_back(nb);
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
    std::byte* base = slab_base(s);
    FRAMEALLOC_RELEASE(base, slab_size);
    detail::hook_chunk_released(base, slab_size, memory_kind::pool);
    options.upstream->deallocate(base, slab_size, slab_size);
}

batch pool_registry::carve_locked(std::size_t c) {
    if (!overflow[c].empty()) {
        batch b = overflow[c].back();
        overflow[c].pop_back();
        return b;
    }
    auto* base = static_cast<std::byte*>(options.upstream->allocate(slab_size, slab_size));
    detail::hook_chunk_acquired(base, slab_size, memory_kind::pool);
    auto* s = ::new (base + slab_payload) slab_header{};
    const std::size_t size = class_sizes[c];
    s->magic = magic;
    s->size_class = static_cast<std::uint32_t>(c);
    s->block_count = static_cast<std::uint32_t>(slab_payload / size);
#if FRAMEALLOC_DEBUG_ENABLED
    const std::size_t words = (s->block_count + 63) / 64;
    s->live_bits = new std::atomic<std::uint64_t>[words];
    for (std::size_t w = 0; w < words; ++w) s->live_bits[w].store(0, std::memory_order_relaxed);
#endif
    s->next = all_slabs;
    all_slabs = s;
    ++slab_count;
    slab_bytes += slab_size;
    peak_slab_bytes = std::max(peak_slab_bytes, slab_bytes);

    const std::uint32_t per = batch_blocks(c);
    batch first{nullptr, 0};
    for (std::uint32_t i = 0; i < s->block_count;) {
        const std::uint32_t n = std::min(per, s->block_count - i);
        std::byte* head = base + std::size_t(i) * size;
        for (std::uint32_t k = 0; k < n; ++k) {
            std::byte* block = head + std::size_t(k) * size;
            FRAMEALLOC_POISON(block + sizeof(void*), size - sizeof(void*));
            next_of(block) = (k + 1 < n) ? block + size : nullptr;
        }
        batch b{head, n};
        if (first.head == nullptr) first = b;
        else if (!depot[c]->push(b)) overflow[c].push_back(b);
        i += n;
    }
    return first;
}

}  // namespace framealloc::detail
