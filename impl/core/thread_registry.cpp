// Thread binding for per-thread resource state (see modules/core/thread_registry.cppm).
module;
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>
module framealloc.core;

namespace framealloc::detail {

constinit thread_local thread_slot t_thread_slots[thread_slot_count] = {};
constinit thread_local thread_slot t_recent[recent_kinds] = {};

namespace {

struct thread_binding {
    std::uint64_t id;
    std::shared_ptr<thread_registry> registry;
    void* state;
};

// Every binding of the calling thread. Non-trivial TLS: touched on slow paths and at thread exit only.
struct thread_bindings {
    std::vector<thread_binding> list;
    ~thread_bindings();
};

thread_local thread_bindings t_bindings;
constinit thread_local bool t_bindings_gone = false;

thread_bindings::~thread_bindings() {
    t_bindings_gone = true;
    for (thread_slot& s : t_thread_slots) s = thread_slot{};
    for (thread_slot& s : t_recent) s = thread_slot{};
    for (thread_binding& b : list) {
        std::lock_guard lock(b.registry->mutex);
        if (b.registry->alive.load(std::memory_order_relaxed)) b.registry->thread_exited(b.state);
    }
}

std::atomic<std::uint64_t> resource_ids{1};

}  // namespace

std::uint64_t next_resource_id() noexcept { return resource_ids.fetch_add(1, std::memory_order_relaxed); }

void* bind_thread(std::uint64_t id, const std::shared_ptr<thread_registry>& registry) {
    if (t_bindings_gone) throw_bad_alloc();  // a thread-exit destructor allocating: nothing left to bind to
    auto& bindings = t_bindings.list;
    void* state = nullptr;
    for (const thread_binding& b : bindings) {
        if (b.id == id) {
            state = b.state;
            break;
        }
    }
    if (state == nullptr) {
        // Forget resources that died, so a thread that outlives many resources stays small.
        std::erase_if(bindings, [](const thread_binding& b) { return !b.registry->alive.load(std::memory_order_relaxed); });
        bindings.reserve(bindings.size() + 1);  // the push_back below cannot throw after the state exists
        std::lock_guard lock(registry->mutex);
        state = registry->create_thread_state();
        bindings.push_back(thread_binding{id, registry, state});
    }
    t_thread_slots[id & (thread_slot_count - 1)] = thread_slot{id, state};
    return state;
}

void forget_thread_slot(std::uint64_t id) noexcept {
    thread_slot& s = t_thread_slots[id & (thread_slot_count - 1)];
    if (s.owner == id) s = thread_slot{};
    for (thread_slot& r : t_recent)
        if (r.owner == id) r = thread_slot{};
}

}  // namespace framealloc::detail
