// retention_set: per-thread lists of retained values and their promotion (see
// modules/arena/retention_set.cppm).
//
// Lists are per thread through core's thread_registry, like the arenas. A list is written by its own
// thread during the frame (retain, and the drop of an entry by a rewind on that thread) and by the frame
// owner at the frame boundary (collect, and the drops of a plain end_frame()), never both at once: the
// frame's join orders them. The registry's mutex guards the vector of lists (binding, thread exit,
// pruning) and the lifetime totals.
module;
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>
module framealloc.retention;

import framealloc.core;
import framealloc.diagnostics;
import framealloc.arena;
import framealloc.pool;

namespace framealloc::detail {

// ---------------------------------------------------------------------------------------------------
// THE ONE PLACE a retained value gets its tag: called by retain() on the retaining thread, and the
// result is kept for the summary's by-tag rows: the thread's current tag (framealloc.diagnostics),
// "untagged" outside every tag. The view stays valid: interned tag paths live for the whole process.
// ---------------------------------------------------------------------------------------------------
std::string_view retention_tag() noexcept {
    const std::string_view path = tag_path(current_tag());
    return path.empty() ? std::string_view("untagged") : path;
}

struct retention_list {
    explicit retention_list(std::uint64_t s) noexcept : serial(s) {}
    const std::uint64_t serial;       // unique in the set, never reused
    std::uint64_t last_sequence = 0;  // never reset: with serial, names each value of the set's life
    retention_entry* oldest = nullptr;
    retention_entry* newest = nullptr;
    std::size_t size = 0;
    promotion_totals retained;  // this frame, not yet folded into the registry's totals
    promotion_totals dropped;   // likewise
    bool orphaned = false;      // the thread exited; the list goes once it is empty at a frame's end
};

struct retention_registry final : thread_registry {
    void* create_thread_state() override {
        lists.push_back(std::make_unique<retention_list>(++last_serial));
        return lists.back().get();
    }
    void thread_exited(void* state) noexcept override { static_cast<retention_list*>(state)->orphaned = true; }

