// tbb_worker_binder: every thread of a oneTBB task arena gets its frame arena and pool cache when it
// joins the arena, and hands its cached pool blocks back when it leaves.
//
//   framealloc::smart_alloc alloc;
//   framealloc::tbb_worker_binder binder{alloc};              // the calling thread's (default) arena
//   tbb::task_arena arena{4};
//   framealloc::tbb_worker_binder arena_binder{alloc, arena};  // or a given arena
//
// What:        a tbb::task_scheduler_observer on the arena. On scheduler entry (a worker joins the arena,
//              or a thread already in it when observation starts) the thread is bound to the
//              frame_resource (its arena exists) and to the pool_resource (its cache exists), so the
//              first allocation of its first task takes the fast path's lookup, not the registry lock.
//              On scheduler exit (a worker leaves the arena to idle or to serve another arena) its
//              pool cache goes back to the depot: cached blocks do not sit with a sleeping thread.
//              Frame memory needs nothing on exit: it lives until end_frame() whoever made it.
// Complexity:  per entry one registry lookup for each resource (a lock the first time a thread ever
//              binds); per exit one depot push per non-empty size class. Nothing per task.
// Threads:     the callbacks run on the joining / leaving thread. Construct and destroy the binder on
//              one thread; the destructor stops observation and waits for callbacks in progress.
// Lifetime:    the resources (the smart_alloc) and the arena must outlive the binder: declare the
//              binder after them. Threads stay bound after the binder is gone (allocation works as for
//              any thread); only the callbacks stop.
// Errors:      a binding that fails on entry (out of memory) is counted in stats().bind_failures and
//              not thrown into TBB; that thread then binds on its first allocation, as without a binder.
module;
#include <oneapi/tbb/task_arena.h>

#include <concepts>
#include <cstdint>
#include <memory>
export module framealloc.threading:tbb_worker_binder;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;

export namespace framealloc {

struct tbb_binder_stats {
    std::uint64_t entries = 0;        // scheduler entries seen (a thread may enter many times)
    std::uint64_t exits = 0;          // scheduler exits whose pool-cache flush has finished
    std::uint64_t bind_failures = 0;  // entries whose binding threw (out of memory)
};

namespace detail {
class tbb_binding_observer;  // the tbb::task_scheduler_observer, in impl/threading/tbb_worker_binder.cpp
}

// Anything that owns a frame_resource and a pool_resource the way smart_alloc does.
template <class A>
concept frame_and_pool_owner = requires(A& a) {
    { a.frame_resource() } -> std::same_as<frame_resource&>;
    { a.pool_resource() } -> std::same_as<pool_resource&>;
};

class tbb_worker_binder {
public:
    // Observes the arena the calling thread is in: the default arena, unless constructed inside
    // tbb::task_arena::execute(). The calling thread itself is bound at once.
    tbb_worker_binder(frame_resource& frames, pool_resource& pools);
    // Observes `arena` (initialised here if it was not yet).
    tbb_worker_binder(frame_resource& frames, pool_resource& pools, tbb::task_arena& arena);
    template <frame_and_pool_owner Owner>
    explicit tbb_worker_binder(Owner& owner) : tbb_worker_binder(owner.frame_resource(), owner.pool_resource()) {}
    template <frame_and_pool_owner Owner>
    tbb_worker_binder(Owner& owner, tbb::task_arena& arena)
        : tbb_worker_binder(owner.frame_resource(), owner.pool_resource(), arena) {}

    tbb_worker_binder(const tbb_worker_binder&) = delete;
    tbb_worker_binder& operator=(const tbb_worker_binder&) = delete;
    ~tbb_worker_binder();

    [[nodiscard]] tbb_binder_stats stats() const noexcept;

private:
    std::unique_ptr<detail::tbb_binding_observer> observer_;
};

}  // namespace framealloc
