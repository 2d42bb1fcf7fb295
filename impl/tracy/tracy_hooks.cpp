// The Tracy adapter: framealloc's profiler hooks as Tracy C API calls. Only Tracy's macros are used
// (TracyCAllocN, TracyCFreeN, TracyCPlot), which keep their meaning across Tracy
// versions while the functions behind them gained parameters.
module;
#include <tracy/TracyC.h>

// Without TRACY_ENABLE Tracy's macros expand to nothing and this adapter would silently send nothing.
// Tracy::TracyClient sets it for its users; a hand-made target must too.
#ifndef TRACY_ENABLE
#error "framealloc.tracy: TRACY_ENABLE is not defined, so Tracy's C macros are empty (link Tracy::TracyClient)"
#endif

#include <cstddef>
#include <cstdint>
module framealloc.tracy;

namespace framealloc {
namespace {

// One pointer per pool: Tracy pairs alloc and free events by pool name pointer.
constexpr const char* frame_chunks = "framealloc frame chunks";
constexpr const char* pool_slabs = "framealloc pool slabs";
constexpr const char* heap_chunks = "framealloc heap chunks";
constexpr const char* frame_blocks = "framealloc frame";  // named, never sent (see the interface)
constexpr const char* pool_blocks = "framealloc pool";
constexpr const char* heap_blocks = "framealloc heap";
constexpr const char* frame_bytes_plot = "framealloc frame bytes";

}  // namespace

const char* tracy_pool_name(memory_kind kind, bool chunks) noexcept {
    switch (kind) {
        case memory_kind::frame: return chunks ? frame_chunks : frame_blocks;
        case memory_kind::pool: return chunks ? pool_slabs : pool_blocks;
        case memory_kind::heap: return chunks ? heap_chunks : heap_blocks;
    }
    return heap_blocks;
}

void tracy_hooks::chunk_acquired(const void* p, std::size_t bytes, memory_kind kind) {
    TracyCAllocN(p, bytes, tracy_pool_name(kind, true));
}

void tracy_hooks::chunk_released(const void* p, std::size_t, memory_kind kind) {
    TracyCFreeN(p, tracy_pool_name(kind, true));
}

void tracy_hooks::frame_reset(std::uint64_t, std::size_t bytes_discarded) {
    TracyCPlot(frame_bytes_plot, static_cast<double>(bytes_discarded));
}

void tracy_hooks::allocated(const void* p, std::size_t bytes, memory_kind kind, tag_id) {
    if (kind == memory_kind::frame) return;  // rolled back and reused within a frame: see the interface
    TracyCAllocN(p, bytes, tracy_pool_name(kind, false));
}

void tracy_hooks::freed(const void* p, std::size_t, memory_kind kind, tag_id) {
    if (kind == memory_kind::frame) return;
    TracyCFreeN(p, tracy_pool_name(kind, false));
}

void install_tracy_hooks(bool per_allocation) {
    static tracy_hooks hooks;  // lives until exit: hooks may fire from any thread while installed
    set_profiler_hooks(&hooks, per_allocation);
}

}  // namespace framealloc
