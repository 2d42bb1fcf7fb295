// Global, per-tag and per-thread pool budgets (modules/diagnostics/budgets.cppm).
//
// Shared budgets (global, tag) are charged with a compare-and-swap loop on their per-frame counter:
// the refusal decision and the charge are one atomic step, so concurrent threads can never together
// pass a `fail` limit, and a request that fits is never refused because of another thread's refused
// request. Several budgets covering one request are charged innermost tag first, then the global one;
// a refusal or a throwing callback undoes the charges already made.
module;
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
module framealloc.diagnostics;

import framealloc.core;

namespace framealloc {
namespace {

using detail::shared_budget;

void report(budget_policy policy, const budget_limits& limits, const budget_event& e) {
    switch (policy) {
        case budget_policy::fail:
            throw budget_exceeded(e);
        case budget_policy::warn:
            std::fprintf(stderr, "framealloc %.*s: %.*s budget: %zu bytes with a request of %zu, limit %zu\n",
                         static_cast<int>(e.code.size()), e.code.data(), static_cast<int>(e.budget.size()),
                         e.budget.data(), e.used_after, e.requested, e.limit);
            return;
        case budget_policy::callback:
            if (limits.callback) limits.callback(e);
            return;
        case budget_policy::allow:
            return;
    }
}

// Charges `bytes` to b or throws budget_exceeded without charging.
void charge(shared_budget& b, std::size_t bytes) {
    const budget_limits& l = b.limits;
    std::uint64_t used = b.used.load(std::memory_order_relaxed);
    std::uint64_t after = 0;
    for (;;) {
        after = used + bytes;
        if (after > l.hard_limit && l.hard_policy == budget_policy::fail)
            throw budget_exceeded(budget_event{codes::budget_hard_limit, b.name, l.hard_limit, after, bytes});
        if (after > l.soft_limit && l.soft_policy == budget_policy::fail)
            throw budget_exceeded(budget_event{codes::budget_soft_limit, b.name, l.soft_limit, after, bytes});
        if (b.used.compare_exchange_weak(used, after, std::memory_order_relaxed)) break;
    }
    // A report that throws (a callback refusing) fails the request: the charge is undone and the
    // limit is not marked as fired, so the next crossing reports again.
    std::atomic<bool>* firing = nullptr;
    try {
        if (after > l.soft_limit && !b.soft_fired.exchange(true, std::memory_order_relaxed)) {
            firing = &b.soft_fired;
            report(l.soft_policy, l, budget_event{codes::budget_soft_limit, b.name, l.soft_limit, after, bytes});
            b.soft_frames.fetch_add(1, std::memory_order_relaxed);
        }
        if (after > l.hard_limit && !b.hard_fired.exchange(true, std::memory_order_relaxed)) {
            firing = &b.hard_fired;
            report(l.hard_policy, l, budget_event{codes::budget_hard_limit, b.name, l.hard_limit, after, bytes});
            b.hard_frames.fetch_add(1, std::memory_order_relaxed);
        }
    } catch (...) {
        if (firing != nullptr) firing->store(false, std::memory_order_relaxed);
        b.used.fetch_sub(bytes, std::memory_order_relaxed);
        throw;
    }
}

// The calling thread's pool budget, per frame, single-threaded; mirrors thread_frame_budget.
void check_thread_pool(detail::thread_diag& d, std::size_t bytes) {
    const budget_limits& l = *d.pool_budget;
    const std::uint64_t epoch = detail::registry().epoch.load(std::memory_order_acquire);
    if (d.pool_epoch != epoch) {
        d.pool_epoch = epoch;
        d.pool_used = 0;
        d.pool_soft_fired = false;
        d.pool_hard_fired = false;
    }
    const std::uint64_t after = d.pool_used + bytes;
    static constexpr std::string_view name = "thread pool";
    // Crossings are counted once per budget frame, whatever the policy does (a `fail` refuses again).
    if (!d.pool_soft_fired && after > l.soft_limit) {
        if (d.pool_soft_counted_epoch != epoch) {
            d.pool_soft_counted_epoch = epoch;
            d.pool_soft_frames.store(d.pool_soft_frames.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        }
        report(l.soft_policy, l, budget_event{codes::budget_soft_limit, name, l.soft_limit, after, bytes});
        d.pool_soft_fired = true;
    }
    if (after > l.hard_limit && (!d.pool_hard_fired || l.hard_policy == budget_policy::fail)) {
        if (d.pool_hard_counted_epoch != epoch) {
            d.pool_hard_counted_epoch = epoch;
            d.pool_hard_frames.store(d.pool_hard_frames.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        }
        report(l.hard_policy, l, budget_event{codes::budget_hard_limit, name, l.hard_limit, after, bytes});
        d.pool_hard_fired = true;
    }
}

void apply_budgets(memory_kind kind, std::size_t bytes) {
    detail::thread_diag* d = detail::t_diag.self;
    if (d == nullptr) return;  // diagnostics gone on this thread (exit) or never set up
    detail::diag_registry& r = detail::registry();
    // Evaluate the thread budget first without committing: commit only when every budget agreed.
    const std::uint64_t pool_before = d->pool_used;
    const bool soft_before = d->pool_soft_fired, hard_before = d->pool_hard_fired;
    if (kind == memory_kind::pool && d->pool_budget) check_thread_pool(*d, bytes);

    // Budgets charged so far, undone if a later one refuses (few: one per budgeted ancestor + global).
    shared_budget* charged[16];
    std::size_t n = 0;
    std::vector<shared_budget*> more;  // only for chains with more than 16 budgets
    auto charge_one = [&](shared_budget* b) {
        if (b == nullptr) return;
        charge(*b, bytes);
        if (n < 16) charged[n++] = b; else more.push_back(b);
    };
    try {
        for (tag_id t = detail::t_diag.tag;; t = tag_parent(t)) {
            charge_one(r.tag_budgets[t].load(std::memory_order_acquire));
            if (t == untagged) break;
        }
        charge_one(r.global.load(std::memory_order_acquire));
    } catch (...) {
        for (std::size_t i = 0; i < n; ++i) charged[i]->used.fetch_sub(bytes, std::memory_order_relaxed);
        for (shared_budget* b : more) b->used.fetch_sub(bytes, std::memory_order_relaxed);
        if (kind == memory_kind::pool && d->pool_budget) {
            d->pool_used = pool_before;
            d->pool_soft_fired = soft_before;
            d->pool_hard_fired = hard_before;
        }
        throw;
    }
    if (kind == memory_kind::pool && d->pool_budget) d->pool_used += bytes;
}

void install(std::atomic<shared_budget*>& slot, std::unique_ptr<shared_budget> b) {
    detail::diag_registry& r = detail::registry();
    std::lock_guard lock(r.mutex);
    shared_budget* raw = b.get();
    if (raw != nullptr) r.graveyard.push_back(std::move(b));
    slot.store(raw, std::memory_order_release);
    detail::refresh_all_checks();
}

}  // namespace

void set_global_budget(budget_limits limits) {
    auto b = std::make_unique<shared_budget>();
    b->name = "global";
    b->global = true;
    b->limits = std::move(limits);
    install(detail::registry().global, std::move(b));
}
void clear_global_budget() { install(detail::registry().global, nullptr); }

void set_tag_budget(tag_id id, budget_limits limits) {
    auto b = std::make_unique<shared_budget>();
    b->name = "tag " + std::string(tag_path(id));
    b->tag = id;
    b->limits = std::move(limits);
    install(detail::registry().tag_budgets[id], std::move(b));
}
void set_tag_budget(std::string_view path, budget_limits limits) { set_tag_budget(intern_tag(path), std::move(limits)); }
void clear_tag_budget(tag_id id) {
    (void)tag_path(id);
    install(detail::registry().tag_budgets[id], nullptr);
}

void set_thread_pool_budget(budget_limits limits) {
    detail::tag_counters* c = detail::bind_diag_thread();
    (void)c;
    detail::thread_diag* d = detail::t_diag.self;
    if (d == nullptr) return;
    const thread_budget_figures shown{limits.soft_limit, limits.hard_limit, 0, 0};
    d->pool_budget = std::make_unique<budget_limits>(std::move(limits));
    d->pool_epoch = 0;  // starts counting afresh
    d->pool_soft_counted_epoch = 0;
    d->pool_hard_counted_epoch = 0;
    std::lock_guard lock(detail::registry().mutex);
    d->pool_budget_shown = shown;
    d->pool_soft_frames.store(0, std::memory_order_relaxed);
    d->pool_hard_frames.store(0, std::memory_order_relaxed);
    detail::refresh_checks(*d);
}

void clear_thread_pool_budget() {
    detail::thread_diag* d = detail::t_diag.self;
    if (d == nullptr) return;
    d->pool_budget.reset();
    std::lock_guard lock(detail::registry().mutex);
    d->pool_budget_shown.reset();
    detail::refresh_checks(*d);
}

std::vector<budget_usage> budget_usages() {
    detail::diag_registry& r = detail::registry();
    std::vector<budget_usage> out;
    auto add = [&](const shared_budget* b) {
        if (b == nullptr) return;
        out.push_back(budget_usage{b->name, b->used.load(std::memory_order_relaxed), b->limits.soft_limit,
                                   b->limits.hard_limit, b->soft_frames.load(std::memory_order_relaxed),
                                   b->hard_frames.load(std::memory_order_relaxed)});
    };
    std::lock_guard lock(r.mutex);
    add(r.global.load(std::memory_order_acquire));
    for (std::size_t t = 0; t < tag_count(); ++t) add(r.tag_budgets[t].load(std::memory_order_acquire));
    return out;
}

namespace detail {

void count_slow(memory_kind kind, std::size_t bytes) {
    if (t_diag.cur->check.load(std::memory_order_relaxed) & check_unbound) (void)bind_diag_thread();
    apply_budgets(kind, bytes);
}

void refund_slow(memory_kind kind, std::size_t bytes) noexcept {
    thread_diag* d = t_diag.self;
    if (d == nullptr) return;
    diag_registry& r = registry();
    for (tag_id t = t_diag.tag;; t = tag_parent(t)) {
        if (shared_budget* b = r.tag_budgets[t].load(std::memory_order_acquire))
            b->used.fetch_sub(bytes, std::memory_order_relaxed);
        if (t == untagged) break;
    }
    if (shared_budget* g = r.global.load(std::memory_order_acquire)) g->used.fetch_sub(bytes, std::memory_order_relaxed);
    if (kind == memory_kind::pool && d->pool_budget && d->pool_used >= bytes) d->pool_used -= bytes;
}

bool try_count_slow(memory_kind kind, std::size_t bytes) noexcept {
    try {
        count_slow(kind, bytes);
        return true;
    } catch (...) {
        return false;
    }
}

void budgets_end_frame() {
    diag_registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto restart = [](shared_budget* b) {
        if (b == nullptr) return;
        b->used.store(0, std::memory_order_relaxed);
        b->soft_fired.store(false, std::memory_order_relaxed);
        b->hard_fired.store(false, std::memory_order_relaxed);
    };
    restart(r.global.load(std::memory_order_acquire));
    // Only the tags interned so far can carry a budget: walking all max_tags slots would cost 4096
    // loads per frame, a large share of a small frame.
    const std::size_t tags = tag_count();
    for (std::size_t t = 0; t < tags; ++t) restart(r.tag_budgets[t].load(std::memory_order_acquire));
    r.epoch.fetch_add(1, std::memory_order_release);
}

}  // namespace detail
}  // namespace framealloc
