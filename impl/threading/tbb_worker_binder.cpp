// tbb_worker_binder: the task_scheduler_observer that binds joining threads and flushes leaving ones.
module;
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_scheduler_observer.h>

#include <framealloc/tsan_handoff.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
module framealloc.threading;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;

namespace framealloc::detail {

class tbb_binding_observer final : public tbb::task_scheduler_observer {
public:
    // TBB registers the observer and calls it back on other threads inside libtbb: the handoff
    // annotations state those orderings for ThreadSanitizer (see tsan_handoff.hpp).
    tbb_binding_observer(frame_resource& frames, pool_resource& pools) : frames_(frames), pools_(pools) {
        handoff_release(this);
    }
    tbb_binding_observer(frame_resource& frames, pool_resource& pools, tbb::task_arena& arena)
        : tbb::task_scheduler_observer(arena), frames_(frames), pools_(pools) {
        handoff_release(this);
    }
    tbb_binding_observer(const tbb_binding_observer&) = delete;
    tbb_binding_observer& operator=(const tbb_binding_observer&) = delete;
    // Observation stops before this object's members go: TBB's base destructor would stop it only after
    // them (and callbacks could then run on a half-destroyed observer). observe(false) waits for the
    // callbacks in progress.
    ~tbb_binding_observer() override {
        observe(false);
        handoff_acquire(this);
    }

    void on_scheduler_entry(bool /*is_worker*/) override {
        handoff_acquire(this);
        entries_.fetch_add(1, std::memory_order_relaxed);
        try {
            (void)frames_.local_arena();
            pools_.bind_thread_cache();
        } catch (...) {
            bind_failures_.fetch_add(1, std::memory_order_relaxed);  // never throw into the scheduler
        }
        handoff_release(this);
    }

    void on_scheduler_exit(bool /*is_worker*/) override {
        handoff_acquire(this);
        pools_.flush_thread_cache();
        // Counted once the cache is flushed, with release: a thread that reads the new count (acquire,
        // stats()) finds the flushed blocks in the pool's depot. Counting first let a reader race ahead
        // of the flush.
        exits_.fetch_add(1, std::memory_order_release);
        handoff_release(this);
    }

    [[nodiscard]] tbb_binder_stats stats() const noexcept {
        return tbb_binder_stats{entries_.load(std::memory_order_relaxed), exits_.load(std::memory_order_acquire),
                                bind_failures_.load(std::memory_order_relaxed)};
    }

private:
    frame_resource& frames_;
    pool_resource& pools_;
    std::atomic<std::uint64_t> entries_{0};
    std::atomic<std::uint64_t> exits_{0};
    std::atomic<std::uint64_t> bind_failures_{0};
};

}  // namespace framealloc::detail

namespace framealloc {

tbb_worker_binder::tbb_worker_binder(frame_resource& frames, pool_resource& pools)
    : observer_(std::make_unique<detail::tbb_binding_observer>(frames, pools)) {
    observer_->observe(true);  // after construction: TBB may call on_scheduler_entry from inside observe()
}

tbb_worker_binder::tbb_worker_binder(frame_resource& frames, pool_resource& pools, tbb::task_arena& arena)
    : observer_(std::make_unique<detail::tbb_binding_observer>(frames, pools, arena)) {
    observer_->observe(true);
}

tbb_worker_binder::~tbb_worker_binder() = default;  // the observer stops observing in its destructor

tbb_binder_stats tbb_worker_binder::stats() const noexcept { return observer_->stats(); }

}  // namespace framealloc
