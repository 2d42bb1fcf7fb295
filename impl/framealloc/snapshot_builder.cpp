// build_snapshot: fills the schema v2 model from smart_alloc's resources and its frame record.
module;
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>
module framealloc;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;
import framealloc.threading;
import framealloc.diagnostics;
import framealloc.retention;
import framealloc.report;

namespace framealloc {
namespace {

std::uint64_t live(const kind_stats& k) noexcept { return k.bytes > k.freed_bytes ? k.bytes - k.freed_bytes : 0; }

// A per-thread budget as the Rust schema shows it: one limit (the hard one, else the soft one).
thread_budget_usage usage_of(const thread_budget_figures& b, std::uint64_t used) {
    const std::uint64_t limit = b.hard_limit != std::numeric_limits<std::size_t>::max() ? b.hard_limit : b.soft_limit;
    return thread_budget_usage{limit, used, budget_percent(used, limit)};
}

budget_snapshot thread_budget_row(const std::string& thread, const char* kind, const thread_budget_figures& b,
                                  std::uint64_t used) {
    budget_snapshot bs;
    bs.scope = "thread";
    bs.name = thread;
    bs.kind = kind;
    bs.used = used;
    if (b.soft_limit != std::numeric_limits<std::size_t>::max()) bs.soft_limit = b.soft_limit;
    if (b.hard_limit != std::numeric_limits<std::size_t>::max()) bs.hard_limit = b.hard_limit;
    bs.soft_exceeded = b.soft_exceeded_frames;
    bs.hard_exceeded = b.hard_exceeded_frames;
    return bs;
}

// Threads from the statistics merged at the last end_frame() ("this frame" is the frame that ended
// last, also inside an open frame: per-thread counters are merged at frame ends), with their budgets:
// the frame budget from the thread's arena, the pool budget from the statistics.
void add_threads(snapshot& s, const diagnostics_stats& usage, const std::vector<frame_arena_stats>& arenas,
                 bool open) {
    for (const thread_stats& t : usage.threads) {
        thread_snapshot ts;
        ts.id = t.index == 0 ? std::string("exited") : "thread-" + std::to_string(t.index);
        ts.name = t.name;
        ts.frame_bytes = t.last_frame.frame.bytes;
        // Frees count on the freeing thread, so a thread's live figure is what it allocated minus what
        // it freed (0 when it freed more, for other threads).
        ts.pool_bytes = live(t.total.pool);
        ts.heap_bytes = live(t.total.heap);
        ts.peak_bytes = t.peak_frame_bytes;
        if (t.index != 0) {
            for (const frame_arena_stats& a : arenas) {
                if (a.thread_index != t.index || !a.budget) continue;
                const std::uint64_t used = open ? a.bytes_used : a.last_frame_bytes_used;
                ts.budget = usage_of(*a.budget, used);
                s.budgets.push_back(thread_budget_row(ts.id, "frame", *a.budget, used));
            }
            if (t.pool_budget) {
                const std::uint64_t used = t.last_frame.pool.bytes;
                ts.pool_budget = usage_of(*t.pool_budget, used);
                s.budgets.push_back(thread_budget_row(ts.id, "pool", *t.pool_budget, used));
            }
        }
        s.threads.push_back(std::move(ts));
    }
}

// One row per tag and kind of memory used in the last frame, with the tag's average lifetime, its
// promotion rate and the codes the diagnostics raised against it (add_diagnostics runs first).
void add_tags(snapshot& s, const diagnostics_stats& usage, const std::vector<tag_promotion_summary>& promotions) {
    static constexpr std::pair<memory_kind, const char*> kinds[] = {
        {memory_kind::frame, "frame"}, {memory_kind::pool, "pool"}, {memory_kind::heap, "heap"}};
    for (const tag_stats& t : usage.tags) {
        const std::string path = t.path.empty() ? std::string("untagged") : t.path;
        std::vector<std::string> codes;
        for (const diagnostic_snapshot& d : s.diagnostics)
            if (d.tag && *d.tag == path) codes.push_back(d.code);
        std::sort(codes.begin(), codes.end());
        codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
        for (const auto& [kind, name] : kinds) {
            const kind_stats& k = t.last_frame[kind];
            if (k.allocations == 0) continue;
            tag_snapshot row;
            row.path = path;
            row.alloc_kind = name;
            row.alloc_count = k.allocations;
            row.bytes = k.bytes;
            row.diagnostics = codes;
            if (kind == memory_kind::frame) {
                row.avg_lifetime_frames = 1.0;
                std::uint64_t promoted = 0;
                for (const tag_promotion_summary& p : promotions)
                    if (p.tag == path) promoted = p.promoted.count;
                row.promotion_rate = std::min(1.0, static_cast<double>(promoted) / static_cast<double>(k.allocations));
            } else {
                row.avg_lifetime_frames =
                    average_lifetime_frames(t.lifetime[static_cast<std::size_t>(kind)], usage.frames);
                row.promotion_rate = 0.0;
            }
            s.tags.push_back(std::move(row));
        }
    }
}

void add_budgets(snapshot& s) {
    for (const budget_usage& b : budget_usages()) {
        budget_snapshot bs;
        const bool global = b.name == "global";
        bs.scope = global ? "global" : "tag";
        bs.name = global ? std::string() : std::string(b.name.substr(4));  // "tag <path>"
        bs.kind = "all";
        bs.used = b.used;
        if (b.soft_limit != std::numeric_limits<std::size_t>::max()) bs.soft_limit = b.soft_limit;
        if (b.hard_limit != std::numeric_limits<std::size_t>::max()) bs.hard_limit = b.hard_limit;
        bs.soft_exceeded = b.soft_exceeded_frames;
        bs.hard_exceeded = b.hard_exceeded_frames;
        s.budgets.push_back(std::move(bs));
    }
}

// The behaviour filter's report: one entry per (code, subject), folded over the frames it held.
void add_diagnostics(snapshot& s) {
    for (const behavior_issue& issue : behavior_report()) {
        diagnostic_snapshot d;
        d.code = std::string(issue.code);
        const bool about_tag = issue.code == codes::behavior_pool_freed_same_frame ||
                               issue.code == codes::behavior_heap_in_hot_path;
        if (about_tag) d.tag = issue.subject;
        if (issue.code == codes::behavior_soft_budget) d.tag = issue.subject.substr(4);  // "tag <path>"
        d.message = issue.subject + ": " + issue.message;
        d.count = issue.frames;
        s.diagnostics.push_back(std::move(d));
    }
}

}  // namespace

snapshot build_snapshot(const smart_alloc& alloc, std::uint64_t frame) {
    snapshot s;
    s.timestamp = std::chrono::system_clock::now();
    s.frame = frame;

    const frame_record& record = alloc.last_frame();
    const framealloc::transfer_stats transfers = alloc.transfer_stats();
    const bool open = alloc.in_frame();
    s.frame_open = open;
    const auto end = open ? std::chrono::steady_clock::now() : record.ended;
    s.duration_us = static_cast<std::uint64_t>(
        std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(end - record.began).count()));

