// pool_resource: thread-safe size-class pools, as a std::pmr::memory_resource.
//
// What:        requests up to 8 KiB (and alignments a class size is a multiple of) are served from
//              size-class slabs; anything else goes to the heap resource automatically.
//              Allocation priority: the calling thread's cache (a list pop) -> the global depot (a
//              whole batch, one lock-free pop) -> the next batch carved from the class's slab, or a
//              new slab (central lock, cold; a slab's pages are written only as batches are carved)
//              -> the heap for oversize or over-aligned requests.
// Frees:       from any thread, into the calling thread's cache (a list push). A cache past its bound
//              hands a batch to the depot (one lock-free push per batch), so a consumer thread that
//              frees what a producer allocated returns memory to the producer in batches, with no
//              owner that has to come back and collect it: memory stays bounded whoever allocates.
// Slabs:       when a class's depot overflows, a compaction finds slabs whose every block is free and
//              releases them upstream once the pool holds more than slab_high_water_bytes.
// Complexity:  allocate/deallocate O(1); refill/flush O(batch); compaction O(free blocks in the depot).
// Threads:     every function may be called from any thread. A thread that exits returns its cache.
// Errors:      std::bad_alloc when upstream or the heap fails (after the pool gave back its spare slabs
//              and retried) or for a size over max_request_bytes; invalid_alignment (FA101) for an
//              alignment that is not a power of two. deallocate() asks the slab map whether p lies in a
//              slab, then checks the slab header (magic: a secret per process, class) and that p starts
//              a block: an alignment that is not a power of two (FA101), a pointer that is not a block
//              of this pool — foreign, interior, null (FA103) — or a block freed with another class's
//              or the heap's size (FA104) is reported per the error policy in every build, never
//              silently corrupting a list. FRAMEALLOC_DEBUG builds also catch double frees (FA102) and
//              poison freed blocks (0xDD fill + ASan). docs/debugging.md has the table of what is caught.
// Debug:       FRAMEALLOC_DEBUG builds size every request up by detail::guard_bytes (the size-class
//              lookup of allocate and deallocate both use the guarded size, so a block's class is found
//              again), fill everything after the user's bytes with guard bytes (poisoned for ASan), check
//              them on deallocate (FA106), check the exact size (FA104) and alignment (FA108), and keep each live block's
//              allocation backtrace for every report and for the leak report (FA107) at destruction.
module;
#include <framealloc/poison.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
export module framealloc.pool:pool_resource;

import framealloc.core;
import framealloc.diagnostics;
import :size_classes;
import :slab;
import :slab_map;
import :thread_cache;

export namespace framealloc {

// What a pool does when deallocate() is handed something it cannot have allocated.
enum class pool_error_policy {
    abort_process,   // print the FA code and message to stderr, then std::abort() (default)
    throw_exception  // throw framealloc::memory_error (terminates if the caller is noexcept)
};

namespace detail {
// How a pool or heap error is reported under `policy` (through detail::report, so strict mode and
// the report handler apply).
[[nodiscard]] inline report_action report_action_for(pool_error_policy policy) noexcept {
    return policy == pool_error_policy::throw_exception ? report_action::throw_exception : report_action::abort_process;
}
}  // namespace detail

struct pool_options {
    // Slabs (64 KiB, 64 KiB-aligned); null: pages mapped from the operating system for each slab and
    // unmapped when it is released (they become resident only as the pool writes them).
    std::pmr::memory_resource* upstream = nullptr;
    std::pmr::memory_resource* heap = nullptr;      // oversize / over-aligned requests; null: new/delete
    // Slab bytes kept before empty slabs go upstream. Kept slabs are given back when the upstream
    // refuses the pool a slab; an upstream shared with frame arenas or other pools does not see them
    // otherwise: lower this, or call release_empty_slabs() after a peak, when memory is tight.
    std::size_t slab_high_water_bytes = mebibytes(32);
    std::size_t depot_bytes_per_class = mebibytes(1);   // free bytes a class's depot holds in batches
    pool_error_policy on_error = pool_error_policy::abort_process;
};

struct pool_stats {
    std::size_t slab_count = 0;
    std::size_t slab_bytes = 0;              // held from upstream now
    std::size_t peak_slab_bytes = 0;
    std::uint64_t slabs_released = 0;        // empty slabs returned upstream
    std::uint64_t heap_allocations = 0;      // oversize / over-aligned fallbacks (lifetime)
    std::uint64_t heap_deallocations = 0;
    std::size_t heap_bytes = 0;              // live in the heap fallback
    std::size_t threads = 0;                 // thread caches alive
    // Blocks the thread caches handed to the depot (a cache over its limit, a flush, a thread's exit)
    // and took back from it (lifetime). A block freed by a thread that does not allocate it again
    // travels this way to the threads that do: producer/consumer traffic shows here.
    std::uint64_t blocks_to_depot = 0;
    std::uint64_t blocks_from_depot = 0;
};

namespace detail {
struct pool_registry;
}

class pool_resource final : public accounted_resource {
public:
    explicit pool_resource(pool_options options = {});
    pool_resource(const pool_resource&) = delete;
    pool_resource& operator=(const pool_resource&) = delete;
    // Gives every slab back upstream; pooled blocks still in use become dangling. Heap-fallback blocks
    // (oversize or over-aligned requests) belong to the heap resource: those still live are not freed
    // here (free them with deallocate before); FRAMEALLOC_DEBUG builds list them in the leak report
    // (FA107). Unlike std::pmr's pools, the pool keeps no record of them on the release path.
    ~pool_resource() override;

