// retention_policy: what happens at the end of the frame to a value made by frame_retained<T>().
//
//   alloc.frame_retained<NavMesh>(framealloc::retention::promote_to_pool, args...);
//   alloc.frame_retained<Path>(framealloc::retention::promote_to_scratch("ai"), args...);
//
// discard            the value lives in frame memory for the frame and is destroyed at its end
// promote_to_pool    moved into the pool (pool_resource; oversize and over-aligned types go on to its heap)
// promote_to_heap    moved onto the tracked heap (heap_resource)
// promote_to_scratch moved into the named scratch arena (see :scratch_arena), which keeps it until its
//                    owner resets it
//
// A policy is a small value. The scratch name is only read by the frame_retained() call that takes the
// policy (the arena is looked up there, under the registry's lock), so a temporary string is fine.
// promote_to_scratch(arena) names the arena directly and skips that lookup.
module;
#include <cstdint>
#include <string_view>
export module framealloc.retention:retention_policy;

import framealloc.arena;

export namespace framealloc {

enum class retention_kind : std::uint8_t { discard, promote_to_pool, promote_to_heap, promote_to_scratch };

struct retention_policy {
    retention_kind kind = retention_kind::discard;
    std::string_view scratch_name{};   // promote_to_scratch by name
    scratch_arena* scratch = nullptr;  // promote_to_scratch by arena (wins over the name)
};

namespace retention {
inline constexpr retention_policy discard{retention_kind::discard, {}, nullptr};
inline constexpr retention_policy promote_to_pool{retention_kind::promote_to_pool, {}, nullptr};
inline constexpr retention_policy promote_to_heap{retention_kind::promote_to_heap, {}, nullptr};
[[nodiscard]] constexpr retention_policy promote_to_scratch(std::string_view name) noexcept {
    return retention_policy{retention_kind::promote_to_scratch, name, nullptr};
}
[[nodiscard]] constexpr retention_policy promote_to_scratch(scratch_arena& arena) noexcept {
    return retention_policy{retention_kind::promote_to_scratch, {}, &arena};
}
}  // namespace retention

}  // namespace framealloc
