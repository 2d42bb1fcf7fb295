// snapshot: the data model of a memory snapshot, schema version 2 (docs/snapshot.schema.json).
//
// Plain values, no dependency on the allocators: build_snapshot(alloc, frame) in the umbrella module
// fills one from a smart_alloc, anyone else may fill one by hand. to_json() (:snapshot_json) writes the
// members in declaration order; snapshot_emitter (:snapshot_emitter) puts them on disk.
//
// Version 2 keeps every field of the Rust crate's snapshot (version, timestamp, frame, duration_us,
// summary, threads, tags, promotions, transfers, diagnostics, with their Rust members) but `deferred`,
// which it replaces by `depot` (the pool's cross-thread traffic; version 1 wrote a `deferred` of zeros),
// and adds its own (frame_open, resources, budgets, depot, and the members marked "ours" below). Adding
// a field keeps the version (readers ignore what they do not know); removing or renaming one, or
// changing what it means, makes a new one.
//
// Units: bytes and counts are unsigned integers. Figures described "in this frame" are of the frame
// the snapshot describes: the one that ended last when frame_open is false, the open one so far when
// it is true.
module;
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
export module framealloc.report:snapshot;

export namespace framealloc {

inline constexpr std::uint32_t snapshot_schema_version = 2;

// Totals over the whole allocator.
struct snapshot_summary {
    std::uint64_t frame_bytes = 0;  // frame memory handed out in this frame, all threads, padding included
    std::uint64_t pool_bytes = 0;   // bytes the pools hold in slabs from upstream (their footprint)
    std::uint64_t heap_bytes = 0;   // bytes live on the tracked heap (the pools' oversize fallback included)
    std::uint64_t total_bytes = 0;  // frame_bytes + pool_bytes + heap_bytes
    // The sum of each part's own peak (frame: every live thread's largest frame; pool: peak slab
    // bytes; heap: peak live bytes). The parts need not peak together: an upper bound of the peak total.
    std::uint64_t peak_bytes = 0;
};

// A budget's state as the Rust schema shows it on a thread: limit, bytes counted, used * 100 / limit.
struct thread_budget_usage {
    std::uint64_t limit = 0;
    std::uint64_t used = 0;
    std::uint64_t percent = 0;  // budget_percent(used, limit): may exceed 100 under warn / allow
};

struct thread_snapshot {
    std::string id;    // stable for the thread's lifetime within the process
    std::string name;  // "" when the thread has none
    std::uint64_t frame_bytes = 0;  // in this frame
    std::uint64_t pool_bytes = 0;   // live pool bytes allocated by this thread
    std::uint64_t heap_bytes = 0;   // live heap bytes allocated by this thread
    std::uint64_t peak_bytes = 0;   // the largest frame_bytes of any frame so far
    std::optional<thread_budget_usage> budget;  // the thread's frame budget, if it has one (null otherwise)
    std::optional<thread_budget_usage> pool_budget;  // ours: the thread's pool budget, if it has one
};

// One row per (tag, thread, kind of memory), as in the Rust schema.
struct tag_snapshot {
    std::string path;        // "physics::broadphase"
    std::string thread;      // a thread_snapshot id, or "" for all threads together
    std::string alloc_kind;  // "frame", "pool" or "heap"
    std::uint64_t alloc_count = 0;  // allocations in this frame
    std::uint64_t bytes = 0;        // bytes of those allocations
    // Frames an allocation of this tag and kind lives, on average, over every one counted so far (live
    // ones by their age); frame memory 1. Null when not measured.
    std::optional<double> avg_lifetime_frames;
    // Frame rows: the tag's retained values promoted in this frame over its frame allocations in this
    // frame (0..1); pool and heap rows: 0 (only frame memory is promoted). Null when not measured.
    std::optional<double> promotion_rate;
    std::vector<std::string> diagnostics;  // FA codes raised against this tag (sorted, each once)
};

struct promotion_snapshot {
    std::uint64_t to_pool = 0;     // retained values promoted in this frame, per destination
    std::uint64_t to_heap = 0;
    std::uint64_t failed = 0;      // promotions that could not be done
    std::uint64_t to_scratch = 0;  // ours: promote_to_scratch(name)
    std::uint64_t discarded = 0;   // ours: retained values dropped by the discard policy
};

struct transfer_snapshot {
    std::uint64_t pending = 0;               // handles created and neither received nor dropped yet
    std::uint64_t completed_this_frame = 0;  // handles received in this frame
    std::uint64_t created = 0;               // ours, lifetime totals from smart_alloc::transfer_stats()
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;
    std::uint64_t bytes_created = 0;
};

// Ours, version 2 (it replaces the Rust schema's `deferred`, a queue of cross-thread frees waiting
// for their owner, which framealloc does not have): a block freed by a thread goes into that thread's
// pool cache, and what a cache holds beyond its limit goes to the pool's depot, where threads that
// allocate take it back. Blocks freed by a thread that does not allocate them again (producer /
// consumer) flow through here, so this is the cross-thread free traffic the pool really sees.
struct depot_snapshot {
    std::uint64_t blocks_returned_this_frame = 0;  // blocks thread caches handed to the depot
    std::uint64_t blocks_reused_this_frame = 0;    // blocks thread caches took back from it
    std::uint64_t blocks_returned = 0;             // lifetime
    std::uint64_t blocks_reused = 0;
};

struct diagnostic_snapshot {
    std::string code;                // "FA501"
    std::optional<std::string> tag;  // the tag it concerns, null when none
    std::string message;
    std::string severity = "warning";  // ours: "info", "warning" or "error"
    std::uint64_t count = 1;           // ours: occurrences folded into this entry
};

// Ours: the resources' own figures, as their stats() report them.
struct frame_memory_snapshot {
    std::uint64_t threads = 0;  // threads with a frame arena
    std::uint64_t bytes_used = 0;
    std::uint64_t bytes_reserved = 0;  // chunks and own blocks held from upstream
    std::uint64_t spare_bytes = 0;     // chunks of exited threads waiting for a new thread
    std::uint64_t chunk_count = 0;
    std::uint64_t large_block_count = 0;
    std::uint64_t peak_bytes_used = 0;  // summed over live threads: each one's largest frame
    std::uint64_t upstream_allocations = 0;  // lifetime
    std::uint64_t upstream_deallocations = 0;
};

struct pool_memory_snapshot {
    std::uint64_t threads = 0;  // thread caches alive
    std::uint64_t slab_count = 0;
    std::uint64_t slab_bytes = 0;
    std::uint64_t peak_slab_bytes = 0;
    std::uint64_t slabs_released = 0;  // lifetime
    std::uint64_t heap_allocations = 0;  // oversize / over-aligned requests sent to the heap, lifetime
    std::uint64_t heap_deallocations = 0;
    std::uint64_t heap_bytes = 0;  // live in that fallback
};

struct heap_memory_snapshot {
    std::uint64_t allocations = 0;  // lifetime
    std::uint64_t deallocations = 0;
    std::uint64_t live_bytes = 0;
    std::uint64_t peak_bytes = 0;
};

struct resources_snapshot {
    frame_memory_snapshot frame;
    pool_memory_snapshot pool;
    heap_memory_snapshot heap;
};

// Ours: every budget in force (global, per tag, per thread).
struct budget_snapshot {
    std::string scope;  // "global", "tag" or "thread"
    std::string name;   // the tag path or thread id; "" for a global budget
    std::string kind;   // memory it counts: "frame", "pool", "heap" or "all"
    std::uint64_t used = 0;
    std::optional<std::uint64_t> soft_limit;  // null: none
    std::optional<std::uint64_t> hard_limit;
    std::uint64_t soft_exceeded = 0;  // times the soft limit was crossed, lifetime
    std::uint64_t hard_exceeded = 0;
};

struct snapshot {
    std::uint32_t version = snapshot_schema_version;
    std::chrono::system_clock::time_point timestamp{};  // written as RFC 3339 UTC, millisecond precision
    std::uint64_t frame = 0;
    std::uint64_t duration_us = 0;  // wall time of the frame (begin_frame to end_frame, or so far)
    bool frame_open = false;        // ours: taken inside an open frame (figures are partial)
    snapshot_summary summary;
    std::vector<thread_snapshot> threads;
    std::vector<tag_snapshot> tags;
    promotion_snapshot promotions;
    transfer_snapshot transfers;
    depot_snapshot depot;
    std::vector<diagnostic_snapshot> diagnostics;
    resources_snapshot resources;          // ours
    std::vector<budget_snapshot> budgets;  // ours
};

// floor(used * 100 / limit) without overflow; 0 for limit 0 and nothing used, UINT64_MAX for limit 0
// and something used (infinitely over).
[[nodiscard]] std::uint64_t budget_percent(std::uint64_t used, std::uint64_t limit) noexcept;

}  // namespace framealloc