    // Fast paths, also used by pool_allocator<T> without a virtual call. `alignment` must be a power
    // of two (do_allocate checks; callers with a compile-time alignment need not).
    // Every exit from the fast path is a tail call (refill, deallocate_slow, *_general, reject), so
    // the fast path saves no registers.
    [[gnu::always_inline]] inline void* allocate_inline(std::size_t bytes, std::size_t alignment) {
        const detail::fast_counts counts = detail::diag_fast(memory_kind::pool);
        if (bytes <= detail::max_pooled_size - detail::guard_bytes && alignment <= 16 && !counts.slow()) [[likely]] {
            std::size_t c = detail::class_by_granule[(bytes + detail::guard_bytes + 7) / 8];
            if (alignment == 16) c = detail::aligned16_class[c];
            const detail::thread_slot& recent = detail::t_recent[recent_pool];
            if (recent.owner == id_) [[likely]] {
                detail::free_list& list = static_cast<detail::pool_thread_cache*>(recent.state)->lists[c];
                if (void* block = list.head) [[likely]] {
                    list.head = detail::next_of(block);
                    --list.count;
                    counts.count(memory_kind::pool, bytes);
#if FRAMEALLOC_DEBUG_ENABLED
                    return debug_on_allocate(block, c, bytes, alignment);
#else
                    return block;
#endif
                }
            }
#if FRAMEALLOC_DEBUG_ENABLED
            return debug_on_allocate(refill(c, bytes), c, bytes, alignment);
#else
            return refill(c, bytes);
#endif
        }
        return allocate_general(bytes, alignment);
    }

    [[gnu::always_inline]] inline void deallocate_inline(void* p, std::size_t bytes, std::size_t alignment) {
        const detail::fast_counts counts = detail::diag_fast_free();
        if (bytes <= detail::max_pooled_size - detail::guard_bytes && alignment <= 16 && !counts.slow()) [[likely]] {
            std::size_t c = detail::class_by_granule[(bytes + detail::guard_bytes + 7) / 8];
            if (alignment == 16) c = detail::aligned16_class[c];
            // A block of this pool: in a slab (asked before the header is read, which for a foreign
            // pointer may be unmapped), the slab is this pool's (secret per-process magic), of the
            // class the size names, and p a block start of it. Anything else is reject()ed.
            const detail::slab_header* slab = detail::slab_of(p);
            if (!detail::in_some_slab(p) || slab->magic != magic_ || slab->size_class != c ||
                !detail::is_carved_block(slab, p, c)) [[unlikely]]
                return reject(p, bytes, alignment);
#if FRAMEALLOC_DEBUG_ENABLED
            debug_on_deallocate(p, c, bytes, alignment);
#endif
            counts.count_free(memory_kind::pool, bytes);
            const detail::thread_slot& recent = detail::t_recent[recent_pool];
            if (recent.owner == id_) [[likely]] {
                detail::free_list& list = static_cast<detail::pool_thread_cache*>(recent.state)->lists[c];
                if (list.count < list.limit) [[likely]] {
                    detail::next_of(p) = list.head;
                    list.head = p;
                    ++list.count;
                    return;
                }
            }
            return deallocate_slow(p, c);
        }
        return deallocate_general(p, bytes, alignment);
    }

