// smart_alloc retention and promotion (cold: once per frame, once per retained value).
module;
#include <stdexcept>
#include <utility>
module framealloc;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;
import framealloc.diagnostics;
import framealloc.retention;
import framealloc.report;

namespace framealloc {

promotion_result smart_alloc::end_frame_with_promotions() {
    if (!in_frame_)
        throw_frame_error(codes::frame_lifecycle, "end_frame_with_promotions() called without a matching begin_frame()");
    detail::promotion_batch batch = retained_.collect();  // before the frame memory is reset
    const promotion_summary& s = batch.summary();
    std::size_t failed = 0;
    for (const promotion_totals& f : s.failed) failed += f.count;
    const frame_promotions done{
        promotion_snapshot{s.to_pool.count, s.to_heap.count, failed, s.to_scratch.count, s.discarded.count},
        s.promoted.count + failed, s.promoted.count, &s.by_tag};
    const frame_resource_stats ended = finish_frame(done);
    return promotion_result(std::move(batch), ended);
}

retention_target smart_alloc::retention_target_for(const retention_policy& policy) {
    switch (policy.kind) {
    case retention_kind::discard:
        return retention_target{retention_kind::discard, nullptr, nullptr};
    case retention_kind::promote_to_pool:
        return retention_target{retention_kind::promote_to_pool, &pools_, nullptr};
    case retention_kind::promote_to_heap:
        return retention_target{retention_kind::promote_to_heap, &heap_, nullptr};
    case retention_kind::promote_to_scratch:
        return retention_target{retention_kind::promote_to_scratch, nullptr,
                                policy.scratch != nullptr ? policy.scratch : &scratches_.get(policy.scratch_name)};
    }
    throw std::invalid_argument("framealloc: unknown retention_kind in a retention_policy");
}

}  // namespace framealloc
