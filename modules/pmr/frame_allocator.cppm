// frame_allocator<T>: a standard Allocator over a frame_resource, bound at compile time (no virtual
// call): the C++ counterpart of the Rust crate's `nightly` Allocator support. deallocate() is a no-op;
// the memory comes back at end_frame(). Copies compare equal when they share the resource.
//
//   std::vector<int, framealloc::frame_allocator<int>> v{framealloc::frame_allocator<int>{frames}};
//
// Errors: std::bad_alloc when n * sizeof(T) overflows or the arena cannot grow.
module;
#include <cstddef>
#include <type_traits>
export module framealloc.pmr:frame_allocator;

import framealloc.core;
import framealloc.arena;

export namespace framealloc {

template <class T>
class frame_allocator {
public:
    using value_type = T;
    using propagate_on_container_copy_assignment = std::true_type;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;
    using is_always_equal = std::false_type;

    explicit frame_allocator(frame_resource& resource) noexcept : resource_(&resource) {}
    template <class U>
    frame_allocator(const frame_allocator<U>& other) noexcept : resource_(other.resource()) {}

    [[nodiscard]] inline T* allocate(std::size_t n) {
        std::size_t bytes = 0;
        if (!checked_mul(n, sizeof(T), bytes)) throw_bad_alloc();
        if constexpr (alignof(T) <= max_fast_alignment)
            return static_cast<T*>(resource_->allocate_inline(bytes, alignof(T)));
        else
            return static_cast<T*>(resource_->local_arena().allocate_checked(bytes, alignof(T)));
    }
    inline void deallocate(T*, std::size_t) noexcept {}

    [[nodiscard]] frame_resource* resource() const noexcept { return resource_; }

    template <class U>
    friend bool operator==(const frame_allocator& a, const frame_allocator<U>& b) noexcept {
        return a.resource_ == b.resource();
    }

private:
    frame_resource* resource_;
};

}  // namespace framealloc
