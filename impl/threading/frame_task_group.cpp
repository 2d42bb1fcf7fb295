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

class task_runner {
public:
    task_runner(frame_task_box* box, frame_task_counter* counter, pool_resource* pool) noexcept
        : box_(box), counter_(counter), pool_(pool) {}
    task_runner(task_runner&& other) noexcept
        : box_(std::exchange(other.box_, nullptr)), counter_(other.counter_), pool_(other.pool_) {}
    task_runner(const task_runner&) = delete;
    task_runner& operator=(const task_runner&) = delete;
    task_runner& operator=(task_runner&&) = delete;
    ~task_runner() {
        if (box_ != nullptr) finish();  // cancelled before it ran
    }

    // TBB calls the functor as const; the box pointer is the runner's one piece of mutable state.
    void operator()() const {
        // The submitting thread's enter() released everything it wrote, the body included; this acquire
        // makes that visible through an edge ThreadSanitizer can see (TBB's own spawn is in libtbb).
        counter_->acquire();
        try {
            box_->invoke(box_);
        } catch (...) {
            finish();
            throw;  // TBB keeps the first exception for wait() and cancels the group
        }
        finish();
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

    mutable frame_task_box* box_;
    frame_task_counter* counter_;
    pool_resource* pool_;
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
    // If TBB cannot allocate its task, the runner still owns the box and its destructor releases it.
    state_->group.run(detail::task_runner(box, counter_, pool_));
}

bool frame_task_group::wait() { return state_->group.wait() == tbb::task_group_status::complete; }

void frame_task_group::cancel() noexcept { state_->group.cancel(); }

}  // namespace framealloc