    std::vector<std::unique_ptr<retention_list>> lists;  // in creation order
    std::uint64_t last_serial = 0;
    retention_stats totals;
};

namespace {

void unlink(retention_entry* e) noexcept {
    retention_list& l = *e->list;
    (e->older != nullptr ? e->older->newer : l.oldest) = e->newer;
    (e->newer != nullptr ? e->newer->older : l.newest) = e->older;
    --l.size;
}

// The arena's destructor link of an entry: its memory is going away. A value still pending was
// neither promoted nor discarded by collect(): destroy it now, exactly once.
void drop_if_pending(void* entry, std::size_t) noexcept {
    auto* e = static_cast<retention_entry*>(entry);
    if (!e->pending) return;
    e->pending = false;
    e->ops->destroy(e->value, 1);
    e->list->dropped.add(e->ops->size);
    unlink(e);
}

void fold(retention_list& l, retention_stats& totals) noexcept {
    totals.retained.add(l.retained);
    totals.dropped.add(l.dropped);
    l.retained = {};
    l.dropped = {};
}

promotion_status status_of(promotion_failure reason) noexcept {
    return reason == promotion_failure::allocation_failed ? promotion_status::allocation_failed
                                                          : promotion_status::move_threw;
}

// Moves the value into memory from `resource`. Returns false with `why` set when it cannot; the
// frame value is left for the caller to destroy either way.
bool move_to_resource(const retention_ops& ops, void* from, std::pmr::memory_resource& resource, void*& to,
                      promotion_failure& why) noexcept {
    try {
        to = resource.allocate(ops.size, ops.alignment);
    } catch (...) {
        why = promotion_failure::allocation_failed;
        return false;
    }
    try {
        ops.move_construct(to, from);
    } catch (...) {
        resource.deallocate(to, ops.size, ops.alignment);
        why = promotion_failure::move_threw;
        return false;
    }
    return true;
}

// As move_to_resource, into a scratch arena: the value's destructor is registered there, so it runs at
// the arena's reset(). On failure the arena is rewound to where it was: nothing stays behind.
bool move_to_scratch(const retention_ops& ops, void* from, scratch_arena& scratch, void*& to,
                     promotion_failure& why) noexcept {
    frame_arena& arena = scratch.arena();
    const frame_marker before = arena.mark();
    destructor_node* node = nullptr;
    try {
        to = arena.allocate_checked(ops.size, ops.alignment);
        if (!ops.trivially_destructible)
            node = static_cast<destructor_node*>(arena.allocate_checked(sizeof(destructor_node), alignof(destructor_node)));
    } catch (...) {
        (void)arena.try_rewind(before);
        why = promotion_failure::allocation_failed;
        return false;
    }
    try {
        ops.move_construct(to, from);
    } catch (...) {
        (void)arena.try_rewind(before);
        why = promotion_failure::move_threw;
        return false;
    }
    if (node != nullptr) {
        *node = destructor_node{nullptr, ops.destroy, to, 1};
        arena.register_destructor(node);
    }
    return true;
}

tag_promotion_summary& row_of(promotion_summary& s, std::string_view tag) noexcept {
    // Every tag of the frame has a row (collect() made them before promoting anything).
    return *std::lower_bound(s.by_tag.begin(), s.by_tag.end(), tag,
                             [](const tag_promotion_summary& t, std::string_view name) { return t.tag < name; });
}

// Promotes or discards one pending entry; the frame value is destroyed exactly once here.
promotion_record promote(retention_entry& e, promotion_summary& s) noexcept {
    const retention_ops& ops = *e.ops;
    promotion_record r;
    r.thread = e.list->serial;
    r.sequence = e.sequence;
    r.ops = &ops;
    r.destination = e.target.kind;
    e.pending = false;
    tag_promotion_summary& row = row_of(s, e.tag);

    if (e.target.kind == retention_kind::discard) {
        ops.destroy(e.value, 1);
        r.status = promotion_status::discarded;
        s.discarded.add(ops.size);
        row.discarded.add(ops.size);
        return r;
    }
    void* to = nullptr;
    promotion_failure why{};
    const bool moved = e.target.kind == retention_kind::promote_to_scratch
                           ? move_to_scratch(ops, e.value, *e.target.scratch, to, why)
                           : move_to_resource(ops, e.value, *e.target.resource, to, why);
    ops.destroy(e.value, 1);  // moved from, or never moved: it goes either way
    if (!moved) {
        r.status = status_of(why);
        s.failed[static_cast<std::size_t>(why)].add(ops.size);
        row.failed.add(ops.size);
        return r;
    }
    r.status = promotion_status::promoted;
    r.object = to;
    s.promoted.add(ops.size);
    row.promoted.add(ops.size);
    switch (e.target.kind) {
    case retention_kind::promote_to_pool:
        r.resource = e.target.resource;
        s.to_pool.add(ops.size);
        break;
    case retention_kind::promote_to_heap:
        r.resource = e.target.resource;
        s.to_heap.add(ops.size);
        break;
    default:
        r.scratch = e.target.scratch;
        s.to_scratch.add(ops.size);
        break;
    }
    return r;
}

}  // namespace
}  // namespace framealloc::detail

