// pool_allocator<T>: a standard Allocator over a pool_resource, bound at compile time (no virtual
// call). Copies compare equal when they share the pool. Thread-safe like the pool.
//
//   std::list<int, framealloc::pool_allocator<int>> l{framealloc::pool_allocator<int>{pool}};
//
// Errors: std::bad_alloc when n * sizeof(T) overflows or memory cannot be had.
module;
#include <cstddef>
#include <type_traits>
export module framealloc.pmr:pool_allocator;

import framealloc.core;
import framealloc.pool;

export namespace framealloc {

template <class T>
class pool_allocator {
public:
    using value_type = T;
    using propagate_on_container_copy_assignment = std::true_type;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;
    using is_always_equal = std::false_type;

    explicit pool_allocator(pool_resource& pool) noexcept : pool_(&pool) {}
    template <class U>
    pool_allocator(const pool_allocator<U>& other) noexcept : pool_(other.resource()) {}

    [[nodiscard]] inline T* allocate(std::size_t n) {
        std::size_t bytes = 0;
        if (!checked_mul(n, sizeof(T), bytes)) throw_bad_alloc();
        return static_cast<T*>(pool_->allocate_inline(bytes, alignof(T)));
    }
    inline void deallocate(T* p, std::size_t n) { pool_->deallocate_inline(p, n * sizeof(T), alignof(T)); }

    [[nodiscard]] pool_resource* resource() const noexcept { return pool_; }

    template <class U>
    friend bool operator==(const pool_allocator& a, const pool_allocator<U>& b) noexcept {
        return a.pool_ == b.resource();
    }

private:
    pool_resource* pool_;
};

}  // namespace framealloc
