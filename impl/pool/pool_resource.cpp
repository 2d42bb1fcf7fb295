// pool_resource cold paths: the depot (per-class lock-free stacks of batches), slab carving,
// compaction, the heap fallback, thread binding and exit, error reports.
//
// Correctness of the depot: a batch is a chain of free blocks linked through their first word plus a
// descriptor {head, count} held in a batch_stack (lock-free, tagged indices; its argument is in
// batch_stack.hpp). A batch is owned by exactly one party at a time — a thread cache, the stack, or the
// compaction holding the central lock — so its links are only written by its owner; the stack's push
// (release) / pop (acquire) hands the chain's contents from one thread to the next.
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

namespace framealloc::detail {

struct pool_registry final : thread_registry {
    pool_registry(const pool_options& o, std::uint64_t pool_id)
        : options(o), id(pool_id), magic(slab_magic_base ^ pool_id) {
        if (options.upstream == nullptr) options.upstream = std::pmr::new_delete_resource();
        if (options.heap == nullptr) options.heap = std::pmr::new_delete_resource();
        heap_counts_itself = dynamic_cast<heap_resource*>(options.heap) != nullptr;
        for (std::size_t c = 0; c < class_count; ++c) {
            const std::size_t batch_bytes = std::size_t(batch_blocks(c)) * class_sizes[c];
            depot[c] = std::make_unique<batch_stack>(
                static_cast<std::uint32_t>(std::clamp<std::size_t>(options.depot_bytes_per_class / batch_bytes, 16, 1u << 24)));
        }
#if FRAMEALLOC_DEBUG_ENABLED
        blocks = std::make_unique<block_table>("pool_resource #" + std::to_string(pool_id));
        heap_checks_itself = dynamic_cast<heap_resource*>(options.heap) != nullptr;
#endif
    }

    bool heap_counts_itself = false;  // the fallback is a framealloc::heap_resource (it counts as heap)

    void* create_thread_state() override {
        caches.push_back(std::make_unique<pool_thread_cache>());
        return caches.back().get();
    }

