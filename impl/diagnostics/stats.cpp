// Collecting statistics (modules/diagnostics/stats.cppm): a walk over every thread's counter pages
// under the registry mutex, O(threads x tags used). frame_tracker::end_frame collects into the
// statistics of two frames ago (vectors and strings keep their capacity), so a frame end allocates
// nothing once the set of threads and tags stops growing.
module;
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
module framealloc.diagnostics;

import framealloc.core;

namespace framealloc {
namespace {

kind_stats read(const detail::kind_counters& k) noexcept {
    return kind_stats{k.allocated.count(), k.allocated.bytes(), k.freed.count(), k.freed.bytes()};
}

usage_stats read(const detail::tag_counters& c) noexcept {
    usage_stats u;
    u.frame = read(c.kinds[0]);
    u.pool = read(c.kinds[1]);
    u.heap = read(c.kinds[2]);
    return u;
}

// Hands add_to_tag(id, counts) d's counts for each of the first `tags` tag ids it has counted under and
// returns d's total; pages past the last interned tag are not visited. Registry mutex held.
template <class Add>
usage_stats add_thread(const detail::thread_diag& d, std::size_t tags, Add&& add_to_tag) {
    usage_stats total;
    const std::size_t pages = (tags + detail::tags_per_page - 1) / detail::tags_per_page;
    for (std::size_t p = 0; p < pages && p < detail::counter_pages; ++p) {
        const detail::tag_counters* page = d.pages[p].load(std::memory_order_acquire);
        if (page == nullptr) continue;
        const std::size_t first = p * detail::tags_per_page;
        const std::size_t n = std::min(detail::tags_per_page, tags - first);
        for (std::size_t i = 0; i < n; ++i) {
            const usage_stats u = read(page[i]);
            add_to_tag(first + i, u);
            total += u;
        }
    }
    return total;
}

// The same, added into by_tag (sized tag_count).
usage_stats add_thread(const detail::thread_diag& d, std::vector<usage_stats>& by_tag) {
    return add_thread(d, by_tag.size(), [&](std::size_t id, const usage_stats& u) { by_tag[id] += u; });
}

// Folds exited threads into the retired totals and frees them; returns their indices (with those
// folded at their exit since the last call). Registry mutex held. Everything that can throw runs
// before the first record is freed: a bad_alloc leaves the registry as it was.
std::vector<std::uint32_t> fold_exited(detail::diag_registry& r) {
    auto keep = std::partition(r.threads.begin(), r.threads.end(), [](const detail::thread_diag* d) { return !d->exit_seen; });
    std::vector<std::uint32_t> folded;
    folded.reserve(static_cast<std::size_t>(r.threads.end() - keep) + r.folded_at_exit.size());
    if (r.retired_tags.size() < tag_count()) r.retired_tags.resize(tag_count());
    folded.assign(r.folded_at_exit.begin(), r.folded_at_exit.end());
    for (auto it = keep; it != r.threads.end(); ++it) {
        folded.push_back((*it)->index);  // within the reserved capacity: no allocation
        r.retired_threads += add_thread(**it, r.retired_tags);
        if ((*it)->exited && r.exited_waiting != 0) --r.exited_waiting;
        delete *it;
    }
    r.threads.erase(keep, r.threads.end());
    r.folded_at_exit.clear();
    return folded;
}

}  // namespace

namespace detail {
void retire_thread_locked(diag_registry& r, thread_diag* d) {
    if (r.retired_tags.size() < tag_count()) r.retired_tags.resize(tag_count());
    if (r.trackers != 0) r.folded_at_exit.push_back(d->index);
    r.retired_threads += add_thread(*d, r.retired_tags);
    std::erase(r.threads, d);
    delete d;
}
}  // namespace detail

void set_thread_name(std::string_view name) {
    (void)detail::bind_diag_thread();
    detail::thread_diag* d = detail::t_diag.self;
    if (d == nullptr) return;
    std::lock_guard lock(detail::registry().mutex);
    d->name = std::string(name);
}

std::uint32_t current_thread_index() noexcept {
    (void)detail::bind_diag_thread();
    const detail::thread_diag* d = detail::t_diag.self;
    return d != nullptr ? d->index : 0;
}

void collect_stats(diagnostics_stats& s) {
    detail::diag_registry& r = detail::registry();
    std::lock_guard lock(r.mutex);
    const std::size_t tags = tag_count();
    s.tags.resize(tags);
    for (std::size_t t = 0; t < tags; ++t) {
        tag_stats& ts = s.tags[t];
        ts.id = static_cast<tag_id>(t);
        const std::string_view path = tag_path(ts.id);  // a table read; copied only when it differs
        if (ts.path != path) ts.path.assign(path);
        ts.total = t < r.retired_tags.size() ? r.retired_tags[t] : usage_stats{};
        ts.last_frame = usage_stats{};
        ts.peak_frame_bytes = 0;
        ts.lifetime = {};
    }
    const bool retired = r.retired_threads.allocations() != 0;
    s.threads.resize((retired ? 1 : 0) + r.threads.size());
    std::size_t k = 0;
    const auto fill = [&](std::uint32_t index, std::string_view name, bool exited) -> thread_stats& {
        thread_stats& t = s.threads[k++];
        t.index = index;
        if (t.name != name) t.name.assign(name);
        t.exited = exited;
        t.last_frame = usage_stats{};
        t.peak_frame_bytes = 0;
        t.pool_budget.reset();
        return t;
    };
    if (retired) fill(0, "(exited threads)", true).total = r.retired_threads;
    for (const detail::thread_diag* d : r.threads) {
        thread_stats& t = fill(d->index, d->name, d->exited);
        t.total = add_thread(*d, tags, [&](std::size_t id, const usage_stats& u) { s.tags[id].total += u; });
        if (d->pool_budget_shown) {
            t.pool_budget = *d->pool_budget_shown;
            t.pool_budget->soft_exceeded_frames = d->pool_soft_frames.load(std::memory_order_relaxed);
            t.pool_budget->hard_exceeded_frames = d->pool_hard_frames.load(std::memory_order_relaxed);
        }
    }
    s.total = usage_stats{};
    for (const tag_stats& t : s.tags) s.total += t.total;
    s.frames = 0;
    s.last_frame = usage_stats{};
    s.peak_frame_bytes = 0;
    s.pool_live_bytes = s.total.pool.bytes - s.total.pool.freed_bytes;
    s.heap_live_bytes = s.total.heap.bytes - s.total.heap.freed_bytes;
    s.peak_pool_live_bytes = 0;
    s.peak_heap_live_bytes = 0;
}

diagnostics_stats collect_stats() {
    diagnostics_stats s;
    collect_stats(s);
    return s;
}

diagnostics_stats frame_tracker::current() const {
    diagnostics_stats s = collect_stats();
    s.frames = last_.frames;
    s.last_frame = last_.last_frame;
    s.peak_frame_bytes = last_.peak_frame_bytes;
    s.peak_pool_live_bytes = std::max(last_.peak_pool_live_bytes, s.pool_live_bytes);
    s.peak_heap_live_bytes = std::max(last_.peak_heap_live_bytes, s.heap_live_bytes);
    for (tag_stats& t : s.tags) {
        if (t.id < last_.tags.size()) {
            t.last_frame = last_.tags[t.id].last_frame;
            t.peak_frame_bytes = last_.tags[t.id].peak_frame_bytes;
            t.lifetime = last_.tags[t.id].lifetime;
        }
    }
    for (thread_stats& t : s.threads) {
        for (const thread_stats& p : last_.threads) {
            if (p.index == t.index) {
                t.last_frame = p.last_frame;
                t.peak_frame_bytes = p.peak_frame_bytes;
            }
        }
    }
    return s;
}

const diagnostics_stats& frame_tracker::end_frame() {
    // A thread that exited is listed on its own (exited = true) in the frame it exited in; at the
    // following end it is folded into "(exited threads)", its figures at the last end moving into that
    // entry's baseline, so every per-frame figure lands in the frame it happened in.
    std::vector<std::uint32_t> folded;
    {
        detail::diag_registry& r = detail::registry();
        std::lock_guard lock(r.mutex);
        folded = fold_exited(r);
    }
    if (!folded.empty()) {
        thread_stats* aggregate = nullptr;
        for (thread_stats& p : last_.threads)
            if (p.index == 0) aggregate = &p;
        if (aggregate == nullptr) {
            thread_stats a;
            a.name = "(exited threads)";
            a.exited = true;
            last_.threads.insert(last_.threads.begin(), std::move(a));
            aggregate = &last_.threads.front();
        }
        for (const thread_stats& p : last_.threads)
            if (p.index != 0 && std::find(folded.begin(), folded.end(), p.index) != folded.end()) aggregate->total += p.total;
    }
    diagnostics_stats& s = next_;  // last frame's storage but one: filled in place, no allocation
    collect_stats(s);
    s.frames = last_.frames + 1;
    s.last_frame = s.total - last_.total;
    s.peak_frame_bytes = std::max(last_.peak_frame_bytes, s.last_frame.allocated_bytes());
    s.peak_pool_live_bytes = std::max(last_.peak_pool_live_bytes, s.pool_live_bytes);
    s.peak_heap_live_bytes = std::max(last_.peak_heap_live_bytes, s.heap_live_bytes);
    for (tag_stats& t : s.tags) {
        const tag_stats* prev = t.id < last_.tags.size() ? &last_.tags[t.id] : nullptr;
        t.last_frame = prev != nullptr ? t.total - prev->total : t.total;
        t.peak_frame_bytes = std::max(prev != nullptr ? prev->peak_frame_bytes : 0, t.last_frame.allocated_bytes());
        for (std::size_t k = 0; k < t.lifetime.size(); ++k) {
            lifetime_sums sums = prev != nullptr ? prev->lifetime[k] : lifetime_sums{};
            const kind_stats& f = t.last_frame[static_cast<memory_kind>(k)];
            sums.allocations += f.allocations;
            sums.frees += f.frees;
            sums.allocation_frames += f.allocations * s.frames;
            sums.free_frames += f.frees * s.frames;
            t.lifetime[k] = sums;
        }
    }
    for (thread_stats& t : s.threads) {
        const thread_stats* prev = nullptr;
        for (const thread_stats& p : last_.threads)
            if (p.index == t.index) prev = &p;
        t.last_frame = prev != nullptr ? t.total - prev->total : t.total;
        t.peak_frame_bytes = std::max(prev != nullptr ? prev->peak_frame_bytes : 0, t.last_frame.allocated_bytes());
    }
    std::swap(last_, next_);
    {
        detail::diag_registry& r = detail::registry();
        std::lock_guard lock(r.mutex);
        for (const thread_stats& t : last_.threads)
            for (detail::thread_diag* d : r.threads)
                if (d->index == t.index && t.exited) d->exit_seen = true;
    }
    detail::budgets_end_frame();
    return last_;
}

frame_tracker::frame_tracker() : last_(collect_stats()) {
    detail::diag_registry& r = detail::registry();
    std::lock_guard lock(r.mutex);
    ++r.trackers;
}

frame_tracker::~frame_tracker() {
    detail::diag_registry& r = detail::registry();
    std::lock_guard lock(r.mutex);
    if (--r.trackers == 0) r.folded_at_exit.clear();  // nobody left to attribute them per frame
}

std::optional<double> average_lifetime_frames(const lifetime_sums& s, std::uint64_t now) noexcept {
    if (s.allocations == 0) return std::nullopt;
    const double allocations = static_cast<double>(s.allocations);
    const double frees = static_cast<double>(std::min(s.frees, s.allocations));
    const double free_frames =
        s.frees <= s.allocations ? static_cast<double>(s.free_frames)
                                 : static_cast<double>(s.free_frames) * frees / static_cast<double>(s.frees);
    const double live = allocations - frees;
    const double total = free_frames + live * static_cast<double>(now) - static_cast<double>(s.allocation_frames) + allocations;
    return std::max(1.0, total / allocations);
}

}  // namespace framealloc
