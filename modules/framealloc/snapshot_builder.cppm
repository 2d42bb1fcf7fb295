// build_snapshot: a snapshot (framealloc.report:snapshot, schema v2) of a smart_alloc's real state.
//
//   alloc.end_frame();
//   emitter.maybe_emit([&] { return framealloc::build_snapshot(alloc); });
//
// What it describes: called after end_frame() (the usual place, a frame boundary), the frame that just
// ended: its frame memory as end_frame() measured it, its wall time, the transfers received during it.
// Called inside an open frame, that frame so far (frame_open = true). Pool, heap and transfer figures
// are the resources' current ones either way.
//
// Filled: version, timestamp, frame, duration_us, frame_open, summary, threads (usage per thread, its
// frame and pool budgets), tags (usage, average lifetime, promotion rate, the codes raised against the
// tag), budgets (global, per tag, per thread; soft/hard crossings), promotions (the last
// end_frame_with_promotions), transfers, diagnostics (the behaviour filter's report), resources
// (frame / pool / heap stats), depot (the pool's cross-thread traffic: blocks thread caches handed to
// the depot and took back, in the frame and lifetime).
//
// Cost: O(threads) plus a few locks (the registries' stats): a cold call, at most once per frame.
// Threads: the frame owner calls it, like begin_frame() / end_frame().
module;
#include <cstdint>
export module framealloc:snapshot_builder;

import framealloc.diagnostics;
import framealloc.report;
import :smart_alloc;

export namespace framealloc {

// `frame` labels the snapshot (its file name sorts by it); build_snapshot(alloc) uses the number of the
// frame described (alloc.frame_number()).
[[nodiscard]] snapshot build_snapshot(const smart_alloc& alloc, std::uint64_t frame);
[[nodiscard]] snapshot build_snapshot(const smart_alloc& alloc);

}  // namespace framealloc
