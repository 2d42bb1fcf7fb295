// Per-thread frame budgets: how many bytes of frame memory one thread may take in one frame.
//
// smart_alloc::set_thread_frame_budget(limits) installs, on the calling thread's arena, a soft and a
// hard limit on the bytes that thread takes from frame memory during a frame (alignment padding
// included, as bytes_used() counts). Enforcement costs the fast path nothing: the arena's bump limit
// is lowered to where the next limit would be crossed, and only then does the slow path ask this
// budget, so the check is exact: a request that ends exactly at the limit succeeds, one byte more does
// not. The soft limit fires its policy at most once per frame; past the hard limit, `fail` refuses every
// request that would cross it, while the other policies report once and let the frame go on.
// State is per thread: no shared counter, no atomic.
module;
#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>
#include <utility>
export module framealloc.threading:thread_budget;

import framealloc.core;
import framealloc.arena;
import framealloc.diagnostics;

export namespace framealloc::detail {

class thread_frame_budget final : public budget_watch {
public:
    explicit thread_frame_budget(budget_limits limits) : limits_(std::move(limits)) {}

    std::size_t frame_start() noexcept override {
        soft_fired_ = false;
        hard_fired_ = false;
        soft_counted_ = false;
        hard_counted_ = false;
        return next_watch();
    }

    std::size_t exceeded(std::size_t used_after, std::size_t requested) override {
        // Crossings count once per frame, whatever the policy does (a `fail` refuses again and again).
        if (used_after > limits_.soft_limit && !soft_counted_) {
            soft_counted_ = true;
            ++figures_.soft_exceeded_frames;
        }
        if (used_after > limits_.hard_limit && !hard_counted_) {
            hard_counted_ = true;
            ++figures_.hard_exceeded_frames;
        }
        if (!soft_fired_ && used_after > limits_.soft_limit) {
            // Marked after the policy: a soft `fail` refuses every request that would cross it.
            apply(limits_.soft_policy, budget_event{codes::budget_soft_limit, "thread frame", limits_.soft_limit, used_after, requested});
            soft_fired_ = true;
        }
        if (used_after > limits_.hard_limit) {
            apply(limits_.hard_policy, budget_event{codes::budget_hard_limit, "thread frame", limits_.hard_limit, used_after, requested});
            hard_fired_ = true;  // reached only when the policy let the request through
        }
        return next_watch();
    }

    [[nodiscard]] const budget_limits& limits() const noexcept { return limits_; }
    // Read at frame boundaries (snapshots), like the arena's other figures.
    [[nodiscard]] std::optional<thread_budget_figures> figures() const noexcept override { return figures_; }

private:
    // The next byte count at which the arena must ask again.
    [[nodiscard]] std::size_t next_watch() const noexcept {
        if (!soft_fired_ && limits_.soft_limit < limits_.hard_limit) return limits_.soft_limit;
        if (!hard_fired_ || limits_.hard_policy == budget_policy::fail) return limits_.hard_limit;
        return no_watch;
    }

    void apply(budget_policy policy, const budget_event& e) {
        switch (policy) {
            case budget_policy::fail:
                throw budget_exceeded(e);
            case budget_policy::warn:
                std::fprintf(stderr, "framealloc %.*s: %.*s budget: %zu bytes with a request of %zu, limit %zu\n",
                             static_cast<int>(e.code.size()), e.code.data(), static_cast<int>(e.budget.size()),
                             e.budget.data(), e.used_after, e.requested, e.limit);
                return;
            case budget_policy::callback:
                if (limits_.callback) limits_.callback(e);
                return;
            case budget_policy::allow:
                return;
        }
    }

    budget_limits limits_;
    thread_budget_figures figures_{limits_.soft_limit, limits_.hard_limit, 0, 0};
    bool soft_fired_ = false;
    bool hard_fired_ = false;
    bool soft_counted_ = false;
    bool hard_counted_ = false;
};

}  // namespace framealloc::detail
