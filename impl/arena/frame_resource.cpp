// frame_resource cold paths: the registry of per-thread arenas, thread binding and thread exit.
//
// Binding is core's thread_registry. Records (one per bound thread) belong to the registry and are only
// touched under its mutex, except the arena itself, which its thread uses lock-free between frame
// boundaries. A thread that exits marks its record orphaned; end_frame() reclaims it. When the resource
// dies first it frees every record and marks the registry dead, so exiting threads leave it alone.
module;
#include <framealloc/poison.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <vector>
module framealloc.arena;

import framealloc.core;
import framealloc.diagnostics;

namespace framealloc::detail {


// Serialises upstream calls: arenas of different threads may refill at the same time.
class locked_upstream final : public std::pmr::memory_resource {
public:
    explicit locked_upstream(std::pmr::memory_resource* upstream) : upstream_(upstream) {}

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        std::lock_guard lock(mutex_);
        return upstream_->allocate(bytes, alignment);
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        std::lock_guard lock(mutex_);
        upstream_->deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    std::mutex mutex_;
    std::pmr::memory_resource* upstream_;
};

// A cache line of its own, as pool_thread_cache: the arena's cursor is written on every allocation.
struct alignas(64) thread_record {
    thread_record(const frame_arena_options& options, std::pmr::memory_resource* upstream) : arena(options, upstream) {}
    frame_arena arena;
    std::uint32_t thread_index = current_thread_index();  // made on the thread it serves
    bool orphaned = false;
};

struct frame_registry final : thread_registry {
    frame_registry(const frame_arena_options& o, std::pmr::memory_resource* up) : options(o), upstream(up) {}

    void* create_thread_state() override {
        auto fresh = std::make_unique<thread_record>(options, &upstream);
        if (!spare.empty()) {
            fresh->arena.adopt_chunks(spare.back());
            free_chunks(spare.back());  // what the arena would not keep
            spare.pop_back();
        }
        if (!open) fresh->arena.seal();
        records.push_back(std::move(fresh));
        return &records.back()->arena;
    }

    void thread_exited(void* state) noexcept override {
        for (auto& rec : records)
            if (&rec->arena == state) rec->orphaned = true;
    }

    bool open = true;
    frame_arena_options options;
    locked_upstream upstream;
    std::vector<std::unique_ptr<thread_record>> records;
    // Chunks of exited threads, one bundle per thread. The next thread to bind adopts a whole bundle;
    // bundles nobody adopted during a frame are released at its end, so the spare never grows with
    // thread churn: it holds at most the chunks of the threads that exited in the last frame.
    std::vector<chunk_list> spare;
    std::uint64_t retired_upstream_allocations = 0;  // counters of reclaimed arenas and spare frees
    std::uint64_t retired_upstream_deallocations = 0;

    void free_chunks(chunk_list& list) {
        while (chunk* c = list.pop_front()) {
            FRAMEALLOC_RELEASE(c, c->size);  // spare chunks are poisoned: upstream must never see that
            upstream.deallocate(c, c->size, chunk::alignment);
            ++retired_upstream_deallocations;
        }
    }
    void free_spare() {
        for (chunk_list& bundle : spare) free_chunks(bundle);
        spare.clear();
    }
    [[nodiscard]] std::size_t spare_bytes() const {
        std::size_t bytes = 0;
        for (const chunk_list& bundle : spare) bytes += bundle.bytes();
        return bytes;
    }
};


}  // namespace framealloc::detail

namespace framealloc {

using detail::frame_registry;
using detail::thread_record;

frame_resource::frame_resource(frame_arena_options options, std::pmr::memory_resource* upstream)
    : id_(detail::next_resource_id()),
      registry_(std::make_shared<frame_registry>(options, upstream != nullptr ? upstream : std::pmr::new_delete_resource())) {
    frame_arena probe(options, upstream);  // validates the options now (config_error), not on first use
}

frame_resource::~frame_resource() {
    std::lock_guard lock(registry_->mutex);
    registry_->alive.store(false, std::memory_order_relaxed);
    registry_->records.clear();  // each arena runs its destructors and returns its chunks upstream
    registry_->free_spare();
    detail::forget_thread_slot(id_);
}

// Not the thread's recent frame resource: the slot table, else binding; it becomes the recent one.
frame_arena& frame_resource::bind_calling_thread() {
    void* state = detail::find_thread_state(id_);
    if (state == nullptr) state = detail::bind_thread(id_, registry_);
    detail::remember_thread_state(detail::recent_kind::frame, id_, state);
    return *static_cast<frame_arena*>(state);
}

void* frame_resource::allocate_unbound(std::size_t bytes, std::size_t alignment) {
    return bind_calling_thread().allocate_checked(bytes, alignment);
}

frame_arena* frame_resource::try_bind_calling_thread() noexcept {
    try {
        return &bind_calling_thread();
    } catch (...) {
        return nullptr;
    }
}

namespace {
void add_arena(frame_resource_stats& s, const frame_arena_stats& a) {
    s.bytes_used += a.bytes_used;
    s.bytes_reserved += a.bytes_reserved;
    s.chunk_count += a.chunk_count;
    s.large_block_count += a.large_block_count;
    s.upstream_allocations += a.upstream_allocations;
    s.upstream_deallocations += a.upstream_deallocations;
}

frame_resource_stats collect(const frame_registry& r) {
    frame_resource_stats s;
    for (const auto& rec : r.records) {
        if (!rec->orphaned) ++s.threads;
        add_arena(s, rec->arena.stats());
    }
    s.spare_bytes = r.spare_bytes();
    s.upstream_allocations += r.retired_upstream_allocations;
    s.upstream_deallocations += r.retired_upstream_deallocations;
    return s;
}
}  // namespace

frame_resource_stats frame_resource::end_frame() {
    std::lock_guard lock(registry_->mutex);
    frame_resource_stats ended = collect(*registry_);
    registry_->free_spare();  // bundles nobody adopted during the frame that just ended
    auto& records = registry_->records;
    for (auto& rec : records) {
        if (rec->orphaned) {
            registry_->spare.emplace_back();
            rec->arena.release_chunks(registry_->spare.back());
            const frame_arena_stats a = rec->arena.stats();
            registry_->retired_upstream_allocations += a.upstream_allocations;
            registry_->retired_upstream_deallocations += a.upstream_deallocations;
            rec.reset();
        } else {
            rec->arena.reset();
        }
    }
    std::erase(records, nullptr);
    return ended;
}

void frame_resource::open() {
    std::lock_guard lock(registry_->mutex);
    registry_->open = true;
    for (auto& rec : registry_->records) rec->arena.unseal();
}

void frame_resource::close() {
    std::lock_guard lock(registry_->mutex);
    registry_->open = false;
    for (auto& rec : registry_->records) rec->arena.seal();
}

bool frame_resource::is_open() const {
    std::lock_guard lock(registry_->mutex);
    return registry_->open;
}

frame_resource_stats frame_resource::stats() const {
    std::lock_guard lock(registry_->mutex);
    return collect(*registry_);
}

std::vector<frame_arena_stats> frame_resource::thread_stats() const {
    std::lock_guard lock(registry_->mutex);
    std::vector<frame_arena_stats> out;
    out.reserve(registry_->records.size());
    for (const auto& rec : registry_->records)
        if (!rec->orphaned) {
            out.push_back(rec->arena.stats());
            out.back().thread_index = rec->thread_index;
        }
    return out;
}

}  // namespace framealloc
