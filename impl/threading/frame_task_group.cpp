// frame_task_group: the tbb::task_group behind it and the type-erased task TBB runs.
//
// Lifetime of a task: run() counts it and boxes its body in the pool; submit() wraps the box in a
// task_runner, the one functor type TBB instantiates (here, not in importers). TBB destroys the
// runner after running it or when it cancels it before it starts; either way the runner's finish()
// destroys the body, frees the box and uncounts the task, in that order, before TBB releases the
// group's wait. So wait() returning means every counted task has left, and end_frame() right after it
// finds the count at zero.
module;
#include <oneapi/tbb/task_group.h>

#include <framealloc/tsan_handoff.hpp>

#include <cstddef>
#include <memory>
#include <utility>
module framealloc.threading;

import framealloc.core;
import framealloc.pool;

namespace framealloc::detail {

struct frame_task_group_state {
    tbb::task_group group;
};

namespace {

// The runner lives inside TBB's task object: built on the submitting thread, run (or cancelled) and
// destroyed on another, its memory then reused by TBB for other tasks. Each phase brackets its accesses
// with handoff_acquire/handoff_release on its own address (see tsan_handoff.hpp), which is the order
// TBB's spawn and task allocator guarantee, stated where ThreadSanitizer can see it.
class task_runner {
public:
    task_runner(frame_task_box* box, frame_task_counter* counter, pool_resource* pool) noexcept {
        handoff_acquire(this);
        box_ = box;
        counter_ = counter;
        pool_ = pool;
        handoff_release(this);
    }
    task_runner(task_runner&& other) noexcept {
        handoff_acquire(this);
        box_ = std::exchange(other.box_, nullptr);
        counter_ = other.counter_;
        pool_ = other.pool_;
        handoff_release(this);
    }
    task_runner(const task_runner&) = delete;
    task_runner& operator=(const task_runner&) = delete;
    task_runner& operator=(task_runner&&) = delete;
    ~task_runner() {
        handoff_acquire(this);
        if (box_ != nullptr) finish();  // cancelled before it ran
        handoff_release(this);
    }

    // TBB calls the functor as const; the box pointer is the runner's one piece of mutable state.
    void operator()() const {
        handoff_acquire(this);  // the submitting thread's writes: the runner, the box, the body
        try {
            box_->invoke(box_);
        } catch (...) {
            finish();
            throw;  // TBB keeps the first exception for wait() and cancels the group
        }
        finish();
        handoff_release(this);
    }

private:
    void finish() const noexcept {
        frame_task_box* box = std::exchange(box_, nullptr);
        const std::size_t size = box->size;
        const std::size_t alignment = box->alignment;
        box->destroy(box);
        pool_->deallocate(box, size, alignment);
        counter_->leave();  // last: after it, end_frame() may release what the body used
    }

    mutable frame_task_box* box_ = nullptr;
    frame_task_counter* counter_ = nullptr;
    pool_resource* pool_ = nullptr;
};

}  // namespace
}  // namespace framealloc::detail

namespace framealloc {

frame_task_group::frame_task_group(frame_task_counter& counter, pool_resource& pool)
    : counter_(&counter), pool_(&pool), state_(std::make_unique<detail::frame_task_group_state>()) {}

frame_task_group::~frame_task_group() {
    cancel();
    try {
        state_->group.wait();
    } catch (...) {
        // A task's exception nobody waited for: the tasks are finished, which is what matters here.
    }
}

void frame_task_group::submit(detail::frame_task_box* box) {
    // Counted after the body is boxed, so enter()'s release covers the box's contents as well.
    try {
        counter_->enter();  // FA005 outside a frame
    } catch (...) {
        const std::size_t size = box->size;
        const std::size_t alignment = box->alignment;
        box->destroy(box);
        pool_->deallocate(box, size, alignment);
        throw;
    }
    // If TBB cannot allocate its task, the runner still owns the box and its destructor releases it.
    state_->group.run(detail::task_runner(box, counter_, pool_));
}

bool frame_task_group::wait() {
    tbb::task_group_status status{};
    try {
        status = state_->group.wait();
    } catch (...) {
        counter_->sync_with_finished_tasks();  // the tasks' writes and their exception, for TSan's eyes
        throw;
    }
    counter_->sync_with_finished_tasks();
    return status == tbb::task_group_status::complete;
}

void frame_task_group::cancel() noexcept { state_->group.cancel(); }

}  // namespace framealloc
