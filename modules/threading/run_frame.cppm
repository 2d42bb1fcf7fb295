// run_frame / run_graph_frame: one frame's work between begin_frame() and end_frame(), as a TBB task
// group or a TBB flow graph.
//
//   framealloc::smart_alloc alloc;
//   framealloc::tbb_worker_binder binder{alloc};
//   // a task group per frame:
//   auto stats = framealloc::run_frame(alloc, [&](framealloc::frame_task_group& tasks) {
//       tasks.run([&] { physics(alloc); });
//       tasks.run([&] { audio(alloc); });
//   });                                      // waits for every task, then end_frame()
//   // a flow graph built once, run every frame:
//   tbb::flow::graph g;  tbb::flow::broadcast_node<tbb::flow::continue_msg> start{g};  ...
//   framealloc::run_graph_frame(alloc, g, [&] { start.try_put(tbb::flow::continue_msg{}); });
//
// run_frame(owner, work): begin_frame(); work(tasks) on the calling thread with a fresh
//   frame_task_group; tasks.wait(); end_frame(). Returns what end_frame() returns.
// run_graph_frame(owner, graph, start): begin_frame(); start() (puts the frame's first messages);
//   graph.wait_for_all(); end_frame(). The whole graph run counts as one task of the frame, so a node
//   that calls end_frame() gets FA005. Wrap node bodies in frame_task_body() to count each body run
//   too (then even a graph driven by hand, without run_graph_frame, is checked).
// Errors: begin_frame()'s (FA003 when a frame is open). When work, start, a task or a node throws, the
//   helper still waits for every task of the frame, ends the frame (so the next frame can begin) and
//   rethrows the first exception. A TBB graph that saw an exception must be reset() before reuse (TBB's
//   rule). Run either helper inside tbb::task_arena::execute() to use that arena's threads.
// Why templates: the owner is smart_alloc, which lives above this module; the graph is the caller's
//   TBB type. Nothing TBB is instantiated here (see frame_task_group.cppm).
module;
#include <framealloc/tsan_handoff.hpp>

#include <concepts>
#include <functional>
#include <type_traits>
#include <utility>
export module framealloc.threading:run_frame;

import framealloc.core;
import framealloc.pool;
import :frame_task_counter;
import :frame_task_group;

export namespace framealloc {

// What the helpers need from the frame owner: smart_alloc models it.
template <class A>
concept frame_owner = requires(A& a) {
    a.begin_frame();
    a.end_frame();
    { a.frame_tasks() } -> std::same_as<frame_task_counter&>;
    { a.pool_resource() } -> std::same_as<pool_resource&>;
};

namespace detail {
// After a failure: end the frame if it can be ended, keep the original exception either way. An
// end_frame() refused here (FA005: a task of the frame outside the helper still runs) leaves the frame
// open, and the next begin_frame() reports it (FA003).
template <frame_owner Owner>
void end_frame_after_failure(Owner& owner) noexcept {
    try {
        (void)owner.end_frame();
    } catch (...) {
    }
}
}  // namespace detail

template <frame_owner Owner, class Work>
    requires std::invocable<Work&, frame_task_group&>
decltype(auto) run_frame(Owner& owner, Work&& work) {
    owner.begin_frame();
    try {
        frame_task_group tasks(owner.frame_tasks(), owner.pool_resource());
        std::invoke(work, tasks);
        tasks.wait();
    } catch (...) {  // the group's destructor has waited for its tasks
        detail::end_frame_after_failure(owner);
        throw;
    }
    return owner.end_frame();
}

template <frame_owner Owner, class Graph, class Start>
    requires std::invocable<Start&> && requires(Graph& g) { g.wait_for_all(); }
decltype(auto) run_graph_frame(Owner& owner, Graph& graph, Start&& start) {
    owner.begin_frame();
    try {
        frame_task_scope running(owner.frame_tasks());
        try {
            std::invoke(start);
        } catch (...) {
            graph.wait_for_all();  // what start() put in before it threw is still running
            throw;
        }
        try {
            graph.wait_for_all();  // rethrows a node's exception once every node task is done
        } catch (...) {
            owner.frame_tasks().sync_with_finished_tasks();
            throw;
        }
        // What counted node bodies (frame_task_body) wrote is ours now, in a way TSan can see too.
        owner.frame_tasks().sync_with_finished_tasks();
    } catch (...) {
        detail::end_frame_after_failure(owner);
        throw;
    }
    return owner.end_frame();
}

// A flow-graph node body (or any callable) that counts each of its runs as a task of the current frame:
//   tbb::flow::function_node<int, int> n{g, tbb::flow::unlimited,
//                                        framealloc::frame_task_body(alloc.frame_tasks(), body)};
// A run that starts while no frame is open throws FA005 instead of touching frame memory, and
// end_frame() during a run throws FA005. One atomic increment and decrement per run.
// TBB builds the node's copy of the body on one thread and runs it on others (concurrently for an
// unlimited node); the handoff annotations state that ordering for ThreadSanitizer, which cannot see
// into libtbb (include/framealloc/tsan_handoff.hpp). They are nothing outside TSan builds.
template <class Body>
class frame_task_body_t {
public:
    frame_task_body_t(frame_task_counter& counter, Body body) : counter_(&counter), body_(std::move(body)) {
        detail::handoff_release(this);
    }
    frame_task_body_t(const frame_task_body_t& other) : counter_(other.counter_), body_(other.body_) {
        detail::handoff_release(this);
    }
    frame_task_body_t(frame_task_body_t&& other) noexcept(std::is_nothrow_move_constructible_v<Body>)
        : counter_(other.counter_), body_(std::move(other.body_)) {
        detail::handoff_release(this);
    }
    frame_task_body_t& operator=(const frame_task_body_t&) = delete;
    frame_task_body_t& operator=(frame_task_body_t&&) = delete;
    ~frame_task_body_t() { detail::handoff_acquire(this); }

    template <class... Args>
        requires std::invocable<const Body&, Args...>
    decltype(auto) operator()(Args&&... args) const {
        const handoff run(this);
        frame_task_scope counted(*counter_);
        return std::invoke(body_, std::forward<Args>(args)...);
    }
    template <class... Args>
        requires std::invocable<Body&, Args...> && (!std::invocable<const Body&, Args...>)
    decltype(auto) operator()(Args&&... args) {
        const handoff run(this);
        frame_task_scope counted(*counter_);
        return std::invoke(body_, std::forward<Args>(args)...);
    }

private:
    // Acquire on entry, release on every way out (return or exception).
    struct handoff {
        explicit handoff(const void* at) noexcept : at_(at) { detail::handoff_acquire(at); }
        ~handoff() { detail::handoff_release(at_); }
        const void* at_;
    };

    frame_task_counter* counter_;
    Body body_;
};

template <class Body>
[[nodiscard]] frame_task_body_t<std::decay_t<Body>> frame_task_body(frame_task_counter& counter, Body&& body) {
    return frame_task_body_t<std::decay_t<Body>>(counter, std::forward<Body>(body));
}

}  // namespace framealloc