    // Returns the calling thread's cached blocks to the depot (a thread about to idle for long).
    void flush_thread_cache();
    // Creates the calling thread's cache now instead of on its first request (a thread pool preparing
    // its workers: tbb_worker_binder). Takes the registry lock the first time only; allocates no block.
    void bind_thread_cache() { (void)local_cache(); }
    // Compaction of every class: releases upstream each slab whose blocks are all in the depot, down
    // to slab_high_water_bytes (pass 0 to release every empty slab). Returns the bytes released.
    std::size_t release_empty_slabs(std::size_t keep_bytes);

    [[nodiscard]] pool_stats stats() const;
    [[nodiscard]] const pool_options& options() const noexcept;
    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }

    // The block size a request of (bytes, alignment) gets; 0 when it goes to the heap. FRAMEALLOC_DEBUG
    // builds count the guard bytes in (a request of 8192 - guard_bytes or more goes to the heap there).
    [[nodiscard]] static std::size_t block_size(std::size_t bytes, std::size_t alignment) noexcept {
        const std::size_t c = detail::class_for(detail::guarded_size(bytes), alignment);
        return c < detail::class_count ? detail::class_sizes[c] : 0;
    }

private:
    // 1, 2, 4, 8 and 16 are the alignments of the fast path: a bit test on a constant checks both
    // "power of two" and "at most 16" (no popcount, which clang would expand into a bit count).
    static constexpr std::uint32_t small_alignments = (1u << 1) | (1u << 2) | (1u << 4) | (1u << 8) | (1u << 16);

    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (alignment <= 16 && ((small_alignments >> alignment) & 1u) != 0) [[likely]]
            return allocate_inline(bytes, alignment);
        if (!is_power_of_two(alignment)) [[unlikely]] throw_invalid_alignment(alignment);
        return allocate_general(bytes, alignment);
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        if (alignment <= 16 && ((small_alignments >> alignment) & 1u) != 0) [[likely]]
            return deallocate_inline(p, bytes, alignment);
        if (!is_power_of_two(alignment)) [[unlikely]] return reject(p, bytes, alignment);  // FA101
        deallocate_general(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
    resource_duties duties() const noexcept override { return {.counts = true, .checks = debug::enabled}; }

    static constexpr std::size_t recent_pool = static_cast<std::size_t>(detail::recent_kind::pool);

    // The cold paths' way to the calling thread's cache (the slot table, else binding); it becomes the
    // thread's recent pool, which the fast paths check.
    [[gnu::always_inline]] inline detail::pool_thread_cache& local_cache() {
        void* state = detail::find_thread_state(id_);
        if (state == nullptr) [[unlikely]] state = &bind_calling_thread();
        detail::remember_thread_state(detail::recent_kind::pool, id_, state);
        return *static_cast<detail::pool_thread_cache*>(state);
    }

    [[gnu::noinline]] detail::pool_thread_cache& bind_calling_thread();
    // Counts the request (diag_before_allocate has run) once a block is had; refunds on failure.
    [[gnu::noinline]] void* refill(std::size_t c, std::size_t bytes);
    void* take_block(std::size_t c);
    [[gnu::noinline]] void flush(std::size_t c);
    [[gnu::noinline]] void deallocate_slow(void* p, std::size_t c);
    [[gnu::noinline]] void* allocate_general(std::size_t bytes, std::size_t alignment);
    [[gnu::noinline]] void deallocate_general(void* p, std::size_t bytes, std::size_t alignment);
    // Reports a deallocate that names no block of this pool (FA101 bad alignment, FA103 not a block
    // of this pool, FA104 a block of another class) through the error policy; does not return.
    [[gnu::noinline]] void reject(void* p, std::size_t bytes, std::size_t alignment);
#if FRAMEALLOC_DEBUG_ENABLED
    // Marks the block live, arms its guard, records it with its backtrace; returns it.
    void* debug_on_allocate(void* block, std::size_t c, std::size_t bytes, std::size_t alignment) noexcept;
    // Checks a pooled block before it is freed: a block start (FA103), live (FA102), the size it was
    // allocated with (FA104), its guard (FA106); then marks it free and poisons it.
    void debug_on_deallocate(void* p, std::size_t c, std::size_t bytes, std::size_t alignment);
    // The heap fallback when the heap is not a (self-checking) heap_resource: guard and record there.
    void* debug_heap_allocate(std::size_t bytes, std::size_t alignment);
    void debug_heap_deallocate(void* p, std::size_t bytes, std::size_t alignment);
#endif

    std::uint64_t id_;
    std::uint64_t magic_;
    std::shared_ptr<detail::pool_registry> registry_;
};

}  // namespace framealloc
