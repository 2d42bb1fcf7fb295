// Collecting statistics (modules/diagnostics/stats.cppm): a walk over every thread's counter pages
// under the registry mutex, O(threads x tags used).
module;
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>
module framealloc.diagnostics;

import framealloc.core;

namespace framealloc {
namespace {

kind_stats read(const detail::kind_counters& k) noexcept {
    return kind_stats{k.allocations.get(), k.bytes.get(), k.frees.get(), k.freed_bytes.get()};
}

usage_stats read(const detail::tag_counters& c) noexcept {
    usage_stats u;
    u.frame = read(c.kinds[0]);
    u.pool = read(c.kinds[1]);
    u.heap = read(c.kinds[2]);
    return u;
}

// Adds d's counts per tag into by_tag (sized tag_count) and returns d's total. Registry mutex held.
usage_stats add_thread(const detail::thread_diag& d, std::vector<usage_stats>& by_tag) {
    usage_stats total;
    for (std::size_t p = 0; p < detail::counter_pages; ++p) {
        const detail::tag_counters* page = d.pages[p].load(std::memory_order_acquire);
        if (page == nullptr) continue;
        for (std::size_t i = 0; i < detail::tags_per_page; ++i) {
            const std::size_t id = p * detail::tags_per_page + i;
            if (id >= by_tag.size()) break;
            const usage_stats u = read(page[i]);
            by_tag[id] += u;
            total += u;
        }
    }
    return total;
}

// Folds exited threads into the retired totals and frees them; returns their indices. Registry mutex held.
std::vector<std::uint32_t> fold_exited(detail::diag_registry& r) {
    std::vector<std::uint32_t> folded;
    if (r.retired_tags.size() < tag_count()) r.retired_tags.resize(tag_count());
    auto keep = std::partition(r.threads.begin(), r.threads.end(), [](const detail::thread_diag* d) { return !d->exit_seen; });
    for (auto it = keep; it != r.threads.end(); ++it) {
        folded.push_back((*it)->index);
        r.retired_threads += add_thread(**it, r.retired_tags);
        delete *it;
    }
    r.threads.erase(keep, r.threads.end());
    return folded;
}

}  // namespace

void set_thread_name(std::string_view name) {
    (void)detail::bind_diag_thread();
    detail::thread_diag* d = detail::t_diag.self;
    if (d == nullptr) return;
    std::lock_guard lock(detail::registry().mutex);
    d->name = std::string(name);
}

diagnostics_stats collect_stats() {
    detail::diag_registry& r = detail::registry();
    diagnostics_stats s;
    std::lock_guard lock(r.mutex);
    const std::size_t tags = tag_count();
    std::vector<usage_stats> by_tag(tags);
    for (std::size_t t = 0; t < tags && t < r.retired_tags.size(); ++t) by_tag[t] = r.retired_tags[t];
    if (r.retired_threads.allocations() != 0) {
        thread_stats retired;
        retired.index = 0;
        retired.name = "(exited threads)";
        retired.exited = true;
        retired.total = r.retired_threads;
        s.threads.push_back(std::move(retired));
    }
    for (const detail::thread_diag* d : r.threads) {
        thread_stats t;
        t.index = d->index;
        t.name = d->name;
        t.exited = d->exited;
        t.total = add_thread(*d, by_tag);
        s.threads.push_back(std::move(t));
    }
    s.tags.reserve(tags);
    for (std::size_t t = 0; t < tags; ++t) {
        tag_stats ts;
        ts.id = static_cast<tag_id>(t);
        ts.path = std::string(tag_path(ts.id));
        ts.total = by_tag[t];
        s.total += by_tag[t];
        s.tags.push_back(std::move(ts));
    }
    s.pool_live_bytes = s.total.pool.bytes - s.total.pool.freed_bytes;
    s.heap_live_bytes = s.total.heap.bytes - s.total.heap.freed_bytes;
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
    diagnostics_stats s = collect_stats();
    s.frames = last_.frames + 1;
    s.last_frame = s.total - last_.total;
    s.peak_frame_bytes = std::max(last_.peak_frame_bytes, s.last_frame.allocated_bytes());
    s.peak_pool_live_bytes = std::max(last_.peak_pool_live_bytes, s.pool_live_bytes);
    s.peak_heap_live_bytes = std::max(last_.peak_heap_live_bytes, s.heap_live_bytes);
    for (tag_stats& t : s.tags) {
        const tag_stats* prev = t.id < last_.tags.size() ? &last_.tags[t.id] : nullptr;
        t.last_frame = prev != nullptr ? t.total - prev->total : t.total;
        t.peak_frame_bytes = std::max(prev != nullptr ? prev->peak_frame_bytes : 0, t.last_frame.allocated_bytes());
    }
    for (thread_stats& t : s.threads) {
        const thread_stats* prev = nullptr;
        for (const thread_stats& p : last_.threads)
            if (p.index == t.index) prev = &p;
        t.last_frame = prev != nullptr ? t.total - prev->total : t.total;
        t.peak_frame_bytes = std::max(prev != nullptr ? prev->peak_frame_bytes : 0, t.last_frame.allocated_bytes());
    }
    last_ = std::move(s);
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

frame_tracker::frame_tracker() : last_(collect_stats()) {}

}  // namespace framealloc
