// Budgets on the bytes allocated in one frame, enforced on the allocation path.
//
//   global          every frame, pool and heap allocation of every thread
//   tag             allocations attributed to the tag or to one of its descendants
//   thread pool     pool allocations of the calling thread (per-thread frame budgets live on the arena,
//                   framealloc.threading:thread_budget)
//
// Each budget has a soft and a hard limit with a policy each (framealloc.core:budget: fail, warn,
// callback, allow) and counts requested bytes from the start of the frame; smart_alloc::end_frame()
// starts a new budget frame for all of them. Limits are exact: a request that ends exactly at a limit
// is inside it, one byte more crosses it. A soft limit fires once per frame; a hard limit with `fail`
// refuses every request that would cross it (budget_exceeded, a std::bad_alloc; try_ paths get null)
// and nothing is counted or allocated for a refused request.
//
// Cost: a tag or thread without a budget pays nothing beyond the counting. Allocations covered by a
// global or tag budget take the slow path, which updates the budget's shared counter with a
// compare-and-swap (exact across threads); a thread pool budget is per thread and takes no atomic.
// Budgets are process-wide (shared by every smart_alloc), set from any thread.
module;
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>
export module framealloc.diagnostics:budgets;

import framealloc.core;
import :tags;

export namespace framealloc {

void set_global_budget(budget_limits limits);
void clear_global_budget();
void set_tag_budget(std::string_view path, budget_limits limits);
void set_tag_budget(tag_id id, budget_limits limits);
void clear_tag_budget(tag_id id);

// The calling thread's pool budget: pool bytes it may allocate per frame.
void set_thread_pool_budget(budget_limits limits);
inline void set_thread_pool_budget(std::size_t hard_limit_bytes) {
    budget_limits limits;
    limits.hard_limit = hard_limit_bytes;
    set_thread_pool_budget(static_cast<budget_limits&&>(limits));
}
void clear_thread_pool_budget();

struct budget_usage {
    std::string_view name;       // "global", "tag physics", ...
    std::size_t used = 0;        // bytes counted this frame
    std::size_t soft_limit = 0;
    std::size_t hard_limit = 0;
    std::uint64_t soft_exceeded_frames = 0;  // frames in which the soft limit fired
    std::uint64_t hard_exceeded_frames = 0;
};

// The global and tag budgets set now, with this frame's usage.
[[nodiscard]] std::vector<budget_usage> budget_usages();

}  // namespace framealloc

export namespace framealloc::detail {
// Starts a new budget frame (per-frame usage back to zero). Called by smart_alloc::end_frame().
void budgets_end_frame();
}  // namespace framealloc::detail
