// framealloc.tracy: the Tracy adapter. A profiler_hooks (framealloc.diagnostics:profiler_hooks) that
// forwards framealloc's memory events to Tracy's C API, so Tracy's memory view shows them.
//
//   import framealloc.tracy;                     // target framealloc::tracy (FRAMEALLOC_TRACY=ON)
//   framealloc::install_tracy_hooks();           // at startup, before the first allocation
//
// What Tracy sees (each kind is a named Tracy memory pool, see tracy_pool_name):
//   chunks     "framealloc frame chunks" / "framealloc pool slabs": memory taken from and given back to
//              upstream (always)
//   pool/heap  "framealloc pool" / "framealloc heap": every allocation and free (per_allocation only)
//   plot       "framealloc frame bytes": the bytes each frame used, at end_frame()
// Single frame allocations are not sent: a frame_scope or marker rolls the arena back and the same
// addresses are handed out again within the frame with no free in between, which Tracy would take for a
// double allocation. Frame memory shows as its chunks and the per-frame plot.
// Tags are not sent: Tracy pairs a free with its allocation by pool, and a free is counted under the
// freeing thread's tag (a block carries no tag), so per-tag pools could not pair. Use stats() for tags.
//
// Install the hooks before framealloc allocates anything: Tracy treats a free of an address it never saw
// allocated as an error and stops the capture.
module;
#include <cstddef>
#include <cstdint>
export module framealloc.tracy;

import framealloc.diagnostics;

export namespace framealloc {

class tracy_hooks final : public profiler_hooks {
public:
    void chunk_acquired(const void* p, std::size_t bytes, memory_kind kind) override;
    void chunk_released(const void* p, std::size_t bytes, memory_kind kind) override;
    void frame_reset(std::uint64_t frame, std::size_t bytes_discarded) override;
    void allocated(const void* p, std::size_t bytes, memory_kind kind, tag_id tag) override;
    void freed(const void* p, std::size_t bytes, memory_kind kind, tag_id tag) override;
};

// The name of the Tracy memory pool of a kind: chunks (upstream memory) or single allocations. Tracy
// identifies a pool by the pointer, so these are the only pointers used.
[[nodiscard]] const char* tracy_pool_name(memory_kind kind, bool chunks) noexcept;

// Installs one process-wide tracy_hooks (set_profiler_hooks(&hooks, per_allocation)).
void install_tracy_hooks(bool per_allocation = false);

}  // namespace framealloc
