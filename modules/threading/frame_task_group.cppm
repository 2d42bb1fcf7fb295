// frame_task_group: a tbb::task_group whose tasks are tasks of the current frame.
//
//   framealloc::frame_task_group tasks{alloc.frame_tasks(), alloc.pool_resource()};
//   tasks.run([&] { auto contacts = alloc.frame_vector<Contact>(); ... });   // on a TBB worker
//   tasks.wait();
//
// What:        run(f) submits f to a tbb::task_group in the calling thread's task arena. Each task is
//              counted in the frame_task_counter from its submission until it has finished (or was
//              cancelled), so end_frame() while it may still run throws FA005 instead of releasing
//              memory it uses. run_frame() (framealloc.threading:run_frame) wraps begin_frame(), a
//              frame_task_group and end_frame() into one call.
// Memory:      f is moved into a box from the pool resource (not frame memory: a frame_scope on the
//              submitting thread could release frame memory before the task runs). The box is freed,
//              and f destroyed, on the thread that ran the task, right after it.
// Complexity:  run(): one pool allocation, one atomic increment and a TBB spawn; per task one atomic
//              decrement at its end. Nothing per allocation made inside the task.
// Threads:     run() from the owner or from any task of the group (nested submission); wait() and
//              cancel() by the thread that created the group (the TBB rule).
// Errors:      run() throws frame_error FA005 when no frame is open (nothing is submitted; f, already
//              moved into its box, is destroyed), or what allocating the box or copying f throws. wait() rethrows the first exception a task threw
//              (the rest of the group is cancelled by TBB). The destructor cancels what has not started,
//              waits for what runs and drops their exceptions: no task outlives its group.
// Why no TBB type here: oneTBB 2021.8 templates instantiated in an importer through a module break
//              (a TU-local machine_log2), so f is type-erased here and handed to TBB in impl/.
module;
#include <cstddef>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
export module framealloc.threading:frame_task_group;

import framealloc.core;
import framealloc.pool;
import :frame_task_counter;

export namespace framealloc {

namespace detail {

// A submitted task: the type-erased body in a pool block. `invoke` runs the body; `destroy` runs its
// destructor (exactly once, whether the task ran or was cancelled).
struct frame_task_box {
    void (*invoke)(frame_task_box*);
    void (*destroy)(frame_task_box*) noexcept;
    std::size_t size;
    std::size_t alignment;
};

template <class F>
struct frame_task_box_of final : frame_task_box {
    template <class G>
    explicit frame_task_box_of(G&& g)
        : frame_task_box{&invoke_body, &destroy_body, sizeof(frame_task_box_of), alignof(frame_task_box_of)},
          body(std::forward<G>(g)) {}

    static void invoke_body(frame_task_box* box) { std::invoke(static_cast<frame_task_box_of*>(box)->body); }
    static void destroy_body(frame_task_box* box) noexcept { static_cast<frame_task_box_of*>(box)->~frame_task_box_of(); }

    F body;
};

struct frame_task_group_state;  // the tbb::task_group, in impl/threading/frame_task_group.cpp

}  // namespace detail

class frame_task_group {
public:
    // Tasks count in `counter` (smart_alloc::frame_tasks()); their boxes come from `pool`. Both must
    // outlive the group. Creating a group spawns nothing and may happen outside a frame.
    frame_task_group(frame_task_counter& counter, pool_resource& pool);
    frame_task_group(const frame_task_group&) = delete;
    frame_task_group& operator=(const frame_task_group&) = delete;
    // Cancels the tasks that have not started and waits for the others (see Errors above).
    ~frame_task_group();

    // Submits f (callable with no arguments) as a task of the current frame.
    template <class F>
    void run(F&& f) {
        using body = std::decay_t<F>;
        static_assert(std::is_invocable_v<body&>, "frame_task_group::run(f): f must be callable with no arguments");
        using box_type = detail::frame_task_box_of<body>;
        void* memory = pool_->allocate(sizeof(box_type), alignof(box_type));
        box_type* box = nullptr;
        try {
            box = ::new (memory) box_type(std::forward<F>(f));
        } catch (...) {
            pool_->deallocate(memory, sizeof(box_type), alignof(box_type));
            throw;
        }
        submit(box);  // counts the task (FA005 outside a frame) and owns the box from here, even on a throw
    }

    // Waits for every task submitted so far (and those they submit). Rethrows the first exception of a
    // task. Returns false when the group was cancelled. The group can be used again afterwards.
    bool wait();
    // Tasks that have not started are not run (their bodies are destroyed, their count released).
    void cancel() noexcept;

private:
    void submit(detail::frame_task_box* box);

    frame_task_counter* counter_;
    pool_resource* pool_;
    std::unique_ptr<detail::frame_task_group_state> state_;
};

}  // namespace framealloc
