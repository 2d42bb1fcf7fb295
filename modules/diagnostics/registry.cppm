// The process-wide registry behind statistics and budgets: every thread's counter pages, the budgets
// in force, the budget frame. Internal (detail); the public faces are :stats and :budgets.
//
// Locking: `mutex` guards the thread list, page creation, budget installation and the recomputation of
// check bits. Counter values are single-writer atomics read without it. Budgets are published through
// atomic pointers and never freed (a replaced budget stays in `graveyard`), so the slow path reads them
// without the lock.
module;
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
export module framealloc.diagnostics:registry;

import framealloc.core;
import :tags;
import :counters;
import :stats;

export namespace framealloc::detail {

inline constexpr std::size_t tags_per_page = 64;
inline constexpr std::size_t counter_pages = max_tags / tags_per_page;

struct thread_diag {
    std::uint32_t index = 0;
    std::string name;      // under the registry mutex
    bool exited = false;   // under the registry mutex
    bool exit_seen = false;  // exited before the last frame_tracker::end_frame (folded at the next one)
    std::array<std::atomic<tag_counters*>, counter_pages> pages{};

    // The thread's pool budget: written and read by the owner thread only.
    std::unique_ptr<budget_limits> pool_budget;
    std::uint64_t pool_epoch = 0;
    std::uint64_t pool_used = 0;
    bool pool_soft_fired = false;
    bool pool_hard_fired = false;
    // What statistics show of it: the limits (under the registry mutex) and the frames in which each
    // limit was crossed (written by the owner, read under the mutex by collect_stats()).
    std::optional<thread_budget_figures> pool_budget_shown;
    std::uint64_t pool_soft_counted_epoch = 0;  // owner only: the budget frame last counted
    std::uint64_t pool_hard_counted_epoch = 0;
    std::atomic<std::uint64_t> pool_soft_frames{0};
    std::atomic<std::uint64_t> pool_hard_frames{0};

    ~thread_diag() {
        for (auto& p : pages) delete[] p.load(std::memory_order_relaxed);
    }
};

struct shared_budget {
    std::string name;  // "global" or "tag <path>"
    tag_id tag = untagged;
    bool global = false;
    budget_limits limits;
    std::atomic<std::uint64_t> used{0};
    std::atomic<bool> soft_fired{false};
    std::atomic<bool> hard_fired{false};
    std::atomic<std::uint64_t> soft_frames{0};
    std::atomic<std::uint64_t> hard_frames{0};
};

struct diag_registry {
    std::mutex mutex;
    std::vector<thread_diag*> threads;
    std::uint32_t next_index = 1;
    std::vector<usage_stats> retired_tags;  // by tag id: counts of exited threads, folded in
    usage_stats retired_threads;
    // Exited threads' records are folded into the retired totals and freed by the next
    // frame_tracker::end_frame(), which lists them as exited for one frame first. A thread that exits
    // while no frame_tracker exists, or while many exited threads wait already, is folded at its exit
    // instead, so that thread churn keeps memory bounded whatever the program calls; its index waits
    // in folded_at_exit for the trackers' next end_frame (4 bytes a thread, only while trackers exist).
    std::size_t trackers = 0;
    std::size_t exited_waiting = 0;
    std::vector<std::uint32_t> folded_at_exit;

    std::atomic<std::uint64_t> epoch{1};  // budget frame
    std::atomic<shared_budget*> global{nullptr};
    std::array<std::atomic<shared_budget*>, max_tags> tag_budgets{};
    std::vector<std::unique_ptr<shared_budget>> graveyard;  // every budget ever installed
};

[[nodiscard]] diag_registry& registry() noexcept;

// The calling thread's counters for `id` (its page created on first use). Caller holds no lock.
[[nodiscard]] tag_counters& counters_for(thread_diag& d, tag_id id);
// Check bits of (thread, tag) against the budgets in force. Caller holds the registry mutex.
[[nodiscard]] std::uint8_t compute_check(const thread_diag& d, tag_id id);
// Folds d's counts into the retired totals, removes it from the thread list and frees it. Registry
// mutex held. Throws std::bad_alloc (nothing changed) when the retired tag table cannot grow.
void retire_thread_locked(diag_registry& r, thread_diag* d);
// Recomputes the check bits of every fresh counters block of `d` (all threads: refresh_all_checks).
void refresh_checks(thread_diag& d);
void refresh_all_checks();
// Per-allocation profiler hooks are installed (profiler_hooks.cpp).
[[nodiscard]] bool per_allocation_hooks() noexcept;

}  // namespace framealloc::detail
