// The behaviour filter: patterns of allocation that work but cost, reported with FA5xx codes.
//
// Opt-in: enable_behavior_filter(thresholds). It is fed automatically: smart_alloc::end_frame() hands
// it the frame's merged statistics (which the allocation paths counted) and a few figures of its own
// (upstream chunk calls, transfers, promotions). A pattern is reported once it has held for
// `thresholds.frames` consecutive frames; the report keeps one entry per (code, subject) with the frames
// it held. Disabled, it costs one relaxed load per end_frame() and nothing on the allocation paths.
//
//   FA501  transfers made at least `frames` frames ago still not received or dropped
//   FA502  a large share of frame allocations retained past the frame (retention)
//   FA510  a tag frees nearly all its pool allocations within the frame (should be frame memory)
//   FA520  many promotions every frame
//   FA530  a tag makes many heap allocations every frame
//   FA540  frame arenas take chunks from upstream every frame
//   FA550  most pool frees happen on threads other than the allocating one
//   FA560  a tag crosses its soft budget every frame
//
// Thread-safe: every function may be called from any thread.
module;
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
export module framealloc.report:behavior_filter;

import framealloc.diagnostics;

export namespace framealloc {

namespace codes {
inline constexpr std::string_view behavior_retained_too_long = "FA501";
inline constexpr std::string_view behavior_frame_survival = "FA502";
inline constexpr std::string_view behavior_pool_freed_same_frame = "FA510";
inline constexpr std::string_view behavior_promotion_churn = "FA520";
inline constexpr std::string_view behavior_heap_in_hot_path = "FA530";
inline constexpr std::string_view behavior_arena_overflow = "FA540";
inline constexpr std::string_view behavior_remote_frees = "FA550";
inline constexpr std::string_view behavior_soft_budget = "FA560";
}  // namespace codes

struct behavior_thresholds {
    std::uint32_t frames = 8;                       // consecutive frames a pattern must hold
    double same_frame_free_ratio = 0.9;             // FA510: pool frees / pool allocations of a tag in a frame
    std::uint64_t min_pool_allocations = 32;        // FA510: smaller tags are ignored
    std::uint64_t heap_allocations_per_frame = 16;  // FA530: per tag
    std::uint64_t upstream_chunks_per_frame = 1;    // FA540: frame arena chunk calls in a frame
    double remote_free_ratio = 0.5;                 // FA550: share of pool frees that cannot be local
    std::uint64_t min_pool_frees = 32;              // FA550: frames with fewer frees are ignored
    double survival_ratio = 0.25;                   // FA502: retained / frame allocations
    std::uint64_t min_frame_allocations = 32;       // FA502: frames with fewer are ignored
    std::uint64_t promotions_per_frame = 64;        // FA520
};

struct behavior_issue {
    std::string_view code;      // FA5xx (see the code registry)
    std::string subject;        // a tag path, "frame arenas", "pool", "transfers", a budget name
    std::string message;        // what was seen, with numbers, in the last frame it held
    std::uint64_t first_frame = 0;  // frame (of the reporting tracker) in which it was first reported
    std::uint64_t last_frame = 0;   // last frame in which the pattern held
    std::uint64_t frames = 0;       // frames in which it held after being reported, the first included
};

// What smart_alloc adds to the statistics of a frame for the filter.
struct frame_observation {
    std::uint64_t frame_upstream_allocations = 0;  // chunk/block calls of the frame arenas this frame
    std::uint64_t transfers_created = 0;           // cumulative
    std::uint64_t transfers_done = 0;              // cumulative: received + dropped
    std::uint64_t retained = 0;                    // values retained past this frame
    std::uint64_t promoted = 0;                    // values promoted at this frame's end
};

void enable_behavior_filter(behavior_thresholds thresholds = {});
void disable_behavior_filter();
[[nodiscard]] bool behavior_filter_enabled() noexcept;
// Every issue reported since the filter was enabled (or cleared), in the order first reported.
[[nodiscard]] std::vector<behavior_issue> behavior_report();
void clear_behavior_report();

}  // namespace framealloc

export namespace framealloc::detail {
// Feeds one ended frame (smart_alloc::end_frame does it).
void observe_frame(const diagnostics_stats& frame, const frame_observation& extra);
}  // namespace framealloc::detail