    void thread_exited(void* state) noexcept override {
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

    // Every list of `cache` back to the depot (short batches allowed).
    void return_cache(pool_thread_cache& cache) {
        for (std::size_t c = 0; c < class_count; ++c) {
            free_list& list = cache.lists[c];
            if (list.head != nullptr) push_batch(c, batch{list.head, list.count});
            list.head = nullptr;
            list.count = 0;
        }
    }

    // A full depot spills into the overflow list (central lock). Compaction runs when the overflow has
    // doubled since the last one, so a depot that stays full because its slabs are all partly in use
    // costs amortised O(1) per batch, not a scan per flush.
    void push_batch(std::size_t c, batch b) {
        if (depot[c]->push(b)) return;
        std::lock_guard lock(central);
        overflow[c].push_back(b);
        if (overflow[c].size() >= next_compaction[c]) {
            compact_locked(c, options.slab_high_water_bytes);
            next_compaction[c] = 2 * overflow[c].size() + 16;
        }
    }

    bool pop_batch(std::size_t c, batch& out) noexcept { return depot[c]->pop(out); }

    // Compaction of class c (central lock held): pulls every batch out of the depot, counts free
    // blocks per slab, releases slabs whose blocks are all free while the pool holds more than
    // `keep_bytes`, and puts the rest back in batches. Returns the bytes released.
    std::size_t compact_locked(std::size_t c, std::size_t keep_bytes) {
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

    // Unlinks a slab from `slabs` and gives it back upstream (central lock held).
    void release_slab(slab_header* s) noexcept {
        slab_header** link = &all_slabs;
        while (*link != nullptr && *link != s) link = &(*link)->next;
        if (*link == s) *link = s->next;
        free_slab_memory(s);
        --slab_count;
        slab_bytes -= slab_size;
        ++slabs_released;
    }

    void free_slab_memory(slab_header* s) noexcept {
        delete[] s->live_bits;
        std::byte* base = slab_base(s);
        FRAMEALLOC_RELEASE(base, slab_size);
        detail::hook_chunk_released(base, slab_size, memory_kind::pool);
        options.upstream->deallocate(base, slab_size, slab_size);
    }

    // A fresh slab of class c carved into batches (central lock held): the first batch is returned,
    // the rest go to the depot.
    batch carve_locked(std::size_t c) {
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

    pool_options options;
    std::uint64_t id;
    std::uint64_t magic;
    std::array<std::unique_ptr<batch_stack>, class_count> depot;
    std::vector<std::unique_ptr<pool_thread_cache>> caches;  // under thread_registry::mutex

    std::mutex central;  // slabs, overflow, counters below
    std::array<std::vector<batch>, class_count> overflow;
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
    bool heap_checks_itself = false;      // the heap is a heap_resource: it guards and records its blocks
#endif
};

}  // namespace framealloc::detail

namespace framealloc {

using detail::class_count;
using detail::class_sizes;
using detail::pool_registry;

pool_resource::pool_resource(pool_options options)
    : id_(detail::next_resource_id()), magic_(detail::slab_magic_base ^ id_),
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
// else carve a slab.
void* pool_resource::refill(std::size_t c, std::size_t bytes) {
    void* block = nullptr;
    try {
        block = take_block(c);
    } catch (...) {
        detail::diag_refund(memory_kind::pool, bytes);
        throw;
    }
    detail::diag_after_allocate(memory_kind::pool, bytes, block);
    return block;
}

void* pool_resource::take_block(std::size_t c) {
    detail::free_list& list = local_cache().lists[c];
    void* block = list.head;
    if (block != nullptr) {
        list.head = detail::next_of(block);
        --list.count;
    } else {
        detail::batch b;
        if (!registry_->pop_batch(c, b)) {
            std::lock_guard lock(registry_->central);
            if (!registry_->pop_batch(c, b)) b = registry_->carve_locked(c);  // throws bad_alloc from upstream
        }
        block = b.head;
        list.head = detail::next_of(block);
        list.count = b.count - 1;
    }
    return block;
}

void pool_resource::flush(std::size_t c) {
    detail::free_list& list = local_cache().lists[c];
    const std::uint32_t n = detail::batch_blocks(c);
    void* head = list.head;
    void* last = head;
    for (std::uint32_t k = 1; k < n; ++k) last = detail::next_of(last);
    list.head = detail::next_of(last);
    list.count -= n;
    detail::next_of(last) = nullptr;
    registry_->push_batch(c, detail::batch{head, n});
}

// The cache is full (or the thread not bound yet): push, then hand a batch to the depot if over.
void pool_resource::deallocate_slow(void* p, std::size_t c) {
    detail::free_list& list = local_cache().lists[c];
    detail::next_of(p) = list.head;
    list.head = p;
    if (++list.count > list.limit) flush(c);
}

void pool_resource::flush_thread_cache() {
    void* state = detail::find_thread_state(id_);
    if (state == nullptr) return;
    registry_->return_cache(*static_cast<detail::pool_thread_cache*>(state));
}

std::size_t pool_resource::release_empty_slabs(std::size_t keep_bytes) {
    std::lock_guard lock(registry_->central);
    std::size_t released = 0;
    for (std::size_t c = 0; c < class_count; ++c) released += registry_->compact_locked(c, keep_bytes);
    return released;
}

// Over-aligned pooled classes count as pool; the heap fallback counts as heap, by the heap_resource
// when the fallback is one (it counts what it serves), else here.
void* pool_resource::allocate_general(std::size_t bytes, std::size_t alignment) {
    const std::size_t c = detail::class_for(detail::guarded_size(bytes), alignment);
    if (c < class_count) {
        detail::diag_before_allocate(memory_kind::pool, bytes);
#if FRAMEALLOC_DEBUG_ENABLED
        return debug_on_allocate(refill(c, bytes), c, bytes, alignment);
#else
        return refill(c, bytes);
#endif
    }
    const bool count_here = !registry_->heap_counts_itself;
    if (count_here) detail::diag_before_allocate(memory_kind::heap, bytes);
    void* p = nullptr;
    try {
#if FRAMEALLOC_DEBUG_ENABLED
        if (!registry_->heap_checks_itself) {
            p = debug_heap_allocate(bytes, alignment);
            if (count_here) detail::diag_after_allocate(memory_kind::heap, bytes, p);
            return p;
        }
#endif
        p = registry_->options.heap->allocate(bytes, alignment);
    } catch (...) {
        if (count_here) detail::diag_refund(memory_kind::heap, bytes);
        throw;
    }
    if (count_here) detail::diag_after_allocate(memory_kind::heap, bytes, p);
    registry_->heap_allocations.fetch_add(1, std::memory_order_relaxed);
    registry_->heap_bytes.fetch_add(bytes, std::memory_order_relaxed);
    return p;
}

void pool_resource::deallocate_general(void* p, std::size_t bytes, std::size_t alignment) {
    const std::size_t c = detail::class_for(detail::guarded_size(bytes), alignment);
    if (c < class_count) {
        const detail::slab_header* slab = detail::slab_of(p);
        if (slab->magic != magic_ || slab->size_class != c) return reject(p, bytes, alignment);
#if FRAMEALLOC_DEBUG_ENABLED
        debug_on_deallocate(p, c, bytes, alignment);
#endif
        detail::diag_on_free(memory_kind::pool, bytes, p);
        return deallocate_slow(p, c);
    }
    if (!registry_->heap_counts_itself) detail::diag_on_free(memory_kind::heap, bytes, p);
#if FRAMEALLOC_DEBUG_ENABLED
    if (!registry_->heap_checks_itself) return debug_heap_deallocate(p, bytes, alignment);
#endif
    registry_->options.heap->deallocate(p, bytes, alignment);
    registry_->heap_deallocations.fetch_add(1, std::memory_order_relaxed);
    registry_->heap_bytes.fetch_sub(bytes, std::memory_order_relaxed);
}

namespace {
// Every error of a pool goes out through detail::report (the report handler, strict mode); the policy
// decides between abort and throw.
[[noreturn]] void fail(pool_error_policy policy, std::string_view code, std::string message) {
    detail::report(code, std::move(message),
                   policy == pool_error_policy::throw_exception ? detail::report_action::throw_exception
                                                                : detail::report_action::abort_process);
    std::abort();  // report() does not return for these actions
}

std::string describe(const void* p, std::size_t bytes, std::size_t alignment) {
    char text[160];
    std::snprintf(text, sizeof text, "deallocate(%p, %zu, %zu)", p, bytes, alignment);
    return text;
}

#if FRAMEALLOC_DEBUG_ENABLED
// What the tables know about p, on a line of its own ("" when nothing).
std::string known_as(const void* p, const detail::block_table* own) {
    std::string text;
    detail::block_record r;
    if (own != nullptr && own->find_live(p, r)) text = "\n" + detail::describe_block(r);
    else if (std::string other = detail::describe_anywhere(p, own); !other.empty()) text = "\n" + other;
    return text;
}
#endif
}  // namespace

void pool_resource::reject(void* p, std::size_t bytes, std::size_t alignment) {
    const detail::slab_header* slab = detail::slab_of(p);
    const std::string call = describe(p, bytes, alignment);
#if FRAMEALLOC_DEBUG_ENABLED
    const std::string known = known_as(p, registry_->blocks.get());
#else
    const std::string known;
#endif
    if (slab->magic != magic_)
        fail(registry_->options.on_error, codes::foreign_pointer,
             call + ": the pointer was not allocated by this pool" + known);
    fail(registry_->options.on_error, codes::size_mismatch,
         call + ": the block belongs to the " + std::to_string(class_sizes[slab->size_class]) +
             "-byte class but was freed with a size/alignment of the " +
             std::to_string(pool_resource::block_size(bytes, alignment)) + "-byte class" + known);
}

#if FRAMEALLOC_DEBUG_ENABLED
void* pool_resource::debug_on_allocate(void* block, std::size_t c, std::size_t bytes, std::size_t alignment) noexcept {
    detail::slab_header* s = detail::slab_of(block);
    const std::size_t size = class_sizes[c];
    const std::size_t index = static_cast<std::size_t>(static_cast<std::byte*>(block) - detail::slab_base(s)) / size;
    s->live_bits[index / 64].fetch_or(std::uint64_t(1) << (index % 64), std::memory_order_relaxed);
    FRAMEALLOC_UNPOISON(block, size);
    // Everything after the user's bytes is guard: at least guard_bytes, plus the class slack.
    detail::arm_guard(static_cast<std::byte*>(block) + bytes, size - bytes);
    registry_->blocks->insert(block, bytes, alignment);
    return block;
}

void pool_resource::debug_on_deallocate(void* p, std::size_t c, std::size_t bytes, std::size_t alignment) {
    detail::slab_header* s = detail::slab_of(p);
    const std::size_t size = class_sizes[c];
    const std::size_t offset = static_cast<std::size_t>(static_cast<std::byte*>(p) - detail::slab_base(s));
    const pool_error_policy policy = registry_->options.on_error;
    detail::block_table& blocks = *registry_->blocks;
    if (offset % size != 0 || offset / size >= s->block_count)
        fail(policy, codes::foreign_pointer,
             describe(p, bytes, alignment) + ": the pointer is not the start of a block" + known_as(p, &blocks));
    const std::size_t index = offset / size;
    const std::uint64_t bit = std::uint64_t(1) << (index % 64);
    detail::block_record r;
    auto double_free = [&] {
        std::string text = describe(p, bytes, alignment) + ": the block is already free";
        if (blocks.find_freed(p, r))
            text += "\n" + detail::describe_block(r) + "\n  and freed at:\n" + detail::format_trace(r.freed);
        fail(policy, codes::double_free, std::move(text));
    };
    if ((s->live_bits[index / 64].load(std::memory_order_relaxed) & bit) == 0) double_free();
    const bool known = blocks.find_live(p, r);
    if (known && (r.bytes != bytes || r.alignment != alignment))
        fail(policy, codes::mismatch(r.bytes, bytes),
             describe(p, bytes, alignment) + ": the block was allocated with size " + std::to_string(r.bytes) +
                 " and alignment " + std::to_string(r.alignment) + "\n" + detail::describe_block(r));
    const std::size_t user = known ? r.bytes : bytes;
    std::size_t first = 0;
    if (const std::size_t damaged = detail::check_guard(static_cast<std::byte*>(p) + user, size - user, first);
        damaged != 0) {
        if (!known) {
            r.address = p;
            r.bytes = bytes;
            r.alignment = alignment;
        }
        fail(policy, codes::guard_overrun,
             describe(p, bytes, alignment) + ": the block was written past its end: " + std::to_string(damaged) +
                 " of the " + std::to_string(size - user) + " guard bytes after it are overwritten, the first at offset " +
                 std::to_string(user + first) + "\n" + detail::describe_block(r));
    }
    const std::uint64_t before = s->live_bits[index / 64].fetch_and(~bit, std::memory_order_relaxed);
    if ((before & bit) == 0) double_free();  // another thread freed it meanwhile
    blocks.remove(p);
    FRAMEALLOC_POISON(static_cast<std::byte*>(p) + sizeof(void*), size - sizeof(void*));
}

void* pool_resource::debug_heap_allocate(std::size_t bytes, std::size_t alignment) {
    auto* p = static_cast<std::byte*>(registry_->options.heap->allocate(detail::guarded_size(bytes), alignment));
    registry_->heap_allocations.fetch_add(1, std::memory_order_relaxed);
    registry_->heap_bytes.fetch_add(bytes, std::memory_order_relaxed);
    detail::arm_guard(p + bytes, detail::guard_bytes);
    registry_->blocks->insert(p, bytes, alignment);
    return p;
}

void pool_resource::debug_heap_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
    const pool_error_policy policy = registry_->options.on_error;
    detail::block_table& blocks = *registry_->blocks;
    detail::block_record r;
    if (!blocks.find_live(p, r)) {
        if (blocks.find_freed(p, r))
            fail(policy, codes::double_free,
                 describe(p, bytes, alignment) + ": the heap block is already free\n" + detail::describe_block(r) +
                     "\n  and freed at:\n" + detail::format_trace(r.freed));
        fail(policy, codes::foreign_pointer,
             describe(p, bytes, alignment) + ": the pointer was not allocated by this pool" + known_as(p, &blocks));
    }
    if (r.bytes != bytes || r.alignment != alignment)
        fail(policy, codes::mismatch(r.bytes, bytes),
             describe(p, bytes, alignment) + ": the heap block was allocated with size " + std::to_string(r.bytes) +
                 " and alignment " + std::to_string(r.alignment) + "\n" + detail::describe_block(r));
    std::size_t first = 0;
    if (const std::size_t damaged = detail::check_guard(static_cast<std::byte*>(p) + bytes, detail::guard_bytes, first);
        damaged != 0)
        fail(policy, codes::guard_overrun,
             describe(p, bytes, alignment) + ": the heap block was written past its end: " + std::to_string(damaged) +
                 " of the " + std::to_string(detail::guard_bytes) + " guard bytes after it are overwritten, the first at offset " +
                 std::to_string(bytes + first) + "\n" + detail::describe_block(r));
    blocks.remove(p);
    registry_->options.heap->deallocate(p, detail::guarded_size(bytes), alignment);
    registry_->heap_deallocations.fetch_add(1, std::memory_order_relaxed);
    registry_->heap_bytes.fetch_sub(bytes, std::memory_order_relaxed);
}
#endif

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
    }
    s.heap_allocations = registry_->heap_allocations.load(std::memory_order_relaxed);
    s.heap_deallocations = registry_->heap_deallocations.load(std::memory_order_relaxed);
    s.heap_bytes = registry_->heap_bytes.load(std::memory_order_relaxed);
    return s;
}

}  // namespace framealloc
