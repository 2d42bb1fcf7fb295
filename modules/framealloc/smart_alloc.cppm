// smart_alloc: the one object an engine creates. It owns frame memory, the pools, the tracked heap and
// the scratch arenas, opens and ends frames, and is the front of tags, budgets, retention and
// statistics.
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
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <new>
#include <span>
#include <string_view>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>
export module framealloc:smart_alloc;

import framealloc.core;
import framealloc.diagnostics;
import framealloc.arena;
import framealloc.pool;
import framealloc.retention;
import framealloc.threading;
import framealloc.report;
import :alloc_config;

export namespace framealloc {

// What smart_alloc records at begin_frame() and end_frame() (once per frame, cold): the timing and the
// figures of the open frame, or of the frame that ended last. Snapshots read it.
struct frame_record {
    std::uint64_t number = 0;                       // 0 until the first begin_frame()
    bool open = false;                              // between begin_frame() and end_frame()
    std::chrono::steady_clock::time_point began{};  // at begin_frame()
    std::chrono::steady_clock::time_point ended{};  // at end_frame(); == began while open
    frame_resource_stats frame_memory{};            // what end_frame() returned; zeros while open
    std::uint64_t transfers_received_at_begin = 0;  // transfer_stats().received at begin_frame()
    std::uint64_t transfers_received_at_end = 0;    // ... at end_frame(); == at_begin while open
    // pool_stats() blocks_to_depot / blocks_from_depot at begin_frame() and at end_frame().
    std::uint64_t depot_returned_at_begin = 0;
    std::uint64_t depot_reused_at_begin = 0;
    std::uint64_t depot_returned_at_end = 0;
    std::uint64_t depot_reused_at_end = 0;
};

// Everything smart_alloc::stats() knows: per-tag and per-thread usage (framealloc.diagnostics) and
// each resource's own figures (chunks, slabs, upstream calls, heap fallback).
struct allocator_stats {
    diagnostics_stats usage;
    frame_resource_stats frame;
    pool_stats pool;
    heap_stats heap;
    framealloc::transfer_stats transfers;
};

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
    // The open frame, or the one that ended last (see frame_record). Frame owner only.
    [[nodiscard]] const frame_record& last_frame() const noexcept { return last_frame_; }

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
    // As pool_alloc / heap_alloc, but an empty pool_ptr where they would throw std::bad_alloc (a budget
    // under `fail`, upstream out of memory). A throwing constructor still throws.
    template <class T, class... Args>
    [[nodiscard]] pool_ptr<T> try_pool_alloc(Args&&... args) {
        return try_make_pool_ptr<T>(pools_, std::forward<Args>(args)...);
    }
    template <class T, class... Args>
    [[nodiscard]] pool_ptr<T> try_heap_alloc(Args&&... args) {
        return try_make_pool_ptr<T>(heap_, std::forward<Args>(args)...);
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

    // Runs f with the child tag `name` current on the calling thread: every frame, pool and heap
    // allocation inside is attributed to it (tags nest: "physics" then "broadphase" is
    // "physics::broadphase"). f takes this smart_alloc& or nothing; its result is returned.
    template <class F>
    decltype(auto) with_tag(std::string_view name, F&& f) {
        framealloc::scoped_tag scope(name);
        if constexpr (std::is_invocable_v<F&&, smart_alloc&>) return static_cast<F&&>(f)(*this);
        else return static_cast<F&&>(f)();
    }
    // The RAII form of with_tag.
    [[nodiscard]] framealloc::scoped_tag tag(std::string_view name) { return framealloc::scoped_tag(name); }

    // Statistics as of now: totals current, per-frame figures from the last end_frame(). Usage counts
    // are process-wide (every smart_alloc of the process; see framealloc.diagnostics:stats).
    [[nodiscard]] allocator_stats stats() const;

    // The behaviour filter (framealloc.report:behavior_filter), for code written against the Rust
    // crate's API. The filter is process-wide: these forward to enable_behavior_filter() and
    // behavior_report(), and every smart_alloc of the process feeds the same filter at end_frame().
    void enable_behavior_filter(behavior_thresholds thresholds = {}) { framealloc::enable_behavior_filter(thresholds); }
    void disable_behavior_filter() { framealloc::disable_behavior_filter(); }
    [[nodiscard]] std::vector<behavior_issue> behavior_report() const { return framealloc::behavior_report(); }

    // The calling thread's pool budget: pool bytes it may allocate per frame (framealloc.diagnostics:budgets).
    void set_thread_pool_budget(budget_limits limits) { framealloc::set_thread_pool_budget(std::move(limits)); }
    void set_thread_pool_budget(std::size_t hard_limit_bytes) { framealloc::set_thread_pool_budget(hard_limit_bytes); }
    void clear_thread_pool_budget() { framealloc::clear_thread_pool_budget(); }
    // Retention and promotion (framealloc.retention).
    // frame_retained<T>(policy, args...) constructs a T in the calling thread's frame memory, like
    // frame_alloc, and returns a ticket that points to it during the frame. At the end of the frame
    // end_frame_with_promotions() move-constructs it into the policy's destination (retention::discard,
    // promote_to_pool, promote_to_heap, promote_to_scratch(name)), destroys the frame value, and returns
    // a promotion_result from which the ticket claims a typed handle. A plain end_frame() promotes
    // nothing: the values retained in that frame are destroyed and counted as dropped.
    // Threads: frame_retained from any thread during the frame; end_frame_with_promotions() by the frame
    // owner. Errors: as frame_alloc (FA001 outside a frame, std::bad_alloc, budgets).
    template <class T, class... Args>
    [[nodiscard]] retained<T> frame_retained(const retention_policy& policy, Args&&... args) {
        return retained_.retain<T>(frames_.local_arena(), retention_target_for(policy), std::forward<Args>(args)...);
    }
    // end_frame() plus the promotion of the frame's retained values (see promotion_result). FA003 without
    // begin_frame(); std::bad_alloc (frame still open, nothing promoted) if the bookkeeping cannot be had.
    [[nodiscard]] promotion_result end_frame_with_promotions();
    // The scratch arena called `name`, created on first use (thread-safe); it lives as long as this
    // smart_alloc and is reset only by its owner (scratch_arena::reset()), never by end_frame().
    [[nodiscard]] scratch_arena& scratch(std::string_view name) { return scratches_.get(name); }
    // Lifetime retention totals up to the last end of frame.
    [[nodiscard]] framealloc::retention_stats retention_stats() const { return retained_.stats(); }
    // What the last end_frame_with_promotions() did (zeros after a plain end_frame()); for snapshots.
    [[nodiscard]] const promotion_snapshot& last_promotions() const noexcept { return last_promotions_; }
    // The same per tag (sorted by tag, "untagged" for values retained outside every tag); empty after a
    // plain end_frame().
    [[nodiscard]] const std::vector<tag_promotion_summary>& last_promotions_by_tag() const noexcept {
        return last_promotions_by_tag_;
    }
    // Tasks of the current frame in flight (frame_task_group, run_frame, run_graph_frame,
    // frame_task_scope, frame_task_body): end_frame() while any is counted throws frame_error FA005 and
    // leaves the frame open.
    [[nodiscard]] frame_task_counter& frame_tasks() noexcept { return frame_tasks_; }

    [[nodiscard]] framealloc::frame_resource& frame_resource() noexcept { return frames_; }
    [[nodiscard]] framealloc::pool_resource& pool_resource() noexcept { return pools_; }
    [[nodiscard]] framealloc::heap_resource& heap_resource() noexcept { return heap_; }
    [[nodiscard]] const framealloc::frame_resource& frame_resource() const noexcept { return frames_; }
    [[nodiscard]] const framealloc::pool_resource& pool_resource() const noexcept { return pools_; }
    [[nodiscard]] const framealloc::heap_resource& heap_resource() const noexcept { return heap_; }
    [[nodiscard]] const alloc_config& config() const noexcept { return config_; }

private:
    [[nodiscard]] retention_target retention_target_for(const retention_policy& policy);
    // What the frame's retained values became: end_frame() passes none, end_frame_with_promotions()
    // the summary of its promotion batch. Feeds the behaviour filter (FA502, FA520) and snapshots.
    struct frame_promotions {
        promotion_snapshot counts;
        std::uint64_t retained = 0;  // promoted + failed
        std::uint64_t promoted = 0;
        const std::vector<tag_promotion_summary>* by_tag = nullptr;
    };
    // The end of a frame, both forms: checks, releases every thread's frame memory, merges statistics.
    frame_resource_stats finish_frame(const frame_promotions& promotions);

    alloc_config config_;
    // Destroyed bottom-up: frame memory first, while the pool and heap it may still own blocks of are
    // alive (a frame object holding a pool_ptr, a pmr container on the pool), then the pool, then the heap.
    retention_set retained_;  // before frames_: the arenas' destructor links of retained values point into it
    framealloc::heap_resource heap_;
    framealloc::pool_resource pools_;  // after heap_: its oversize requests go to the tracked heap
    framealloc::frame_resource frames_;  // after pools_: destroyed first, its destructors may free into the pool
    detail::transfer_counters transfers_;
    frame_tracker tracker_;
    std::uint64_t upstream_seen_ = 0;  // frame arenas' upstream calls at the previous end_frame
    promotion_snapshot last_promotions_;
    std::vector<tag_promotion_summary> last_promotions_by_tag_;
    scratch_registry scratches_{config_.frame_options(), config_.upstream};  // after pools_: values in it may own pool memory
    frame_task_counter frame_tasks_;
    std::uint64_t frame_number_ = 0;
    bool in_frame_ = false;
    frame_record last_frame_{};
};

}  // namespace framealloc
