// promotion_batch: the untyped record of one end_frame_with_promotions(), under the typed
// promotion_result of the umbrella (which turns records into pool_ptr<T> / scratch_ptr<T>).
//
// It owns every value promoted to the pool or the heap until it is claimed: values nobody claims are
// destroyed and freed with the batch. Values promoted to a scratch arena belong to that arena whether
// claimed or not (they go at its reset()).
//
// Threads:  built by the frame owner; afterwards claim(), status(), find() may be called from any
//           threads at once (records are immutable, each claim flag is one atomic exchange). Destroying
//           or moving the batch must not race with claims.
// Errors:   claim() / status() of an id that is not in the batch: frame_error FA006; a second claim:
//           frame_error FA007; a claim of the wrong handle kind: frame_error FA008; a claim as another
//           type: memory_error FA105. None of them changes anything.
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <typeinfo>
#include <vector>
export module framealloc.retention:promotion_batch;

import framealloc.core;
import framealloc.arena;
import :retained;
import :retention_policy;
import :promotion_summary;

export namespace framealloc::detail {

enum class claim_kind : std::uint8_t { owned, scratch };

struct promotion_record {
    std::uint64_t thread = 0;  // the ticket's (thread, sequence)
    std::uint64_t sequence = 0;
    const retention_ops* ops = nullptr;
    void* object = nullptr;                         // in the destination; null unless promoted
    std::pmr::memory_resource* resource = nullptr;  // promote_to_pool / promote_to_heap
    scratch_arena* scratch = nullptr;               // promote_to_scratch
    retention_kind destination = retention_kind::discard;
    promotion_status status = promotion_status::discarded;
};

class promotion_batch {
public:
    promotion_batch() noexcept = default;
    // Reserves room for `capacity` records; the only step that can throw (std::bad_alloc).
    promotion_batch(std::uint64_t set, std::size_t capacity);
    promotion_batch(promotion_batch&& other) noexcept;
    promotion_batch& operator=(promotion_batch&& other) noexcept;
    promotion_batch(const promotion_batch&) = delete;
    promotion_batch& operator=(const promotion_batch&) = delete;
    ~promotion_batch();

    // Filling, by retention_set::collect(): add() within the capacity never throws; seal() sorts.
    void add(const promotion_record& record) noexcept;
    void seal() noexcept;
    [[nodiscard]] promotion_summary& summary() noexcept { return summary_; }
    [[nodiscard]] const promotion_summary& summary() const noexcept { return summary_; }

    // Marks the record of `id` claimed and returns it, after checking that it exists (FA006), was
    // retained as `type` (FA105), was promoted where `kind` claims from (FA008; values not promoted
    // pass) and was not claimed before (FA007). Ownership of a pool/heap value passes to the caller.
    const promotion_record& claim(const retained_id& id, const std::type_info& type, claim_kind kind);
    // The fate of `id` (FA006 when it is not in the batch).
    [[nodiscard]] promotion_status status(const retained_id& id) const;
    [[nodiscard]] bool contains(const retained_id& id) const noexcept { return find(id) != nullptr; }
    [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }
    // Promoted values not claimed yet.
    [[nodiscard]] std::size_t unclaimed() const noexcept;

private:
    [[nodiscard]] const promotion_record* find(const retained_id& id) const noexcept;
    void release_unclaimed() noexcept;

    std::uint64_t set_ = 0;
    std::vector<promotion_record> records_;          // sorted by (thread, sequence) once sealed
    std::unique_ptr<std::atomic<bool>[]> claimed_;  // parallel to records_
    promotion_summary summary_;
};

}  // namespace framealloc::detail
