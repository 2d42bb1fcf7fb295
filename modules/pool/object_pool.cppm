// object_pool<T>: a typed view of a pool_resource for one type: make() returns a pool_ptr<T>;
// allocate()/deallocate() and construct()/destroy() are the raw forms, inlined (no virtual call).
// Thread-safe like the pool under it. Errors as pool_resource (bad_alloc; FA1xx on bad frees).
module;
#include <new>
#include <utility>
export module framealloc.pool:object_pool;

import :pool_resource;
import :pool_ptr;

export namespace framealloc {

template <class T>
class object_pool {
public:
    explicit object_pool(pool_resource& pool) noexcept : pool_(&pool) {}

    template <class... Args>
    [[nodiscard]] pool_ptr<T> make(Args&&... args) {
        return pool_ptr<T>(construct(std::forward<Args>(args)...), pool_);
    }

    // As make, but an empty pool_ptr when the memory cannot be had (see try_make_pool_ptr).
    template <class... Args>
    [[nodiscard]] pool_ptr<T> try_make(Args&&... args) {
        return try_make_pool_ptr<T>(*pool_, std::forward<Args>(args)...);
    }

    [[nodiscard]] inline T* allocate() { return static_cast<T*>(pool_->allocate_inline(sizeof(T), alignof(T))); }
    inline void deallocate(T* p) { pool_->deallocate_inline(p, sizeof(T), alignof(T)); }

    template <class... Args>
    [[nodiscard]] T* construct(Args&&... args) {
        T* memory = allocate();
        try {
            return ::new (static_cast<void*>(memory)) T(std::forward<Args>(args)...);
        } catch (...) {
            deallocate(memory);
            throw;
        }
    }
    void destroy(T* p) {
        p->~T();
        deallocate(p);
    }

    [[nodiscard]] pool_resource& resource() const noexcept { return *pool_; }

private:
    pool_resource* pool_;
};

}  // namespace framealloc
