// The behaviour filter (modules/diagnostics/behavior_filter.cppm): per-frame rules over the merged
// statistics, with a streak per (code, subject). Runs once per end_frame, under its own mutex.
module;
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
module framealloc.report;

import framealloc.core;
import framealloc.diagnostics;

namespace framealloc {
namespace {

using key = std::pair<std::string_view, std::string>;

struct filter_state {
    std::atomic<bool> enabled{false};
    std::mutex mutex;
    behavior_thresholds thresholds;
    std::map<key, std::uint32_t> streaks;      // consecutive frames each pattern held, up to this frame
    std::map<key, std::size_t> reported;       // index into issues
    std::vector<behavior_issue> issues;
    std::deque<std::uint64_t> created_history;             // cumulative transfers created, recent frames
    std::map<std::string, std::uint64_t, std::less<>> soft_frames_seen;  // per budget name
};

filter_state& state() {
    static filter_state* s = new filter_state();  // never destroyed: end_frame may run during exit
    return *s;
}

std::string pct(double ratio) { return std::to_string(static_cast<int>(ratio * 100.0 + 0.5)) + " %"; }

// One frame's evaluation: every pattern that holds is noted in `now`.
class frame_rules {
public:
    frame_rules(filter_state& st, std::uint64_t frame) : st_(st), frame_(frame) {}

    void hold(std::string_view code, std::string subject, std::string message) {
        key k{code, std::move(subject)};
        const std::uint32_t streak = st_.streaks.contains(k) ? st_.streaks[k] + 1 : 1;
        now_[k] = streak;
        if (streak < st_.thresholds.frames) return;
        auto it = st_.reported.find(k);
        if (it == st_.reported.end()) {
            st_.reported.emplace(k, st_.issues.size());
            st_.issues.push_back(behavior_issue{code, k.second, std::move(message), frame_, frame_, 1});
        } else {
            behavior_issue& issue = st_.issues[it->second];
            issue.message = std::move(message);
            issue.last_frame = frame_;
            ++issue.frames;
        }
    }

