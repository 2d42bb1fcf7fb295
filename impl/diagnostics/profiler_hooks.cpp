// Profiler hooks (modules/diagnostics/profiler_hooks.cppm). The installed hooks object is published
// through an atomic pointer; the per-allocation flag reaches the fast paths as the check_hook bit of
// every counters block (recomputed under the registry mutex, like budget bits).
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
module framealloc.diagnostics;

import framealloc.core;

namespace framealloc {
namespace {
std::atomic<profiler_hooks*> g_hooks{nullptr};
std::atomic<bool> g_per_allocation{false};
}  // namespace

void set_profiler_hooks(profiler_hooks* hooks, bool per_allocation) {
    detail::diag_registry& r = detail::registry();
    std::lock_guard lock(r.mutex);
    g_hooks.store(hooks, std::memory_order_release);
    g_per_allocation.store(hooks != nullptr && per_allocation, std::memory_order_release);
    detail::refresh_all_checks();
}

profiler_hooks* installed_profiler_hooks() noexcept { return g_hooks.load(std::memory_order_acquire); }

namespace detail {

bool per_allocation_hooks() noexcept { return g_per_allocation.load(std::memory_order_acquire); }

void hook_chunk_acquired(const void* p, std::size_t bytes, memory_kind kind) noexcept {
    if (profiler_hooks* h = g_hooks.load(std::memory_order_acquire)) h->chunk_acquired(p, bytes, kind);
}
void hook_chunk_released(const void* p, std::size_t bytes, memory_kind kind) noexcept {
    if (profiler_hooks* h = g_hooks.load(std::memory_order_acquire)) h->chunk_released(p, bytes, kind);
}
void hook_frame_reset(std::uint64_t frame, std::size_t bytes) noexcept {
    if (profiler_hooks* h = g_hooks.load(std::memory_order_acquire)) h->frame_reset(frame, bytes);
}
void hook_allocated(const void* p, std::size_t bytes, memory_kind kind) noexcept {
    if (profiler_hooks* h = g_hooks.load(std::memory_order_acquire)) h->allocated(p, bytes, kind, t_diag.tag);
}
void hook_freed(const void* p, std::size_t bytes, memory_kind kind) noexcept {
    if (profiler_hooks* h = g_hooks.load(std::memory_order_acquire)) h->freed(p, bytes, kind, t_diag.tag);
}

}  // namespace detail
}  // namespace framealloc
