// transfer_handle<T>: a value made on one thread for another, outliving the producer's frame.
//
// What:        smart_alloc::frame_box_for_transfer(value) moves the value into a box from the pool
//              (thread-safe, freeable from any thread) and returns a handle. The handle is moved to
//              the receiving thread by any means (a queue, a task capture); receive() there moves the
//              value out and frees the box. The producer's end_frame() does not touch it. A handle
//              destroyed unreceived destroys the value and frees the box.
// Threads:     a handle is used by one thread at a time (it is a unique owner, moved, not shared).
// Errors:      receive() on an empty handle (already received, or moved from) throws frame_error FA203.
// Lifetime:    handles must not outlive the smart_alloc (its pool) they came from.
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <new>
#include <utility>
export module framealloc.threading:transfer_handle;

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
// The transfer statistics of one smart_alloc. Each thread counts in the stripe its thread maps to, a
// cache line of its own in the common case: a transfer costs relaxed adds on a line the thread already
// holds. (One set of shared counters made every transfer bounce that line between sender and receiver:
// framealloc_threading_bench measured transfers 1.7x slower than malloc'd boxes with it, and on par
// without it.) snapshot() sums the stripes: exact whenever no transfer is in progress.
class transfer_counters {
public:
    transfer_counters() : stripes_(std::make_unique<stripe[]>(stripe_count)) {}

    void on_created(std::uint64_t bytes) noexcept {
        stripe& s = mine();
        s.created.fetch_add(1, std::memory_order_relaxed);
        s.bytes_created.fetch_add(bytes, std::memory_order_relaxed);
    }
    void on_received() noexcept { mine().received.fetch_add(1, std::memory_order_relaxed); }
    void on_dropped() noexcept { mine().dropped.fetch_add(1, std::memory_order_relaxed); }

    [[nodiscard]] transfer_stats snapshot() const noexcept {
        transfer_stats t;
        for (std::size_t i = 0; i < stripe_count; ++i) {
            const stripe& s = stripes_[i];
            t.created += s.created.load(std::memory_order_relaxed);
            t.received += s.received.load(std::memory_order_relaxed);
            t.dropped += s.dropped.load(std::memory_order_relaxed);
            t.bytes_created += s.bytes_created.load(std::memory_order_relaxed);
        }
        return t;
    }

private:
    static constexpr std::size_t stripe_count = 32;  // a power of two
    struct alignas(64) stripe {
        std::atomic<std::uint64_t> created{0};
        std::atomic<std::uint64_t> received{0};
        std::atomic<std::uint64_t> dropped{0};
        std::atomic<std::uint64_t> bytes_created{0};
    };

    // The calling thread's stripe, from the address of its thread-local slot cache (distinct per live
    // thread), mixed so that threads whose TLS blocks are a power of two apart spread over the stripes.
    [[nodiscard]] stripe& mine() const noexcept {
        const auto at = reinterpret_cast<std::uintptr_t>(&t_thread_slots[0]);
        return stripes_[static_cast<std::size_t>(((at >> 4) * 0x9E3779B97F4A7C15ull) >> 59)];
    }
    static_assert(stripe_count == 32, "mine() keeps the top 5 bits of the hash");

    std::unique_ptr<stripe[]> stripes_;
};
}  // namespace detail

template <class T>
class transfer_handle {
public:
    transfer_handle() noexcept = default;
    transfer_handle(transfer_handle&& other) noexcept
        : value_(std::exchange(other.value_, nullptr)), resource_(other.resource_), counters_(other.counters_) {}
    transfer_handle& operator=(transfer_handle&& other) noexcept {
        if (this != &other) {
            drop();
            value_ = std::exchange(other.value_, nullptr);
            resource_ = other.resource_;
            counters_ = other.counters_;
        }
        return *this;
    }
    transfer_handle(const transfer_handle&) = delete;
    transfer_handle& operator=(const transfer_handle&) = delete;
    ~transfer_handle() { drop(); }

    // Moves the value out to the calling thread and frees the box. FA203 when nothing is pending.
    [[nodiscard]] T receive() {
        if (value_ == nullptr)
            throw_frame_error(codes::transfer_not_pending, "transfer_handle::receive() on a handle already received or moved from");
        T* box = std::exchange(value_, nullptr);
        T out(std::move(*box));
        destroy_box(box);
        counters_->on_received();
        return out;
    }

    [[nodiscard]] bool pending() const noexcept { return value_ != nullptr; }

    // Used by smart_alloc::frame_box_for_transfer.
    template <class U>
    static transfer_handle make(std::pmr::memory_resource& resource, detail::transfer_counters& counters, U&& value) {
        void* memory = resource.allocate(sizeof(T), alignof(T));
        T* box = nullptr;
        try {
            box = ::new (memory) T(std::forward<U>(value));
        } catch (...) {
            resource.deallocate(memory, sizeof(T), alignof(T));
            throw;
        }
        counters.on_created(sizeof(T));
        return transfer_handle(box, &resource, &counters);
    }

private:
    transfer_handle(T* box, std::pmr::memory_resource* resource, detail::transfer_counters* counters) noexcept
        : value_(box), resource_(resource), counters_(counters) {}

    void destroy_box(T* box) noexcept {
        box->~T();
        resource_->deallocate(box, sizeof(T), alignof(T));
    }
    void drop() noexcept {
        if (value_ == nullptr) return;
        destroy_box(std::exchange(value_, nullptr));
        counters_->on_dropped();
    }

    T* value_ = nullptr;
    std::pmr::memory_resource* resource_ = nullptr;
    detail::transfer_counters* counters_ = nullptr;
};

}  // namespace framealloc