    // Frame memory: the open frame's live figures, or the ended frame's as end_frame() measured them
    // (after end_frame() the arenas are rewound, so live figures would show an empty frame).
    const frame_resource_stats fm = open ? alloc.frame_resource().stats() : record.frame_memory;
    const std::vector<frame_arena_stats> arenas = alloc.frame_resource().thread_stats();
    std::uint64_t frame_peak = 0;
    for (const frame_arena_stats& t : arenas)
        frame_peak += std::max(t.peak_bytes_used, t.bytes_used);
    frame_memory_snapshot& f = s.resources.frame;
    f.threads = fm.threads;
    f.bytes_used = fm.bytes_used;
    f.bytes_reserved = fm.bytes_reserved;
    f.spare_bytes = fm.spare_bytes;
    f.chunk_count = fm.chunk_count;
    f.large_block_count = fm.large_block_count;
    f.peak_bytes_used = std::max<std::uint64_t>(frame_peak, fm.bytes_used);
    f.upstream_allocations = fm.upstream_allocations;
    f.upstream_deallocations = fm.upstream_deallocations;

    const pool_stats ps = alloc.pool_resource().stats();
    pool_memory_snapshot& p = s.resources.pool;
    p.threads = ps.threads;
    p.slab_count = ps.slab_count;
    p.slab_bytes = ps.slab_bytes;
    p.peak_slab_bytes = ps.peak_slab_bytes;
    p.slabs_released = ps.slabs_released;
    p.heap_allocations = ps.heap_allocations;
    p.heap_deallocations = ps.heap_deallocations;
    p.heap_bytes = ps.heap_bytes;

    const std::uint64_t returned_end = open ? ps.blocks_to_depot : record.depot_returned_at_end;
    const std::uint64_t reused_end = open ? ps.blocks_from_depot : record.depot_reused_at_end;
    s.depot.blocks_returned_this_frame = returned_end - record.depot_returned_at_begin;
    s.depot.blocks_reused_this_frame = reused_end - record.depot_reused_at_begin;
    s.depot.blocks_returned = ps.blocks_to_depot;
    s.depot.blocks_reused = ps.blocks_from_depot;

    const heap_stats hs = alloc.heap_resource().stats();
    heap_memory_snapshot& h = s.resources.heap;
    h.allocations = hs.allocations;
    h.deallocations = hs.deallocations;
    h.live_bytes = hs.live_bytes;
    h.peak_bytes = hs.peak_bytes;

    s.summary.frame_bytes = f.bytes_used;
    s.summary.pool_bytes = p.slab_bytes;
    s.summary.heap_bytes = h.live_bytes;  // the pools' heap fallback goes to this heap: counted once
    s.summary.total_bytes = s.summary.frame_bytes + s.summary.pool_bytes + s.summary.heap_bytes;
    s.summary.peak_bytes = f.peak_bytes_used + p.peak_slab_bytes + h.peak_bytes;

    s.transfers.pending = transfers.in_flight();
    const std::uint64_t received_end = open ? transfers.received : record.transfers_received_at_end;
    s.transfers.completed_this_frame = received_end - record.transfers_received_at_begin;
    s.transfers.created = transfers.created;
    s.transfers.received = transfers.received;
    s.transfers.dropped = transfers.dropped;
    s.transfers.bytes_created = transfers.bytes_created;

    const diagnostics_stats usage = alloc.stats().usage;
    s.promotions = alloc.last_promotions();
    add_budgets(s);
    add_threads(s, usage, arenas, open);
    add_diagnostics(s);
    add_tags(s, usage, alloc.last_promotions_by_tag());
    return s;
}

snapshot build_snapshot(const smart_alloc& alloc) { return build_snapshot(alloc, alloc.frame_number()); }

}  // namespace framealloc
