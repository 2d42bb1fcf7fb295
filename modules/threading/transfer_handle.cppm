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
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <new>
#include <utility>
export module framealloc.threading:transfer_handle;

import framealloc.core;
import :transfer_counters;

export namespace framealloc {

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
        // If T's move (or copy) throws, the handle still owns the box: the value is destroyed and the
        // transfer counted as dropped when the handle goes, never leaked or left in flight.
        T out(std::move(*value_));
        destroy_box(std::exchange(value_, nullptr));
        counters_->on_received();
        return out;
    }

    [[nodiscard]] bool pending() const noexcept { return value_ != nullptr; }

    // Used by smart_alloc::frame_box_for_transfer.
    template <class U>
    static transfer_handle make(std::pmr::memory_resource& resource, detail::transfer_counters& counters, U&& value) {
        detail::transfer_thread_counts& mine = counters.local();  // binds first: nothing to undo if it throws
        void* memory = resource.allocate(sizeof(T), alignof(T));
        T* box = nullptr;
        try {
            box = ::new (memory) T(std::forward<U>(value));
        } catch (...) {
            resource.deallocate(memory, sizeof(T), alignof(T));
            throw;
        }
        counters.on_created(mine, sizeof(T));
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
