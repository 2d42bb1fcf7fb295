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
// (try_ variants: null); begin_frame() twice or end_frame() without begin_frame() throws FA003;
// end_frame() while a counted task of the frame still runs throws FA005 (see frame_tasks()).
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
        return construct_in<T>(frames_.local_arena(), std::forward<Args>(args)...);
    }

    // As frame_alloc, but null when the memory cannot be had (a throwing constructor still throws).
    template <class T, class... Args>
    [[nodiscard]] inline T* try_frame_alloc(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
        frame_arena* arena = frames_.try_local_arena();
        return arena != nullptr ? try_construct_in<T>(*arena, std::forward<Args>(args)...) : nullptr;
    }

    // n value-initialised Ts in frame memory. n * sizeof(T) overflowing throws std::bad_alloc.
    template <class T>
    [[nodiscard]] std::span<T> frame_array(std::size_t n) {
        return construct_array_in<T>(frames_.local_arena(), n);
    }

    // As frame_array, but an empty span with a null data() when the memory cannot be had.
    template <class T>
    [[nodiscard]] std::span<T> try_frame_array(std::size_t n) {
        frame_arena* arena = frames_.try_local_arena();
        return arena != nullptr ? try_construct_array_in<T>(*arena, n) : std::span<T>{};
    }

    // The calling thread's frame memory as a handle: frame_alloc without the per-call thread-local
    // lookup, for hot loops on one thread (see frame_handle).
    [[nodiscard]] frame_handle thread_frame() { return frame_handle(frames_.local_arena()); }

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

    // Tasks of the current frame in flight (frame_task_group, run_frame, run_graph_frame,
    // frame_task_scope, frame_task_body): end_frame() while any is counted throws frame_error FA005 and
    // leaves the frame open.
    [[nodiscard]] frame_task_counter& frame_tasks() noexcept { return frame_tasks_; }

    [[nodiscard]] framealloc::frame_resource& frame_resource() noexcept { return frames_; }
    [[nodiscard]] framealloc::pool_resource& pool_resource() noexcept { return pools_; }
    [[nodiscard]] framealloc::heap_resource& heap_resource() noexcept { return heap_; }
    [[nodiscard]] const alloc_config& config() const noexcept { return config_; }

private:
    alloc_config config_;
    framealloc::frame_resource frames_;
    framealloc::heap_resource heap_;
    framealloc::pool_resource pools_;  // after heap_: its oversize requests go to the tracked heap
    detail::transfer_counters transfers_;
    frame_task_counter frame_tasks_;
    std::uint64_t frame_number_ = 0;
    bool in_frame_ = false;
};

}  // namespace framealloc
