// transfer_counters: the transfer statistics of one smart_alloc (smart_alloc::transfer_stats()).
//
// What:        every thread that makes, receives or drops a transfer counts it in counts of its own for
//              that smart_alloc (found like its frame arena: core's thread_registry, one load and one
//              compare), written by that thread alone with a relaxed load and store: no read-modify-
//              write, no cache line shared with the thread at the other end of the transfer.
//              snapshot() sums every thread's counts (and those of threads that exited) under the
//              registry's lock: exact whenever no transfer is in progress.
// Why:         shared atomic counters would bounce their cache line between sender and receiver on
//              every transfer, and even per-thread stripes of atomics pay a lock-prefixed add per
//              count; plain single-writer counters cost neither (perf/threading/transfer_bench.cpp).
// Errors:      a thread that cannot be bound (out of memory, or a thread-exit destructor after its
//              bindings are gone) counts in shared atomic fallback counters instead: never a throw from
//              receive() or a handle's destructor for the sake of a statistic.
module;
#include <atomic>
#include <cstdint>
#include <memory>
export module framealloc.threading:transfer_counters;

import framealloc.core;

export namespace framealloc {

struct transfer_stats {
    std::uint64_t created = 0;
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;  // destroyed unreceived
    std::uint64_t bytes_created = 0;
    [[nodiscard]] std::uint64_t in_flight() const noexcept { return created - received - dropped; }
};

namespace detail {

// One thread's counts for one smart_alloc. Only that thread writes them; snapshot() reads them.
struct transfer_thread_counts {
    std::atomic<std::uint64_t> created{0};
    std::atomic<std::uint64_t> received{0};
    std::atomic<std::uint64_t> dropped{0};
    std::atomic<std::uint64_t> bytes_created{0};
};

// Adds n to a counter that only the calling thread writes: a plain load and store.
inline void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

struct transfer_registry;  // impl/threading/transfer_counters.cpp

class transfer_counters {
public:
    transfer_counters();
    transfer_counters(const transfer_counters&) = delete;
    transfer_counters& operator=(const transfer_counters&) = delete;
    ~transfer_counters();

    // The calling thread's counts, created on first use (std::bad_alloc when that fails).
    [[gnu::always_inline]] inline transfer_thread_counts& local() {
        const thread_slot& slot = thread_slot_for(id_);
        if (slot.owner == id_) [[likely]] return *static_cast<transfer_thread_counts*>(slot.state);
        return bind_calling_thread();
    }

    inline void on_created(transfer_thread_counts& mine, std::uint64_t bytes) noexcept {
        bump(mine.created, 1);
        bump(mine.bytes_created, bytes);
    }
    inline void on_received() noexcept {
        if (transfer_thread_counts* mine = try_local()) [[likely]]
            bump(mine->received, 1);
        else
            count_unbound_received();
    }
    inline void on_dropped() noexcept {
        if (transfer_thread_counts* mine = try_local()) [[likely]]
            bump(mine->dropped, 1);
        else
            count_unbound_dropped();
    }

    [[nodiscard]] transfer_stats snapshot() const;

private:
    [[gnu::always_inline]] inline transfer_thread_counts* try_local() noexcept {
        const thread_slot& slot = thread_slot_for(id_);
        if (slot.owner == id_) [[likely]] return static_cast<transfer_thread_counts*>(slot.state);
        return try_bind_calling_thread();
    }
    [[gnu::noinline]] transfer_thread_counts& bind_calling_thread();
    [[gnu::noinline]] transfer_thread_counts* try_bind_calling_thread() noexcept;
    [[gnu::noinline]] void count_unbound_received() noexcept;
    [[gnu::noinline]] void count_unbound_dropped() noexcept;

    std::uint64_t id_;
    std::shared_ptr<transfer_registry> registry_;
};

}  // namespace detail
}  // namespace framealloc
