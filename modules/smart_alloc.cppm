// smart_alloc: the one object an engine creates. It owns frame memory, the pools and the tracked
// heap; tags and budgets join it with their issues.
//
//   framealloc::smart_alloc alloc{framealloc::alloc_config{}};
//   alloc.begin_frame();
//   auto* scratch = alloc.frame_alloc<std::array<float, 1024>>();
//   auto names    = alloc.frame_vector<std::string_view>();
//   alloc.end_frame();                 // every thread's frame memory released, destructors run
//
// Frame lifecycle: begin_frame() and end_frame() are called by one thread, the frame owner, after the
// frame's work has joined. Allocating frame memory while no frame is open throws frame_error FA001
// (try_ variants: null); begin_frame() twice or end_frame() without begin_frame() throws FA003.
// Objects made by frame_alloc<T> / frame_array<T> whose type is not trivially destructible are
// destroyed at end_frame() (or when an enclosing frame_scope ends), newest first, exactly once.
module;
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
export module framealloc:smart_alloc;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;
import framealloc.threading;
import :alloc_config;

export namespace framealloc {

class smart_alloc {
public:
    explicit smart_alloc(alloc_config config = {});
    smart_alloc(const smart_alloc&) = delete;
    smart_alloc& operator=(const smart_alloc&) = delete;
    ~smart_alloc();

    void begin_frame();
    // Releases the frame memory of every thread and returns the figures of the frame that ended.
    frame_resource_stats end_frame();
    // Frames begun so far: inside a frame, the number of the current frame (the first is 1).
    [[nodiscard]] std::uint64_t frame_number() const noexcept { return frame_number_; }
    [[nodiscard]] bool in_frame() const noexcept { return in_frame_; }

    // Constructs a T in the calling thread's frame memory. O(1), no lock.
    template <class T, class... Args>
    [[nodiscard]] inline T* frame_alloc(Args&&... args) {
        frame_arena& arena = frames_.local_arena();
        void* memory = allocate_in(arena, sizeof(T), alignof(T));
        if constexpr (std::is_trivially_destructible_v<T>) {
            return ::new (memory) T(std::forward<Args>(args)...);
        } else {
            auto* node = static_cast<detail::destructor_node*>(
                arena.allocate_inline(sizeof(detail::destructor_node), alignof(detail::destructor_node)));
            T* object = ::new (memory) T(std::forward<Args>(args)...);
            *node = detail::destructor_node{nullptr, &detail::destroy_array<T>, object, 1};
            arena.register_destructor(node);
            return object;
        }
    }

    // As frame_alloc, but null when the memory cannot be had (a throwing constructor still throws).
    template <class T, class... Args>
    [[nodiscard]] inline T* try_frame_alloc(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
        frame_arena* arena = frames_.try_local_arena();
        if (arena == nullptr) return nullptr;
        void* memory = try_allocate_in(*arena, sizeof(T), alignof(T));
        if (memory == nullptr) return nullptr;
        if constexpr (std::is_trivially_destructible_v<T>) {
            return ::new (memory) T(std::forward<Args>(args)...);
        } else {
            auto* node = static_cast<detail::destructor_node*>(
                arena->try_allocate_inline(sizeof(detail::destructor_node), alignof(detail::destructor_node)));
            if (node == nullptr) return nullptr;
            T* object = ::new (memory) T(std::forward<Args>(args)...);
            *node = detail::destructor_node{nullptr, &detail::destroy_array<T>, object, 1};
            arena->register_destructor(node);
            return object;
        }
    }

    // n value-initialised Ts in frame memory. n * sizeof(T) overflowing throws std::bad_alloc.
    template <class T>
    [[nodiscard]] std::span<T> frame_array(std::size_t n) {
        std::size_t bytes = 0;
        if (!checked_mul(n, sizeof(T), bytes)) throw_bad_alloc();
        frame_arena& arena = frames_.local_arena();
        void* memory = allocate_in(arena, bytes, alignof(T));
        detail::destructor_node* node = nullptr;
        if constexpr (!std::is_trivially_destructible_v<T>)
            node = static_cast<detail::destructor_node*>(
                arena.allocate_inline(sizeof(detail::destructor_node), alignof(detail::destructor_node)));
        return construct_array<T>(arena, memory, node, n);
    }

    // As frame_array, but an empty span with a null data() when the memory cannot be had.
    template <class T>
    [[nodiscard]] std::span<T> try_frame_array(std::size_t n) {
        std::size_t bytes = 0;
        if (!checked_mul(n, sizeof(T), bytes)) return {};
        frame_arena* arena = frames_.try_local_arena();
        if (arena == nullptr) return {};
        void* memory = try_allocate_in(*arena, bytes, alignof(T));
        if (memory == nullptr) return {};
        detail::destructor_node* node = nullptr;
        if constexpr (!std::is_trivially_destructible_v<T>) {
            node = static_cast<detail::destructor_node*>(
                arena->try_allocate_inline(sizeof(detail::destructor_node), alignof(detail::destructor_node)));
            if (node == nullptr) return {};
        }
        return construct_array<T>(*arena, memory, node, n);
    }

