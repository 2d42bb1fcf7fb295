// promotion_result: what smart_alloc::end_frame_with_promotions() hands back.
//
//   auto mesh = alloc.frame_retained<NavMesh>(framealloc::retention::promote_to_pool, args...);
//   auto path = alloc.frame_retained<Path>(framealloc::retention::promote_to_scratch("ai"), ...);
//   framealloc::promotion_result promoted = alloc.end_frame_with_promotions();
//   framealloc::pool_ptr<NavMesh> kept = promoted.claim(mesh);          // owns it now, any thread
//   framealloc::scratch_ptr<Path> p = promoted.claim_scratch(path);     // the "ai" arena owns it
//
// Claims:     claim(ticket) gives the owning pool_ptr<T> of a value promoted to the pool or the heap
//             (it runs ~T and frees into the right resource, on any thread); claim_scratch(ticket) a
//             scratch_ptr<T> to a value promoted to a scratch arena, which keeps owning it until its
//             owner resets it. A value that was discarded, or whose promotion failed, claims as an
//             empty handle; status(ticket) says which. claim<T>(retained_id) checks the type at run time.
// Unclaimed:  values promoted to the pool or the heap that nobody claims are destroyed and freed when
//             the result dies. Nothing leaks.
// Threads:    tickets may be claimed from any threads, concurrently, by sharing the result (e.g. by
//             reference until they are done); each ticket is claimed at most once. Moving or destroying
//             the result must not race with claims.
// Errors:     a ticket not in this result (another frame, another smart_alloc, or released by a
//             frame_scope before the frame ended): frame_error FA006; claimed twice: FA007; claim() of
//             a scratch value or claim_scratch() of a pool/heap value: FA008; claimed as another type:
//             memory_error FA105. A failed claim changes nothing.
// Lifetime:   a result and the handles claimed from it must not outlive their smart_alloc.
module;
#include <cstddef>
#include <typeinfo>
#include <utility>
export module framealloc.retention:promotion_result;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;
import :retained;
import :promotion_summary;
import :promotion_batch;

export namespace framealloc {

class promotion_result {
public:
    promotion_result() noexcept = default;
    promotion_result(detail::promotion_batch batch, const frame_resource_stats& frame) noexcept
        : batch_(std::move(batch)), frame_(frame) {}

    template <class T>
    [[nodiscard]] pool_ptr<T> claim(const retained<T>& ticket) {
        return claim<T>(ticket.id());
    }
    template <class T>
    [[nodiscard]] pool_ptr<T> claim(const retained_id& id) {
        const detail::promotion_record& r = batch_.claim(id, typeid(T), detail::claim_kind::owned);
        if (r.status != promotion_status::promoted) return {};
        return pool_ptr<T>(static_cast<T*>(r.object), r.resource);
    }

    template <class T>
    [[nodiscard]] scratch_ptr<T> claim_scratch(const retained<T>& ticket) {
        return claim_scratch<T>(ticket.id());
    }
    template <class T>
    [[nodiscard]] scratch_ptr<T> claim_scratch(const retained_id& id) {
        const detail::promotion_record& r = batch_.claim(id, typeid(T), detail::claim_kind::scratch);
        if (r.status != promotion_status::promoted) return {};
        return scratch_ptr<T>(static_cast<T*>(r.object), *r.scratch);
    }

    [[nodiscard]] promotion_status status(const retained_id& id) const { return batch_.status(id); }
    [[nodiscard]] bool contains(const retained_id& id) const noexcept { return batch_.contains(id); }
    // Values retained this frame and collected (promoted, discarded or failed).
    [[nodiscard]] std::size_t size() const noexcept { return batch_.size(); }
    // Promoted values not claimed yet (pool/heap ones are freed with the result).
    [[nodiscard]] std::size_t unclaimed() const noexcept { return batch_.unclaimed(); }

    [[nodiscard]] const promotion_summary& summary() const noexcept { return batch_.summary(); }
    // The figures of the frame that ended, as end_frame() returns them.
    [[nodiscard]] const frame_resource_stats& frame_stats() const noexcept { return frame_; }

private:
    detail::promotion_batch batch_;
    frame_resource_stats frame_{};
};

}  // namespace framealloc
