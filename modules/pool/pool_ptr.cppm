// pool_ptr<T>: owns one T allocated from a memory resource (a pool_resource, the tracked heap, any
// std::pmr resource). Destruction runs ~T and gives the memory back to that resource. Movable, not
// copyable; may be destroyed or reset on any thread when the resource is thread-safe (pool_resource
// and heap_resource are).
module;
#include <cstddef>
#include <memory_resource>
#include <new>
#include <utility>
export module framealloc.pool:pool_ptr;

export namespace framealloc {

template <class T>
class pool_ptr {
public:
    pool_ptr() noexcept = default;
    pool_ptr(T* object, std::pmr::memory_resource* resource) noexcept : object_(object), resource_(resource) {}
    pool_ptr(pool_ptr&& other) noexcept
        : object_(std::exchange(other.object_, nullptr)), resource_(std::exchange(other.resource_, nullptr)) {}
    pool_ptr& operator=(pool_ptr&& other) noexcept {
        if (this != &other) {
            reset();
            object_ = std::exchange(other.object_, nullptr);
            resource_ = std::exchange(other.resource_, nullptr);
        }
        return *this;
    }
    pool_ptr(const pool_ptr&) = delete;
    pool_ptr& operator=(const pool_ptr&) = delete;
    ~pool_ptr() { reset(); }

    void reset() noexcept {
        if (object_ == nullptr) return;
        T* object = std::exchange(object_, nullptr);
        object->~T();
        resource_->deallocate(object, sizeof(T), alignof(T));
    }
    // Gives up ownership: the caller must destroy the object and deallocate it from resource().
    [[nodiscard]] T* release() noexcept { return std::exchange(object_, nullptr); }

    [[nodiscard]] T* get() const noexcept { return object_; }
    [[nodiscard]] T& operator*() const noexcept { return *object_; }
    [[nodiscard]] T* operator->() const noexcept { return object_; }
    explicit operator bool() const noexcept { return object_ != nullptr; }
    [[nodiscard]] std::pmr::memory_resource* resource() const noexcept { return resource_; }

private:
    T* object_ = nullptr;
    std::pmr::memory_resource* resource_ = nullptr;
};

namespace detail {
// Constructs a T in `memory` (from `resource`) and returns its owner; if the constructor throws, the
// memory goes back to `resource` and the exception goes on.
template <class T, class... Args>
[[nodiscard]] pool_ptr<T> construct_owned(std::pmr::memory_resource& resource, void* memory, Args&&... args) {
    try {
        return pool_ptr<T>(::new (memory) T(std::forward<Args>(args)...), &resource);
    } catch (...) {
        resource.deallocate(memory, sizeof(T), alignof(T));
        throw;
    }
}
}  // namespace detail

// Allocates and constructs a T on `resource`; if the constructor throws, the memory goes back.
template <class T, class... Args>
[[nodiscard]] pool_ptr<T> make_pool_ptr(std::pmr::memory_resource& resource, Args&&... args) {
    return detail::construct_owned<T>(resource, resource.allocate(sizeof(T), alignof(T)), std::forward<Args>(args)...);
}

// As make_pool_ptr, but an empty pool_ptr when the memory cannot be had (std::bad_alloc from the
// resource: upstream out of memory, a budget under `fail`). A throwing constructor still throws (after
// the memory went back). Costs one exception internally, on failure only.
template <class T, class... Args>
[[nodiscard]] pool_ptr<T> try_make_pool_ptr(std::pmr::memory_resource& resource, Args&&... args) {
    void* memory = nullptr;
    try {
        memory = resource.allocate(sizeof(T), alignof(T));
    } catch (const std::bad_alloc&) {
        return pool_ptr<T>();
    }
    return detail::construct_owned<T>(resource, memory, std::forward<Args>(args)...);
}

}  // namespace framealloc