    // Patterns that did not hold this frame lose their streak.
    void finish() { st_.streaks = std::move(now_); }

private:
    filter_state& st_;
    std::uint64_t frame_;
    std::map<key, std::uint32_t> now_;
};

void tag_rules(frame_rules& rules, const behavior_thresholds& t, const tag_stats& tag) {
    const std::string subject = tag.path.empty() ? std::string("(untagged)") : tag.path;
    const kind_stats& pool = tag.last_frame.pool;
    if (pool.allocations >= t.min_pool_allocations &&
        static_cast<double>(pool.frees) >= t.same_frame_free_ratio * static_cast<double>(pool.allocations)) {
        rules.hold(codes::behavior_pool_freed_same_frame, subject,
                   std::to_string(pool.frees) + " of " + std::to_string(pool.allocations) +
                       " pool allocations freed within the frame");
    }
    if (tag.last_frame.heap.allocations >= t.heap_allocations_per_frame) {
        rules.hold(codes::behavior_heap_in_hot_path, subject,
                   std::to_string(tag.last_frame.heap.allocations) + " heap allocations (" +
                       std::to_string(tag.last_frame.heap.bytes) + " bytes) in the frame");
    }
}

void pool_remote_rule(frame_rules& rules, const behavior_thresholds& t, const diagnostics_stats& s) {
    // A thread that frees more pool blocks than it allocated in the frame freed at least the excess for
    // other threads: a lower bound on the frame's cross-thread frees.
    std::uint64_t frees = 0, remote = 0;
    for (const thread_stats& th : s.threads) {
        const kind_stats& p = th.last_frame.pool;
        frees += p.frees;
        if (p.frees > p.allocations) remote += p.frees - p.allocations;
    }
    if (frees >= t.min_pool_frees && static_cast<double>(remote) >= t.remote_free_ratio * static_cast<double>(frees)) {
        rules.hold(codes::behavior_remote_frees, "pool",
                   "at least " + std::to_string(remote) + " of " + std::to_string(frees) + " pool frees (" +
                       pct(static_cast<double>(remote) / static_cast<double>(frees)) + ") on threads that did not allocate them");
    }
}

void transfer_rule(frame_rules& rules, filter_state& st, const frame_observation& o) {
    st.created_history.push_back(o.transfers_created);
    const std::size_t k = st.thresholds.frames;
    while (st.created_history.size() > k + 1) st.created_history.pop_front();
    if (st.created_history.size() <= k) return;
    const std::uint64_t created_k_ago = st.created_history.front();
    if (created_k_ago > o.transfers_done) {
        // Transfers resolved so far cannot cover those made k frames ago: that many are older than k frames.
        rules.hold(codes::behavior_retained_too_long, "transfers",
                   std::to_string(created_k_ago - o.transfers_done) + " transfers made " + std::to_string(k) +
                       " or more frames ago are neither received nor dropped");
    }
}

}  // namespace

void enable_behavior_filter(behavior_thresholds thresholds) {
    filter_state& st = state();
    std::lock_guard lock(st.mutex);
    if (thresholds.frames == 0) thresholds.frames = 1;
    st.thresholds = thresholds;
    st.streaks.clear();
    st.created_history.clear();
    st.enabled.store(true, std::memory_order_release);
}

void disable_behavior_filter() { state().enabled.store(false, std::memory_order_release); }
bool behavior_filter_enabled() noexcept { return state().enabled.load(std::memory_order_acquire); }

std::vector<behavior_issue> behavior_report() {
    filter_state& st = state();
    std::lock_guard lock(st.mutex);
    return st.issues;
}

void clear_behavior_report() {
    filter_state& st = state();
    std::lock_guard lock(st.mutex);
    st.issues.clear();
    st.reported.clear();
    st.streaks.clear();
}

namespace detail {

void observe_frame(const diagnostics_stats& s, const frame_observation& o) {
    filter_state& st = state();
    if (!st.enabled.load(std::memory_order_acquire)) return;
    std::lock_guard lock(st.mutex);
    const behavior_thresholds& t = st.thresholds;
    frame_rules rules(st, s.frames);
    for (const tag_stats& tag : s.tags) tag_rules(rules, t, tag);
    pool_remote_rule(rules, t, s);
    if (o.frame_upstream_allocations >= t.upstream_chunks_per_frame) {
        rules.hold(codes::behavior_arena_overflow, "frame arenas",
                   std::to_string(o.frame_upstream_allocations) + " upstream chunk/block calls in the frame");
    }
    transfer_rule(rules, st, o);
    const std::uint64_t frame_allocs = s.last_frame.frame.allocations;
    if (frame_allocs >= t.min_frame_allocations &&
        static_cast<double>(o.retained) >= t.survival_ratio * static_cast<double>(frame_allocs)) {
        rules.hold(codes::behavior_frame_survival, "frame",
                   std::to_string(o.retained) + " of " + std::to_string(frame_allocs) + " frame allocations retained");
    }
    if (o.promoted >= t.promotions_per_frame)
        rules.hold(codes::behavior_promotion_churn, "promotions", std::to_string(o.promoted) + " promotions in the frame");
    for (const budget_usage& b : budget_usages()) {
        if (b.name.substr(0, 4) != "tag ") continue;
        // soft_exceeded_frames grew since the last frame: the soft limit fired in this one.
        auto it = st.soft_frames_seen.try_emplace(std::string(b.name), 0).first;
        const bool fired = b.soft_exceeded_frames > it->second;
        it->second = b.soft_exceeded_frames;
        if (fired)
            rules.hold(codes::behavior_soft_budget, std::string(b.name),
                       "over its soft limit of " + std::to_string(b.soft_limit) + " bytes this frame");
    }
    rules.finish();
}

}  // namespace detail
}  // namespace framealloc