namespace framealloc {

using detail::retention_entry;
using detail::retention_list;
using detail::retention_registry;

retention_set::retention_set()
    : id_(detail::next_resource_id()), registry_(std::make_shared<retention_registry>()) {}

retention_set::~retention_set() {
    std::lock_guard lock(registry_->mutex);
    registry_->alive.store(false, std::memory_order_relaxed);
    registry_->lists.clear();
    detail::forget_thread_slot(id_);
}

retention_list& retention_set::bind_calling_thread() {
    return *static_cast<retention_list*>(detail::bind_thread(id_, registry_));
}

void retention_set::check_target(const retention_target& target) {
    switch (target.kind) {
    case retention_kind::discard:
        return;
    case retention_kind::promote_to_pool:
    case retention_kind::promote_to_heap:
        if (target.resource == nullptr)
            throw std::invalid_argument("framealloc: a promote_to_pool / promote_to_heap target needs a memory resource");
        return;
    case retention_kind::promote_to_scratch:
        if (target.scratch == nullptr)
            throw std::invalid_argument("framealloc: a promote_to_scratch target needs a scratch arena");
        return;
    }
    throw std::invalid_argument("framealloc: unknown retention_kind");
}

retained_id retention_set::link(retention_list& list, frame_arena& arena, retention_entry* e) noexcept {
    e->guard = detail::destructor_node{nullptr, &detail::drop_if_pending, e, 1};
    e->list = &list;
    e->tag = detail::retention_tag();
    e->pending = true;
    e->sequence = ++list.last_sequence;
    e->older = list.newest;
    e->newer = nullptr;
    (list.newest != nullptr ? list.newest->newer : list.oldest) = e;
    list.newest = e;
    ++list.size;
    list.retained.add(e->ops->size);
    arena.register_destructor(&e->guard);
    return retained_id{id_, list.serial, e->sequence};
}

detail::promotion_batch retention_set::collect() {
    // Everything that can throw comes first: if it does, no value has been touched.
    std::vector<retention_list*> lists;
    {
        std::lock_guard lock(registry_->mutex);
        lists.reserve(registry_->lists.size());
        for (const auto& l : registry_->lists) lists.push_back(l.get());
    }
    std::size_t count = 0;
    for (const retention_list* l : lists) count += l->size;
    detail::promotion_batch batch(id_, count);
    promotion_summary& summary = batch.summary();
    {
        std::vector<std::string_view> tags;
        tags.reserve(count);
        for (const retention_list* l : lists)
            for (const retention_entry* e = l->oldest; e != nullptr; e = e->newer) tags.push_back(e->tag);
        std::sort(tags.begin(), tags.end());
        tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
        summary.by_tag.reserve(tags.size());
        for (std::string_view tag : tags) summary.by_tag.push_back(tag_promotion_summary{std::string(tag), {}, {}, {}});
    }

    // From here on nothing throws. Each list is detached before its values are moved: a move
    // constructor is user code, and whatever it might retain on this thread meanwhile lands in the
    // emptied list (dropped at the reset) instead of in the chain being walked or past the batch's room.
    retention_stats frame_totals;
    for (retention_list* l : lists) {
        retention_entry* e = l->oldest;
        l->oldest = l->newest = nullptr;  // the entries stay in frame memory, not pending: their links do nothing
        l->size = 0;
        summary.dropped.add(l->dropped);  // released by rewinds during the frame
        detail::fold(*l, frame_totals);
        for (; e != nullptr; e = e->newer) batch.add(detail::promote(*e, summary));
    }
    batch.seal();

    frame_totals.promoted = summary.promoted;
    frame_totals.discarded = summary.discarded;
    frame_totals.failed = summary.failures();
    std::lock_guard lock(registry_->mutex);
    retention_stats& t = registry_->totals;
    t.retained.add(frame_totals.retained);
    t.dropped.add(frame_totals.dropped);
    t.promoted.add(frame_totals.promoted);
    t.discarded.add(frame_totals.discarded);
    t.failed.add(frame_totals.failed);
    return batch;
}

void retention_set::frame_ended() noexcept {
    std::lock_guard lock(registry_->mutex);
    for (auto& l : registry_->lists) detail::fold(*l, registry_->totals);
    // An exited thread's arena was reset by this end_frame(), which dropped whatever it still held.
    std::erase_if(registry_->lists, [](const std::unique_ptr<retention_list>& l) { return l->orphaned && l->size == 0; });
}

retention_stats retention_set::stats() const {
    std::lock_guard lock(registry_->mutex);
    return registry_->totals;
}

}  // namespace framealloc
