// Statistics: exact counts and bytes per tag and per thread, for frame, pool and heap memory.
//
// The allocation paths count into per-thread blocks (framealloc.diagnostics:counters); collecting
// merges them. A frame_tracker (one per smart_alloc) merges at every end_frame(), which gives the
// figures of the frame that ended and the per-frame peaks. Frees are attributed to the freeing
// thread's current tag (a block carries no tag), so per-tag figures count traffic, and live bytes are
// only meaningful for totals.
module;
#include <cstddef>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
export module framealloc.diagnostics:stats;

import framealloc.core;
import :tags;
import :counters;

export namespace framealloc {

struct kind_stats {
    std::uint64_t allocations = 0;
    std::uint64_t bytes = 0;  // requested bytes
    std::uint64_t frees = 0;
    std::uint64_t freed_bytes = 0;

    kind_stats& operator+=(const kind_stats& o) noexcept {
        allocations += o.allocations;
        bytes += o.bytes;
        frees += o.frees;
        freed_bytes += o.freed_bytes;
        return *this;
    }
    friend kind_stats operator-(kind_stats a, const kind_stats& b) noexcept {
        a.allocations -= b.allocations;
        a.bytes -= b.bytes;
        a.frees -= b.frees;
        a.freed_bytes -= b.freed_bytes;
        return a;
    }
    friend bool operator==(const kind_stats&, const kind_stats&) = default;
};

struct usage_stats {
    kind_stats frame;
    kind_stats pool;
    kind_stats heap;

    [[nodiscard]] kind_stats& operator[](memory_kind k) noexcept {
        return k == memory_kind::frame ? frame : k == memory_kind::pool ? pool : heap;
    }
    [[nodiscard]] const kind_stats& operator[](memory_kind k) const noexcept {
        return k == memory_kind::frame ? frame : k == memory_kind::pool ? pool : heap;
    }
    [[nodiscard]] std::uint64_t allocated_bytes() const noexcept { return frame.bytes + pool.bytes + heap.bytes; }
    [[nodiscard]] std::uint64_t allocations() const noexcept {
        return frame.allocations + pool.allocations + heap.allocations;
    }
    usage_stats& operator+=(const usage_stats& o) noexcept {
        frame += o.frame;
        pool += o.pool;
        heap += o.heap;
        return *this;
    }
    friend usage_stats operator-(usage_stats a, const usage_stats& b) noexcept {
        a.frame = a.frame - b.frame;
        a.pool = a.pool - b.pool;
        a.heap = a.heap - b.heap;
        return a;
    }
    friend bool operator==(const usage_stats&, const usage_stats&) = default;
};

// What a frame_tracker saw of one tag and kind, for the average lifetime: the allocations and frees it
// counted and, summed over them, the number of the frame each was counted in (frames ended by the
// tracker, from 1).
struct lifetime_sums {
    std::uint64_t allocations = 0;
    std::uint64_t frees = 0;
    std::uint64_t allocation_frames = 0;
    std::uint64_t free_frames = 0;
};

// The average number of frames a block lives, over every allocation the tracker counted up to the end
// of frame `now`: a block allocated in frame a and freed in frame b lives b - a + 1 frames; one still
// live, now - a + 1. Frees are matched to allocations by tag, not by block (a block carries no tag):
// frees beyond the allocations (blocks freed under this tag but allocated under another) are scaled
// down to them. Empty (no allocation counted) gives nullopt. Frame memory lives one frame by contract.
[[nodiscard]] std::optional<double> average_lifetime_frames(const lifetime_sums& s, std::uint64_t now) noexcept;

// A per-thread budget's limits and the frames in which each was crossed (since it was set).
struct thread_budget_figures {
    std::size_t soft_limit = 0;
    std::size_t hard_limit = 0;
    std::uint64_t soft_exceeded_frames = 0;
    std::uint64_t hard_exceeded_frames = 0;
};

struct tag_stats {
    tag_id id = untagged;
    std::string path;          // "" for untagged
    usage_stats total;         // since the process started
    usage_stats last_frame;    // during the last frame the tracker ended
    std::uint64_t peak_frame_bytes = 0;  // most bytes (all kinds) allocated under this tag in one frame
    std::array<lifetime_sums, 3> lifetime{};  // by memory_kind, since the tracker began (0 elsewhere)
};

struct thread_stats {
    std::uint32_t index = 0;   // 1, 2, ... in the order threads first counted something
    std::string name;          // set_thread_name(), or ""
    bool exited = false;
    usage_stats total;
    usage_stats last_frame;
    std::uint64_t peak_frame_bytes = 0;
    std::optional<thread_budget_figures> pool_budget;  // set_thread_pool_budget() in force, if any
};

struct diagnostics_stats {
    std::uint64_t frames = 0;  // frames ended by the tracker
    usage_stats total;
    usage_stats last_frame;
    std::uint64_t peak_frame_bytes = 0;       // most bytes allocated in one frame
    std::uint64_t pool_live_bytes = 0;        // pool bytes allocated and not yet freed (all threads)
    std::uint64_t heap_live_bytes = 0;
    std::uint64_t peak_pool_live_bytes = 0;   // sampled at frame ends
    std::uint64_t peak_heap_live_bytes = 0;
    std::vector<tag_stats> tags;              // every tag used so far, by id
    std::vector<thread_stats> threads;        // every thread that counted, by index

    [[nodiscard]] const tag_stats* find_tag(std::string_view path) const noexcept {
        for (const tag_stats& t : tags)
            if (t.path == path) return &t;
        return nullptr;
    }
};

// Names the calling thread in statistics and snapshots.
void set_thread_name(std::string_view name);
// The calling thread's index in statistics (thread_stats::index), binding it if needed; 0 when it
// cannot be bound (diagnostics compiled out, thread exiting).
[[nodiscard]] std::uint32_t current_thread_index() noexcept;

// The cumulative figures of every thread and tag now (no per-frame figures).
[[nodiscard]] diagnostics_stats collect_stats();
// The same into `out`, reusing its vectors and strings (no allocation when they are large enough);
// every field is overwritten, the per-frame ones with zero.
void collect_stats(diagnostics_stats& out);

// Ends frames for statistics: remembers what each tag and thread had at the previous end so that the
// figures of the last frame and the per-frame peaks can be given. Not thread-safe by itself (one owner:
// the thread that ends frames).
class frame_tracker {
public:
    // Starts from the figures of now: the first frame counts only what happens after construction.
    frame_tracker();
    frame_tracker(const frame_tracker&) = delete;
    frame_tracker& operator=(const frame_tracker&) = delete;
    ~frame_tracker();
    // Merges every thread's counters; returns the statistics with last_frame filled.
    const diagnostics_stats& end_frame();
    // The statistics as of now: totals current, last_frame from the last end_frame().
    [[nodiscard]] diagnostics_stats current() const;
    [[nodiscard]] const diagnostics_stats& last() const noexcept { return last_; }

private:
    diagnostics_stats last_;
    diagnostics_stats next_;  // the figures before last_, overwritten by the next end_frame()
};

}  // namespace framealloc
