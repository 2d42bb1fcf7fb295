// Per-thread state of a resource: the mechanism behind "every thread its own arena / cache".
//
// A resource (frame_resource, pool_resource) has an id that is never reused and a registry derived from
// thread_registry. A thread finds its state for that resource in a small direct-mapped thread-local slot
// cache (find_thread_state: one load and one compare); on a miss, bind_thread() looks in the thread's
// list of bindings and, the first time, asks the registry to create the state (under the registry's
// mutex). When the thread exits, each live registry hears thread_exited(state) under its mutex; a
// registry whose resource died (alive == false) is left alone. Registries are shared (shared_ptr) by
// the resource and by every thread bound to it, so either may go first.
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
export module framealloc.core:thread_registry;

export namespace framealloc::detail {

class thread_registry {
public:
    virtual ~thread_registry() = default;

    // Called under `mutex`: builds the calling thread's state. May throw (then nothing is bound).
    virtual void* create_thread_state() = 0;
    // Called under `mutex`, only while `alive`, when a thread bound to this registry exits.
    virtual void thread_exited(void* state) noexcept = 0;

    std::mutex mutex;
    std::atomic<bool> alive{true};  // written under `mutex`; read without it only to prune bindings
};

struct thread_slot {
    std::uint64_t owner = 0;  // resource id; 0 is never an id
    void* state = nullptr;
};
// Up to 16 resources in use on one thread hit the cache. A slot may name a destroyed resource: ids are
// never reused, so it never matches again. Defined in impl/ (clang-19 would emit a definition in every
// importer of an interface-defined thread_local); `constinit` spares importers the TLS wrapper call.
inline constexpr std::size_t thread_slot_count = 16;
extern constinit thread_local thread_slot t_thread_slots[thread_slot_count];

// The most recently used state of each kind of resource, one slot per kind, checked before the slot
// table. Its fields sit at fixed thread-local offsets, so the state load needs neither the resource's
// id nor an index computed from it: on the hot paths it issues at once, in parallel with the owner
// check, instead of after a dependent load of the id (docs/benchmarks.md). A thread alternating between two resources of one kind
// takes the slot-table path (the resource's cold path) on each switch. Cleared with the slot table.
// A slot naming a destroyed resource never matches again: ids are never reused.
enum class recent_kind : std::size_t { pool = 0, frame = 1 };
inline constexpr std::size_t recent_kinds = 2;
extern constinit thread_local thread_slot t_recent[recent_kinds];

[[gnu::always_inline]] inline void remember_thread_state(recent_kind kind, std::uint64_t id, void* state) noexcept {
    t_recent[static_cast<std::size_t>(kind)] = thread_slot{id, state};
}

// The slot `id` maps to. Hot paths compare its owner with their id and use its state directly (one
// branch: a matching slot always has a state).
[[nodiscard]] inline const thread_slot& thread_slot_for(std::uint64_t id) noexcept {
    return t_thread_slots[id & (thread_slot_count - 1)];
}

// The calling thread's state for resource `id` when its slot in the table holds it, else null.
[[gnu::always_inline]] [[nodiscard]] inline void* find_thread_state(std::uint64_t id) noexcept {
    const std::size_t i = id & (thread_slot_count - 1);
    return t_thread_slots[i].owner == id ? t_thread_slots[i].state : nullptr;
}

// A fresh resource id.
[[nodiscard]] std::uint64_t next_resource_id() noexcept;
// Slow path of find_thread_state: binds the calling thread (creating its state on first use) and fills
// the slot cache. Throws std::bad_alloc when called from a thread-exit destructor after the thread's
// bindings are gone, or what create_thread_state() throws.
[[nodiscard]] void* bind_thread(std::uint64_t id, const std::shared_ptr<thread_registry>& registry);
// Clears the calling thread's cached slot for `id` (a resource being destroyed on this thread).
void forget_thread_slot(std::uint64_t id) noexcept;

}  // namespace framealloc::detail
