// smart_alloc frame lifecycle (cold: once per frame).
module;
#include <chrono>
#include <cstdint>
#include <memory_resource>
module framealloc;

import framealloc.core;
import framealloc.diagnostics;
import framealloc.retention;
import framealloc.report;
import framealloc.arena;
import framealloc.pool;
import framealloc.threading;

namespace framealloc {

smart_alloc::smart_alloc(alloc_config config)
    : config_(config),
      heap_(std::pmr::new_delete_resource(), config.pool_on_error),
      pools_([&] {
          pool_options o = config.pool_settings();
          o.heap = &heap_;
          return o;
      }()),
      frames_(config.frame_options(), config.upstream != nullptr ? config.upstream : std::pmr::new_delete_resource()) {
    frames_.close();  // no frame is open until begin_frame(): frame allocation now is FA001
}

smart_alloc::~smart_alloc() = default;

void smart_alloc::begin_frame() {
    if (in_frame_) throw_frame_error(codes::frame_lifecycle, "begin_frame() called while a frame is already open");
    ++frame_number_;
    in_frame_ = true;
    frames_.open();
    const std::uint64_t received = transfers_.snapshot().received;
    const auto now = std::chrono::steady_clock::now();
    const pool_stats pool = pools_.stats();
    last_frame_ = frame_record{frame_number_, true, now, now, {}, received, received, pool.blocks_to_depot,
                               pool.blocks_from_depot, pool.blocks_to_depot, pool.blocks_from_depot};
    frame_tasks_.open();
}

frame_resource_stats smart_alloc::end_frame() {
    if (!in_frame_) throw_frame_error(codes::frame_lifecycle, "end_frame() called without a matching begin_frame()");
    return finish_frame(frame_promotions{});
}

frame_resource_stats smart_alloc::finish_frame(const frame_promotions& promotions) {
    frame_tasks_.close();  // FA005 while a task of the frame runs: nothing released, the frame stays open
    in_frame_ = false;
    frame_resource_stats ended = frames_.end_frame();  // drops retained values nobody collected
    detail::hook_frame_reset(frame_number_, ended.bytes_used);
    frames_.close();
    last_frame_.open = false;
    last_frame_.ended = std::chrono::steady_clock::now();
    last_frame_.frame_memory = ended;
    last_frame_.transfers_received_at_end = transfers_.snapshot().received;
    const pool_stats pool = pools_.stats();
    last_frame_.depot_returned_at_end = pool.blocks_to_depot;
    last_frame_.depot_reused_at_end = pool.blocks_from_depot;
    retained_.frame_ended();
    const diagnostics_stats& merged = tracker_.end_frame();  // merges per-thread counters, new budget frame
    if (behavior_filter_enabled()) {
        const framealloc::transfer_stats t = transfers_.snapshot();
        frame_observation o;
        o.frame_upstream_allocations = ended.upstream_allocations - upstream_seen_;
        o.transfers_created = t.created;
        o.transfers_done = t.received + t.dropped;
        o.retained = promotions.retained;
        o.promoted = promotions.promoted;
        detail::observe_frame(merged, o);
    }
    last_promotions_ = promotions.counts;
    try {
        if (promotions.by_tag != nullptr) last_promotions_by_tag_ = *promotions.by_tag;
        else last_promotions_by_tag_.clear();
    } catch (...) {  // the frame has ended: the per-tag figures are dropped rather than the frame failed
        last_promotions_by_tag_.clear();
    }
    upstream_seen_ = ended.upstream_allocations;
    return ended;
}

allocator_stats smart_alloc::stats() const {
    return allocator_stats{tracker_.current(), frames_.stats(), pools_.stats(), heap_.stats(), transfers_.snapshot()};
}

}  // namespace framealloc