    // Raw frame bytes. `alignment` must be a power of two (else invalid_alignment, FA101); any such
    // alignment is honoured on the absolute address.
    [[nodiscard]] inline void* frame_alloc_bytes(std::size_t size, std::size_t alignment = alignof(std::max_align_t)) {
        return frames_.local_arena().allocate_checked(size, alignment);
    }
    [[nodiscard]] inline void* try_frame_alloc_bytes(std::size_t size,
                                                     std::size_t alignment = alignof(std::max_align_t)) noexcept {
        frame_arena* arena = frames_.try_local_arena();
        return arena != nullptr ? arena->try_allocate_checked(size, alignment) : nullptr;
    }

    template <class T>
    [[nodiscard]] std::pmr::vector<T> frame_vector() {
        return std::pmr::vector<T>(std::pmr::polymorphic_allocator<T>(&frames_));
    }
    // A std::pmr::string on frame memory, built from the same arguments as std::string.
    template <class... Args>
    [[nodiscard]] std::pmr::string frame_string(Args&&... args) {
        return std::pmr::string(std::forward<Args>(args)..., std::pmr::polymorphic_allocator<char>(&frames_));
    }

    // RAII scope on the calling thread's arena: what it allocates inside is released when it ends.
    [[nodiscard]] framealloc::frame_scope frame_scope() { return framealloc::frame_scope(frames_.local_arena()); }

    // Constructs a T in the pool (thread cache first). The pool_ptr runs ~T and frees on any thread.
    template <class T, class... Args>
    [[nodiscard]] pool_ptr<T> pool_alloc(Args&&... args) {
        return make_pool_ptr<T>(pools_, std::forward<Args>(args)...);
    }
    // Constructs a T on the tracked heap (counted in heap_resource().stats()).
    template <class T, class... Args>
    [[nodiscard]] pool_ptr<T> heap_alloc(Args&&... args) {
        return make_pool_ptr<T>(heap_, std::forward<Args>(args)...);
    }

    // Moves `value` into a box that survives this frame, for another thread to receive(). The box
    // comes from the pool; counts and bytes show in transfer_stats().
    template <class T>
    [[nodiscard]] transfer_handle<std::decay_t<T>> frame_box_for_transfer(T&& value) {
        return transfer_handle<std::decay_t<T>>::make(pools_, transfers_, std::forward<T>(value));
    }
    [[nodiscard]] framealloc::transfer_stats transfer_stats() const noexcept { return transfers_.snapshot(); }

    // The calling thread's frame budget: bytes of frame memory it may take per frame (see
    // framealloc.threading:thread_budget). set_thread_frame_budget(bytes) is a hard limit that fails.
    // Like allocation, call it from the thread itself, never concurrently with begin/end_frame().
    void set_thread_frame_budget(budget_limits limits) {
        frames_.local_arena().set_budget_watch(std::make_unique<detail::thread_frame_budget>(std::move(limits)));
    }
    void set_thread_frame_budget(std::size_t hard_limit_bytes) {
        budget_limits limits;
        limits.hard_limit = hard_limit_bytes;
        set_thread_frame_budget(std::move(limits));
    }
    void clear_thread_frame_budget() { frames_.local_arena().set_budget_watch(nullptr); }

    [[nodiscard]] framealloc::frame_resource& frame_resource() noexcept { return frames_; }
    [[nodiscard]] framealloc::pool_resource& pool_resource() noexcept { return pools_; }
    [[nodiscard]] framealloc::heap_resource& heap_resource() noexcept { return heap_; }
    [[nodiscard]] const alloc_config& config() const noexcept { return config_; }

private:
    static inline void* allocate_in(frame_arena& arena, std::size_t bytes, std::size_t alignment) {
        return alignment <= max_fast_alignment ? arena.allocate_inline(bytes, alignment)
                                               : arena.allocate_checked(bytes, alignment);
    }
    static inline void* try_allocate_in(frame_arena& arena, std::size_t bytes, std::size_t alignment) noexcept {
        return alignment <= max_fast_alignment ? arena.try_allocate_inline(bytes, alignment)
                                               : arena.try_allocate_checked(bytes, alignment);
    }

    template <class T>
    // Value-initialises n Ts at `memory`; for a non-trivially destructible T, `node` (already
    // allocated, so construction is the last thing that can fail) registers their destruction.
    static std::span<T> construct_array(frame_arena& arena, void* memory, detail::destructor_node* node,
                                        std::size_t n) {
        T* first = static_cast<T*>(memory);
        if constexpr (std::is_trivially_destructible_v<T>) {
            for (std::size_t i = 0; i < n; ++i) ::new (static_cast<void*>(first + i)) T();
        } else {
            std::size_t built = 0;
            try {
                for (; built < n; ++built) ::new (static_cast<void*>(first + built)) T();
            } catch (...) {
                detail::destroy_array<T>(first, built);
                throw;
            }
            *node = detail::destructor_node{nullptr, &detail::destroy_array<T>, first, n};
            arena.register_destructor(node);
        }
        return std::span<T>(first, n);
    }

    alloc_config config_;
    framealloc::frame_resource frames_;
    framealloc::heap_resource heap_;
    framealloc::pool_resource pools_;  // after heap_: its oversize requests go to the tracked heap
    detail::transfer_counters transfers_;
    std::uint64_t frame_number_ = 0;
    bool in_frame_ = false;
};

}  // namespace framealloc
