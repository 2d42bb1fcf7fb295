// Profiler hooks: a small callback interface through which a profiler (Tracy, an in-house one, a
// test) sees framealloc's memory.
//
//   chunk_acquired / chunk_released   a frame arena chunk or own block, a pool slab: memory taken from
//                                     and given back to upstream (slow paths; always reported)
//   frame_reset                       end_frame(): every frame allocation of every thread discarded
//                                     at once (report it as a discard, not as many frees)
//   allocated / freed                 each allocation and free, with its tag: opt-in (per_allocation),
//                                     since it sends every request through a call
//
// set_profiler_hooks(&hooks, per_allocation) installs one hooks object for the process (null removes
// it); the caller keeps it alive while installed. Callbacks run on the allocating thread, must not
// allocate from framealloc resources, and must be thread-safe. With no hooks installed the cost is
// one relaxed load on slow paths and nothing on fast paths; with per_allocation, one flag test per
// request plus the call.
module;
#include <cstddef>
#include <cstdint>
export module framealloc.diagnostics:profiler_hooks;

import :tags;
import :counters;

export namespace framealloc {

class profiler_hooks {
public:
    virtual ~profiler_hooks() = default;
    virtual void chunk_acquired(const void* /*p*/, std::size_t /*bytes*/, memory_kind /*kind*/) {}
    virtual void chunk_released(const void* /*p*/, std::size_t /*bytes*/, memory_kind /*kind*/) {}
    virtual void frame_reset(std::uint64_t /*frame*/, std::size_t /*bytes_discarded*/) {}
    virtual void allocated(const void* /*p*/, std::size_t /*bytes*/, memory_kind /*kind*/, tag_id /*tag*/) {}
    virtual void freed(const void* /*p*/, std::size_t /*bytes*/, memory_kind /*kind*/, tag_id /*tag*/) {}
};

void set_profiler_hooks(profiler_hooks* hooks, bool per_allocation = false);
[[nodiscard]] profiler_hooks* installed_profiler_hooks() noexcept;

}  // namespace framealloc

export namespace framealloc::detail {
// Called by the slow paths and by smart_alloc::end_frame.
void hook_chunk_acquired(const void* p, std::size_t bytes, memory_kind kind) noexcept;
void hook_chunk_released(const void* p, std::size_t bytes, memory_kind kind) noexcept;
void hook_frame_reset(std::uint64_t frame, std::size_t bytes) noexcept;
}  // namespace framealloc::detail
