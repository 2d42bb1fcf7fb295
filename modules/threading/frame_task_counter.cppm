// frame_task_counter: how many tasks of the current frame are in flight, so that end_frame() while one
// still runs is reported (frame_error FA005) instead of releasing memory a task is using.
//
// What:        enter() counts a task of the current frame (a task_group task from its submission, a
//              flow-graph run, a frame_task_scope); leave() uncounts it. close() is end_frame()'s check:
//              it refuses with FA005 while any task is counted and leaves the frame open, so the owner
//              can wait and end the frame again. Once closed, enter() refuses with FA005 too: a task of
//              a frame that already ended never runs on the next frame's (or a closed frame's) memory.
//              open() is begin_frame()'s. A new counter is closed.
// Complexity:  one atomic read-modify-write per enter(), leave() and close(): once per task, never per
//              allocation.
// Threads:     enter() / leave() from any thread; open() / close() by the frame owner.
// Why one word: the count and the "closed" flag share one atomic, so enter() and close() are ordered
//              by that word's modification order: either close() sees the task counted (and refuses)
//              or enter() sees the frame closed (and refuses). No task slips in between the check and
//              the release of the frame's memory. leave() is a release and close() an acquire, so what
//              a task wrote happens-before end_frame() resets the arenas, and enter() acquires what
//              tasks that left before wrote (a flow-graph node counted with frame_task_body sees its
//              predecessor's frame memory). The scheduler (libtbb) provides these orderings too, but
//              ThreadSanitizer cannot see inside it; these edges are in our code, where it can.
// Caveat:      a close() that refuses reopens the word; an enter() racing with that refusal may refuse
//              too. Both sides of the misuse then report FA005, and nothing is corrupted.
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
export module framealloc.threading:frame_task_counter;

import framealloc.core;

export namespace framealloc {

class frame_task_counter {
public:
    frame_task_counter() noexcept = default;
    frame_task_counter(const frame_task_counter&) = delete;
    frame_task_counter& operator=(const frame_task_counter&) = delete;

    // Counts a task of the current frame. FA005 when no frame is open (nothing counted then).
    inline void enter() {
        const std::uint64_t before = state_.fetch_add(1, std::memory_order_acq_rel);
        if ((before & closed_bit) != 0) [[unlikely]] refuse_enter();
    }
    // Uncounts a task entered before. Its writes happen-before a later close() that succeeds.
    inline void leave() noexcept { state_.fetch_sub(1, std::memory_order_release); }

    // begin_frame(): tasks may enter.
    void open() noexcept { state_.fetch_and(~closed_bit, std::memory_order_acq_rel); }
    // end_frame(): closes the frame for tasks, or throws frame_error FA005 (and stays open) while any
    // task is in flight.
    inline void close() {
        const std::uint64_t before = state_.fetch_or(closed_bit, std::memory_order_acq_rel);
        if ((before & count_mask) != 0) [[unlikely]] refuse_close(before & count_mask);
    }

    [[nodiscard]] std::size_t in_flight() const noexcept {
        return static_cast<std::size_t>(state_.load(std::memory_order_acquire) & count_mask);
    }
    [[nodiscard]] bool is_open() const noexcept { return (state_.load(std::memory_order_acquire) & closed_bit) == 0; }

    // An acquire of the counter: what tasks that have left (or were refused) wrote, an exception they
    // threw included, is visible to the caller afterwards. frame_task_group::wait() and
    // run_graph_frame() call it after TBB's wait, whose own ordering ThreadSanitizer cannot see.
    void sync_with_finished_tasks() const noexcept { (void)state_.load(std::memory_order_acquire); }

private:
    static constexpr std::uint64_t closed_bit = std::uint64_t(1) << 63;
    static constexpr std::uint64_t count_mask = closed_bit - 1;

    [[noreturn, gnu::noinline]] void refuse_enter();
    [[noreturn, gnu::noinline]] void refuse_close(std::uint64_t in_flight);

    std::atomic<std::uint64_t> state_{closed_bit};
};

// RAII: counts the enclosing code as a task of the current frame (enter() in the constructor, so FA005
// when no frame is open; leave() in the destructor). For work that runs outside frame_task_group and
// run_graph_frame, e.g. on a std::thread or in a flow-graph node driven by hand.
class frame_task_scope {
public:
    inline explicit frame_task_scope(frame_task_counter& counter) : counter_(&counter) { counter.enter(); }
    frame_task_scope(const frame_task_scope&) = delete;
    frame_task_scope& operator=(const frame_task_scope&) = delete;
    inline ~frame_task_scope() { counter_->leave(); }

private:
    frame_task_counter* counter_;
};

}  // namespace framealloc
