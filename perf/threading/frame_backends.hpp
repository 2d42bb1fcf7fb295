// The memory backends of the whole-frame cases (whole_frame.cpp, whole_frame_containers.cpp): where a
// frame's frame memory and pool memory come from.
//   framealloc  smart_alloc: frame_resource() (a bump arena per thread, reset by end_frame()) and
//               pool_resource();
//   glibc, mimalloc, jemalloc, tbbmalloc
//               the general-purpose allocator for both (contenders.hpp's wrappers); frame memory is
//               freed object by object, as a program without frame arenas frees it;
//   std_pools   libstdc++'s std::pmr: one monotonic_buffer_resource per thread of the task arena
//               (indexed by the TBB slot; release()d at the end of every frame) and one
//               synchronized_pool_resource, both over new_delete_resource().
// A std_pools frame resource belongs to one thread: a container on frame memory must grow on the
// thread that created it (any thread may read it, and free it, which is a no-op).
// Include it after every other header: it imports framealloc.
#pragma once

#include <oneapi/tbb/task_arena.h>

#include <cstddef>
#include <memory>
#include <memory_resource>
#include <stdexcept>
#include <string>
#include <vector>

#include "../pool/mt_cases.hpp"

import framealloc;

namespace whole_frame {

// Frame and pool memory of one backend.
class memory_backend {
public:
    virtual ~memory_backend() = default;
    [[nodiscard]] virtual std::pmr::memory_resource* frame() = 0;  // the calling thread's frame memory
    [[nodiscard]] virtual std::pmr::memory_resource* pool() = 0;
    virtual void begin_frame() {}
    virtual void end_frame() {}
};

class framealloc_backend final : public memory_backend {
public:
    std::pmr::memory_resource* frame() override { return &alloc_.frame_resource(); }
    std::pmr::memory_resource* pool() override { return &alloc_.pool_resource(); }
    void begin_frame() override { alloc_.begin_frame(); }
    void end_frame() override { (void)alloc_.end_frame(); }
    // Allocations (frame and pool) and pool frees of the last frame, from the tags' statistics: how
    // much memory work a frame of this workload does.
    [[nodiscard]] double requests_last_frame() const {
        double n = 0;
        for (const framealloc::tag_stats& t : alloc_.stats().usage.tags)
            n += static_cast<double>(t.last_frame.frame.allocations + t.last_frame.pool.allocations + t.last_frame.pool.frees);
        return n;
    }

private:
    framealloc::smart_alloc alloc_{framealloc::alloc_config{}};
};

class general_backend final : public memory_backend {
public:
    explicit general_backend(pool_perf::contender c) {
        pool_perf::box_options options;
        options.shared = true;
        box_ = pool_perf::make_or_throw(c, options);
    }
    std::pmr::memory_resource* frame() override { return box_->get(); }
    std::pmr::memory_resource* pool() override { return box_->get(); }

private:
    std::unique_ptr<pool_perf::resource_box> box_;
};

class std_pools_backend final : public memory_backend {
public:
    explicit std_pools_backend(int threads) {
        for (int i = 0; i < threads; ++i) frames_.push_back(std::make_unique<std::pmr::monotonic_buffer_resource>());
    }
    std::pmr::memory_resource* frame() override {
        return frames_[static_cast<std::size_t>(tbb::this_task_arena::current_thread_index())].get();
    }
    std::pmr::memory_resource* pool() override { return &pool_; }
    void end_frame() override {
        for (auto& f : frames_) f->release();
    }

private:
    std::vector<std::unique_ptr<std::pmr::monotonic_buffer_resource>> frames_;
    std::pmr::synchronized_pool_resource pool_;
};

inline constexpr const char* backend_names[] = {"framealloc", "glibc", "mimalloc", "jemalloc", "tbbmalloc", "std_pools"};

// The backend called `name` (one of backend_names) for a task arena of `threads` threads.
inline std::unique_ptr<memory_backend> make_backend(const std::string& name, int threads) {
    using pool_perf::contender;
    if (name == "framealloc") return std::make_unique<framealloc_backend>();
    if (name == "std_pools") return std::make_unique<std_pools_backend>(threads);
    for (const contender c : {contender::glibc, contender::mimalloc, contender::jemalloc, contender::tbbmalloc})
        if (name == pool_perf::name_of(c)) return std::make_unique<general_backend>(c);
    throw std::runtime_error("unknown backend " + name);
}

}  // namespace whole_frame
