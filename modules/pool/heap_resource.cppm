// heap_resource: the tracked system heap. Forwards to an upstream (new/delete by default) and counts
// live blocks and bytes, so heap use shows up in statistics instead of hiding behind malloc.
// Thread-safe (relaxed atomic counters: the heap call dominates their cost).
//
// Debug (FRAMEALLOC_DEBUG): every block gets a canary before it and guard bytes after it (both poisoned
// for ASan), checked on deallocate (FA106); a pointer this heap did not hand out (FA103), one freed
// twice (FA102, while the first free is among the recent ones) or freed with another size (FA104) or
// only another alignment (FA108) is caught; every report carries the block's allocation backtrace. Errors follow `on_error`
// (abort by default, or throw memory_error). Destroying the heap with live blocks reports them (FA107).
module;
#include <framealloc/poison.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
export module framealloc.pool:heap_resource;

import framealloc.core;
import framealloc.diagnostics;
import :pool_resource;

export namespace framealloc {

struct heap_stats {
    std::uint64_t allocations = 0;  // lifetime
    std::uint64_t deallocations = 0;
    std::size_t live_bytes = 0;
    std::size_t peak_bytes = 0;
};

class heap_resource final : public accounted_resource {
public:
#if FRAMEALLOC_DEBUG_ENABLED
    explicit heap_resource(std::pmr::memory_resource* upstream = std::pmr::new_delete_resource(),
                           pool_error_policy on_error = pool_error_policy::abort_process);
#else
    explicit heap_resource(std::pmr::memory_resource* upstream = std::pmr::new_delete_resource(),
                           pool_error_policy on_error = pool_error_policy::abort_process) noexcept
        : upstream_(upstream != nullptr ? upstream : std::pmr::new_delete_resource()), on_error_(on_error) {}
#endif
    heap_resource(const heap_resource&) = delete;
    heap_resource& operator=(const heap_resource&) = delete;
    ~heap_resource() override;

    [[nodiscard]] heap_stats stats() const noexcept {
        return heap_stats{allocations_.load(std::memory_order_relaxed), deallocations_.load(std::memory_order_relaxed),
                          live_bytes_.load(std::memory_order_relaxed), peak_bytes_.load(std::memory_order_relaxed)};
    }

private:
    // Counted in diagnostics as heap memory of the calling thread's tag (and its budgets applied).
    // An alignment that is not a power of two is FA101 (invalid_alignment) before anything is counted
    // or the upstream is asked: operator new would take it as undefined behaviour.
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (!is_power_of_two(alignment)) [[unlikely]] throw_invalid_alignment(alignment);
        if (bytes > max_request_bytes) [[unlikely]] throw_bad_alloc();
        void* p = detail::charged_allocate(memory_kind::heap, bytes, [&] {
#if FRAMEALLOC_DEBUG_ENABLED
            return debug_allocate(bytes, alignment);
#else
            return upstream_->allocate(bytes, alignment);
#endif
        });
        allocations_.fetch_add(1, std::memory_order_relaxed);
        const std::size_t live = live_bytes_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
        std::size_t peak = peak_bytes_.load(std::memory_order_relaxed);
        while (live > peak && !peak_bytes_.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {}
        return p;
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        if (!is_power_of_two(alignment)) [[unlikely]] return reject_alignment(p, bytes, alignment);
        detail::diag_on_free(memory_kind::heap, bytes, p);
#if FRAMEALLOC_DEBUG_ENABLED
        debug_deallocate(p, bytes, alignment);
#else
        upstream_->deallocate(p, bytes, alignment);
#endif
        deallocations_.fetch_add(1, std::memory_order_relaxed);
        live_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
    resource_duties duties() const noexcept override { return {.counts = true, .checks = debug::enabled}; }

    // FA101 through the error policy: a deallocate whose alignment no allocate could have had.
    [[gnu::noinline]] void reject_alignment(void* p, std::size_t bytes, std::size_t alignment);
#if FRAMEALLOC_DEBUG_ENABLED
    void* debug_allocate(std::size_t bytes, std::size_t alignment);
    void debug_deallocate(void* p, std::size_t bytes, std::size_t alignment);
#endif

    std::pmr::memory_resource* upstream_;
    std::atomic<std::uint64_t> allocations_{0};
    std::atomic<std::uint64_t> deallocations_{0};
    std::atomic<std::size_t> live_bytes_{0};
    std::atomic<std::size_t> peak_bytes_{0};
    pool_error_policy on_error_;
#if FRAMEALLOC_DEBUG_ENABLED
    std::unique_ptr<detail::block_table> blocks_;
#endif
};

}  // namespace framealloc
