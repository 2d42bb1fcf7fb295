// framealloc.retention: values that outlive their frame. frame_retained<T>(policy, args...) makes a T
// in frame memory and records it (retention_set); at end_frame_with_promotions() the frame's retained
// values are moved into their destination (retention_policy: discard, promote_to_pool, promote_to_heap,
// promote_to_scratch) in one promotion_batch, summarised per type and destination
// (promotion_summary), and handed back as typed owning handles from a promotion_result.
export module framealloc.retention;
export import :retention_policy;
export import :retained;
export import :promotion_summary;
export import :promotion_batch;
export import :retention_set;
export import :promotion_result;
