// Thread binding and tag switching for the diagnostic counters (modules/diagnostics/counters.cppm,
// registry.cppm).
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
module framealloc.diagnostics;

import framealloc.core;

namespace framealloc::detail {

constinit tag_counters unbound_counters{static_cast<std::uint8_t>(check_unbound | check_all_kinds)};
constinit thread_local thread_diag_tls t_diag = {&unbound_counters, nullptr, untagged};

namespace {

constinit thread_local bool t_diag_gone = false;

// Where a thread counts once its diagnostics are gone (thread exit) or could not be set up (out of
// memory): private to the thread, never read, never sends anything to the slow path again.
constinit thread_local tag_counters t_private_sink{};

struct diag_exit_guard {
    thread_diag* self = nullptr;
    ~diag_exit_guard() {
        if (self == nullptr) return;
        {
            diag_registry& r = registry();
            std::lock_guard lock(r.mutex);
            self->exited = true;  // folded into the retired totals by the next frame_tracker::end_frame
            // ... or now, when no tracker will (or many exited threads wait already): see diag_registry.
            constexpr std::size_t max_waiting = 256;
            bool retired = false;
            if (r.trackers == 0 || r.exited_waiting >= max_waiting) {
                try {
                    retire_thread_locked(r, self);
                    retired = true;
                } catch (...) {
                    // Out of memory for the retired table: the record waits for the next end_frame.
                }
            }
            if (!retired) ++r.exited_waiting;
        }
        t_diag.cur = &t_private_sink;
        t_diag.self = nullptr;
        t_diag_gone = true;
    }
};
thread_local diag_exit_guard t_exit_guard;

thread_diag* bind_self() {
    if (t_diag.self != nullptr) return t_diag.self;
    if (t_diag_gone) return nullptr;
    auto d = std::make_unique<thread_diag>();
    diag_registry& r = registry();
    {
        std::lock_guard lock(r.mutex);
        d->index = r.next_index++;
        r.threads.push_back(d.get());
    }
    t_exit_guard.self = d.get();
    t_diag.self = d.release();
    return t_diag.self;
}

}  // namespace

diag_registry& registry() noexcept {
    static diag_registry* r = new diag_registry();  // never destroyed: threads exit after main returns
    return *r;
}

std::uint8_t compute_check(const thread_diag& d, tag_id id) {
    const diag_registry& r = registry();
    std::uint8_t bits = check_fresh;
    if (per_allocation_hooks()) bits |= check_hook;
    if (d.pool_budget) bits |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(memory_kind::pool));
    if (r.global.load(std::memory_order_acquire) != nullptr) return bits | check_all_kinds;
    for (tag_id t = id;; t = tag_parent(t)) {
        if (r.tag_budgets[t].load(std::memory_order_acquire) != nullptr) return bits | check_all_kinds;
        if (t == untagged) return bits;
    }
}

void refresh_checks(thread_diag& d) {
    const std::size_t tags = tag_count();
    for (std::size_t p = 0; p < counter_pages; ++p) {
        tag_counters* page = d.pages[p].load(std::memory_order_acquire);
        if (page == nullptr) continue;
        for (std::size_t i = 0; i < tags_per_page; ++i) {
            const std::size_t id = p * tags_per_page + i;
            if (id >= tags) break;
            if (page[i].check.load(std::memory_order_relaxed) & check_fresh)
                page[i].check.store(compute_check(d, static_cast<tag_id>(id)), std::memory_order_relaxed);
        }
    }
}

void refresh_all_checks() {
    for (thread_diag* d : registry().threads) refresh_checks(*d);
}

tag_counters& counters_for(thread_diag& d, tag_id id) {
    std::atomic<tag_counters*>& slot = d.pages[id / tags_per_page];
    tag_counters* page = slot.load(std::memory_order_acquire);
    tag_counters& c = page != nullptr ? page[id % tags_per_page] : [&]() -> tag_counters& {
        tag_counters* fresh = new tag_counters[tags_per_page];
        std::lock_guard lock(registry().mutex);  // collectors walk pages under the lock
        slot.store(fresh, std::memory_order_release);
        return fresh[id % tags_per_page];
    }();
    if (!(c.check.load(std::memory_order_relaxed) & check_fresh)) {
        std::lock_guard lock(registry().mutex);
        c.check.store(compute_check(d, id), std::memory_order_relaxed);
    }
    return c;
}

tag_counters* bind_diag_thread() noexcept {
    if (!(t_diag.cur->check.load(std::memory_order_relaxed) & check_unbound)) return t_diag.cur;
    try {
        thread_diag* d = bind_self();
        t_diag.cur = d != nullptr ? &counters_for(*d, t_diag.tag) : &t_private_sink;
    } catch (...) {
        t_diag.cur = &t_private_sink;  // out of memory: this thread's counts are lost, nothing breaks
    }
    return t_diag.cur;
}

void switch_tag(tag_id id) {
    t_diag.tag = id;
    if (t_diag.cur == &t_private_sink) return;
    thread_diag* d = bind_self();
    if (d == nullptr) return;
    t_diag.cur = &counters_for(*d, id);
}

}  // namespace framealloc::detail
