// promotion_batch: lookup, claims and the release of unclaimed values (see modules/arena/promotion_batch.cppm).
module;
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>
module framealloc.retention;

import framealloc.core;
import framealloc.arena;
import framealloc.pool;

namespace framealloc::detail {

promotion_batch::promotion_batch(std::uint64_t set, std::size_t capacity)
    : set_(set), claimed_(std::make_unique<std::atomic<bool>[]>(capacity)) {
    records_.reserve(capacity);
}

promotion_batch::promotion_batch(promotion_batch&& other) noexcept
    : set_(other.set_),
      records_(std::move(other.records_)),
      claimed_(std::move(other.claimed_)),
      summary_(std::move(other.summary_)) {
    other.records_.clear();
}

promotion_batch& promotion_batch::operator=(promotion_batch&& other) noexcept {
    if (this != &other) {
        release_unclaimed();
        set_ = other.set_;
        records_ = std::move(other.records_);
        claimed_ = std::move(other.claimed_);
        summary_ = std::move(other.summary_);
        other.records_.clear();
    }
    return *this;
}

promotion_batch::~promotion_batch() { release_unclaimed(); }

void promotion_batch::add(const promotion_record& record) noexcept { records_.push_back(record); }

namespace {
bool before(const promotion_record& r, std::uint64_t thread, std::uint64_t sequence) noexcept {
    return r.thread < thread || (r.thread == thread && r.sequence < sequence);
}
}  // namespace

void promotion_batch::seal() noexcept {
    // collect() adds the lists in creation order and each list oldest first, so this is usually sorted.
    std::sort(records_.begin(), records_.end(),
              [](const promotion_record& a, const promotion_record& b) { return before(a, b.thread, b.sequence); });
}

const promotion_record* promotion_batch::find(const retained_id& id) const noexcept {
    if (id.set != set_ || id.set == 0) return nullptr;
    auto it = std::lower_bound(records_.begin(), records_.end(), id,
                               [](const promotion_record& r, const retained_id& k) { return before(r, k.thread, k.sequence); });
    return it != records_.end() && it->thread == id.thread && it->sequence == id.sequence ? &*it : nullptr;
}

const promotion_record& promotion_batch::claim(const retained_id& id, const std::type_info& type, claim_kind kind) {
    const promotion_record* r = find(id);
    if (r == nullptr)
        throw_frame_error(codes::retained_not_found,
                          "claim of a ticket that is not in this promotion result (retained in another frame or by "
                          "another smart_alloc, or released by a frame_scope before its frame ended)");
    if (*r->ops->type != type)
        throw memory_error(codes::promotion_type_mismatch, std::string("promoted value claimed as ") + type.name() +
                                                               " but retained as " + r->ops->type->name());
    if (r->status == promotion_status::promoted) {
        const bool in_scratch = r->destination == retention_kind::promote_to_scratch;
        if (in_scratch && kind != claim_kind::scratch)
            throw_frame_error(codes::promotion_destination,
                              "claim() of a value promoted to a scratch arena: claim it with claim_scratch()");
        if (!in_scratch && kind == claim_kind::scratch)
            throw_frame_error(codes::promotion_destination,
                              "claim_scratch() of a value promoted to the pool or the heap: claim it with claim()");
    }
    const std::size_t index = static_cast<std::size_t>(r - records_.data());
    // acq_rel: the winner of the exchange owns the value; the batch's destructor reads the flag after
    // the claims (ordered by whatever made the batch's destruction follow them).
    if (claimed_[index].exchange(true, std::memory_order_acq_rel))
        throw_frame_error(codes::promotion_claimed, "a promoted value claimed a second time");
    return *r;
}

promotion_status promotion_batch::status(const retained_id& id) const {
    const promotion_record* r = find(id);
    if (r == nullptr)
        throw_frame_error(codes::retained_not_found, "status() of a ticket that is not in this promotion result");
    return r->status;
}

std::size_t promotion_batch::unclaimed() const noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < records_.size(); ++i)
        if (records_[i].status == promotion_status::promoted && !claimed_[i].load(std::memory_order_acquire)) ++n;
    return n;
}

void promotion_batch::release_unclaimed() noexcept {
    for (std::size_t i = 0; i < records_.size(); ++i) {
        const promotion_record& r = records_[i];
        // Scratch values belong to their arena; only pool and heap values are owned here.
        if (r.status != promotion_status::promoted || r.resource == nullptr) continue;
        if (claimed_[i].load(std::memory_order_acquire)) continue;
        r.ops->destroy(r.object, 1);
        r.resource->deallocate(r.object, r.ops->size, r.ops->alignment);
    }
    records_.clear();
}

}  // namespace framealloc::detail
