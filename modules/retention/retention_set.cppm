// retention_set: the frame's retained values and their promotion at the end of the frame.
//
// What:        retain<T>() constructs a T in the calling thread's frame arena, next to a small entry
//              (also frame memory) that records its type, its destination and its tag, and links the
//              entry into the calling thread's list (no lock: every thread has its own, found like its
//              arena). collect() runs once per frame on the frame owner: each value, oldest first per
//              thread, is move-constructed into its destination (pool, heap, scratch arena) and the
//              frame value destroyed, or destroyed in place for retention::discard; the outcome of each
//              goes into a promotion_batch with a summary.
// Exactly once: every entry is also linked into its arena's destructor list. If the arena releases
//              it first (a frame_scope or rewind around the frame_retained() call, or a plain
//              end_frame() that did not collect), that link destroys the still-pending value (counted
//              "dropped"); after collect() it does nothing. So every frame value is destroyed exactly
//              once, whatever ends it.
// Complexity:  retain: two bump allocations and a list push (plus, the first time on a thread, a
//              binding under a lock). collect: O(retained values + threads), plus the destination
//              allocations. Nothing here touches the frame_alloc fast path.
// Threads:     retain() from any thread during the frame. collect() and frame_ended() by the frame
//              owner after the frame's work has joined (the join is the happens-before edge, as for
//              frame_resource::end_frame()). A thread that exits mid-frame keeps its values until then.
// Errors:      retain(): as frame allocation (frame_error FA001 outside a frame, std::bad_alloc,
//              budget_exceeded), plus what T's constructor throws; a target without a destination:
//              std::invalid_argument. collect(): std::bad_alloc only before anything was promoted (the
//              frame's values are then untouched); a failed promotion is counted, never thrown.
module;
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>
export module framealloc.retention:retention_set;

import framealloc.core;
import framealloc.arena;
import :retained;
import :retention_policy;
import :promotion_summary;
import :promotion_batch;

export namespace framealloc {

// A resolved retention_policy: where a value goes, not by name but by address.
struct retention_target {
    retention_kind kind = retention_kind::discard;
    std::pmr::memory_resource* resource = nullptr;  // promote_to_pool, promote_to_heap
    scratch_arena* scratch = nullptr;               // promote_to_scratch
};

namespace detail {
struct retention_list;
struct retention_registry;

// One retained value, in frame memory beside it.
struct retention_entry {
    destructor_node guard;  // in the arena's destructor list: fires at reset() / rewind past it
    retention_entry* older;
    retention_entry* newer;
    retention_list* list;
    const retention_ops* ops;
    void* value;
    retention_target target;
    std::string_view tag;  // see retention_tag() in impl/arena/retention_set.cpp
    std::uint64_t sequence;
    bool pending;          // false once collected (promoted, discarded or failed) or dropped
};
}  // namespace detail

class retention_set {
public:
    retention_set();
    retention_set(const retention_set&) = delete;
    retention_set& operator=(const retention_set&) = delete;
    // Must outlive the arenas its values live in (their destructor links point here).
    ~retention_set();

    template <class T, class... Args>
    [[nodiscard]] retained<T> retain(frame_arena& arena, const retention_target& target, Args&&... args) {
        static_assert(std::is_object_v<T> && !std::is_array_v<T> && !std::is_const_v<T>,
                      "frame_retained<T>: T must be a non-const object type (not an array)");
        static_assert(std::is_move_constructible_v<T>,
                      "frame_retained<T>: promotion move-constructs the value into its destination");
        static_assert(std::is_nothrow_destructible_v<T>,
                      "frame_retained<T>: retained values are destroyed at frame boundaries: ~T must not throw");
        check_target(target);
        detail::retention_list& list = local_list();
        void* entry_memory = detail::place(arena, sizeof(detail::retention_entry), alignof(detail::retention_entry));
        void* value_memory = detail::place(arena, sizeof(T), alignof(T));
        T* value = ::new (value_memory) T(std::forward<Args>(args)...);
        auto* entry = ::new (entry_memory) detail::retention_entry{};
        entry->ops = &detail::retention_ops_for<T>;
        entry->value = value;
        entry->target = target;
        return retained<T>(value, link(list, arena, entry));
    }

    // Promotes or discards every pending value of the frame (see the header comment). Frame owner only,
    // before the frame memory is reset.
    [[nodiscard]] detail::promotion_batch collect();
    // After the frame memory was reset: forgets exited threads and folds the frame into stats().
    void frame_ended() noexcept;

    // Lifetime totals up to the last frame_ended().
    [[nodiscard]] retention_stats stats() const;
    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }

private:
    [[nodiscard]] detail::retention_list& local_list() {
        if (void* state = detail::find_thread_state(id_)) [[likely]] return *static_cast<detail::retention_list*>(state);
        return bind_calling_thread();
    }
    [[gnu::noinline]] detail::retention_list& bind_calling_thread();
    static void check_target(const retention_target& target);
    [[nodiscard]] retained_id link(detail::retention_list& list, frame_arena& arena, detail::retention_entry* entry) noexcept;

    std::uint64_t id_;
    std::shared_ptr<detail::retention_registry> registry_;
};

}  // namespace framealloc
