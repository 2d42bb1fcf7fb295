// Typed construction in a frame_arena: objects, value-initialised arrays, and the destructor
// registration for types that are not trivially destructible (run at reset() or rewind, newest first).
// smart_alloc's frame_alloc / frame_array and frame_handle are both built on these.
//
// Errors: as frame_arena::allocate (std::bad_alloc, frame_error FA001, budget_exceeded);
// n * sizeof(T) overflowing is std::bad_alloc. try_ forms: null (an empty span) instead; a throwing
// constructor still throws. If a constructor of an array element throws, the elements already built
// are destroyed and nothing is registered.
module;
#include <cstddef>
#include <new>
#include <span>
#include <type_traits>
#include <utility>
export module framealloc.arena:frame_objects;

import framealloc.core;
import :destructor_list;
import :frame_arena;

export namespace framealloc {

namespace detail {
[[gnu::always_inline]] inline void* place(frame_arena& arena, std::size_t bytes, std::size_t alignment) {
    return alignment <= max_fast_alignment ? arena.allocate_inline(bytes, alignment) : arena.allocate_checked(bytes, alignment);
}
[[gnu::always_inline]] inline void* try_place(frame_arena& arena, std::size_t bytes, std::size_t alignment) noexcept {
    return alignment <= max_fast_alignment ? arena.try_allocate_inline(bytes, alignment)
                                           : arena.try_allocate_checked(bytes, alignment);
}
inline destructor_node* place_node(frame_arena& arena) {
    return static_cast<destructor_node*>(arena.allocate_inline(sizeof(destructor_node), alignof(destructor_node)));
}
inline destructor_node* try_place_node(frame_arena& arena) noexcept {
    return static_cast<destructor_node*>(arena.try_allocate_inline(sizeof(destructor_node), alignof(destructor_node)));
}

// Value-initialises n Ts at `memory`; for a non-trivially destructible T, `node` (already allocated,
// so construction is the last thing that can fail) registers their destruction.
template <class T>
std::span<T> construct_array(frame_arena& arena, void* memory, destructor_node* node, std::size_t n) {
    T* first = static_cast<T*>(memory);
    if constexpr (std::is_trivially_destructible_v<T>) {
        for (std::size_t i = 0; i < n; ++i) ::new (static_cast<void*>(first + i)) T();
    } else {
        std::size_t built = 0;
        try {
            for (; built < n; ++built) ::new (static_cast<void*>(first + built)) T();
        } catch (...) {
            destroy_array<T>(first, built);
            throw;
        }
        *node = destructor_node{nullptr, &destroy_array<T>, first, n};
        arena.register_destructor(node);
    }
    return std::span<T>(first, n);
}
}  // namespace detail

template <class T, class... Args>
[[nodiscard]] inline T* construct_in(frame_arena& arena, Args&&... args) {
    void* memory = detail::place(arena, sizeof(T), alignof(T));
    if constexpr (std::is_trivially_destructible_v<T>) {
        return ::new (memory) T(std::forward<Args>(args)...);
    } else {
        detail::destructor_node* node = detail::place_node(arena);
        T* object = ::new (memory) T(std::forward<Args>(args)...);
        *node = detail::destructor_node{nullptr, &detail::destroy_array<T>, object, 1};
        arena.register_destructor(node);
        return object;
    }
}

template <class T, class... Args>
[[nodiscard]] inline T* try_construct_in(frame_arena& arena, Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
    void* memory = detail::try_place(arena, sizeof(T), alignof(T));
    if (memory == nullptr) return nullptr;
    if constexpr (std::is_trivially_destructible_v<T>) {
        return ::new (memory) T(std::forward<Args>(args)...);
    } else {
        detail::destructor_node* node = detail::try_place_node(arena);
        if (node == nullptr) return nullptr;
        T* object = ::new (memory) T(std::forward<Args>(args)...);
        *node = detail::destructor_node{nullptr, &detail::destroy_array<T>, object, 1};
        arena.register_destructor(node);
        return object;
    }
}

template <class T>
[[nodiscard]] std::span<T> construct_array_in(frame_arena& arena, std::size_t n) {
    std::size_t bytes = 0;
    if (!checked_mul(n, sizeof(T), bytes)) throw_bad_alloc();
    void* memory = detail::place(arena, bytes, alignof(T));
    detail::destructor_node* node = nullptr;
    if constexpr (!std::is_trivially_destructible_v<T>) node = detail::place_node(arena);
    return detail::construct_array<T>(arena, memory, node, n);
}

template <class T>
[[nodiscard]] std::span<T> try_construct_array_in(frame_arena& arena, std::size_t n) {
    std::size_t bytes = 0;
    if (!checked_mul(n, sizeof(T), bytes)) return {};
    void* memory = detail::try_place(arena, bytes, alignof(T));
    if (memory == nullptr) return {};
    detail::destructor_node* node = nullptr;
    if constexpr (!std::is_trivially_destructible_v<T>) {
        node = detail::try_place_node(arena);
        if (node == nullptr) return {};
    }
    return detail::construct_array<T>(arena, memory, node, n);
}

// The calling thread's frame memory held in a local: for hot loops that make many objects on one
// thread, it skips the per-call thread-local lookup of smart_alloc::frame_alloc (same semantics).
// Get it with smart_alloc::thread_frame(); use it on that thread only, within the frame.
class frame_handle {
public:
    explicit frame_handle(frame_arena& arena) noexcept : arena_(&arena) {}

    template <class T, class... Args>
    [[nodiscard]] inline T* alloc(Args&&... args) {
        return construct_in<T>(*arena_, std::forward<Args>(args)...);
    }
    template <class T>
    [[nodiscard]] std::span<T> array(std::size_t n) {
        return construct_array_in<T>(*arena_, n);
    }
    [[nodiscard]] inline void* bytes(std::size_t size, std::size_t alignment = alignof(std::max_align_t)) {
        return arena_->allocate_checked(size, alignment);
    }
    [[nodiscard]] frame_arena& arena() const noexcept { return *arena_; }

private:
    frame_arena* arena_;
};

}  // namespace framealloc
