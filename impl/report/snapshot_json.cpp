// snapshot -> JSON, member by member in the model's declaration order (the schema's order).
module;
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
module framealloc.report;

import framealloc.core;
import framealloc.diagnostics;

namespace framealloc {

std::uint64_t budget_percent(std::uint64_t used, std::uint64_t limit) noexcept {
    if (limit == 0) return used == 0 ? 0 : UINT64_MAX;
    const unsigned __int128 p = static_cast<unsigned __int128>(used) * 100 / limit;
    return p > UINT64_MAX ? UINT64_MAX : static_cast<std::uint64_t>(p);
}

std::string format_timestamp(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto ms = floor<milliseconds>(t);
    const auto day = floor<days>(ms);
    const year_month_day ymd{day};
    const hh_mm_ss hms{ms - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
    return buf;
}

namespace {

template <class T>
void optional_member(json_writer& w, std::string_view name, const std::optional<T>& v) {
    w.key(name);
    if (v)
        w.value(*v);
    else
        w.value(nullptr);
}

void write_budget_usage(json_writer& w, const thread_budget_usage& b) {
    w.begin_object()
        .member("limit", b.limit)
        .member("used", b.used)
        .member("percent", b.percent)
        .end_object();
}

void write_summary(json_writer& w, const snapshot_summary& s) {
    w.begin_object()
        .member("frame_bytes", s.frame_bytes)
        .member("pool_bytes", s.pool_bytes)
        .member("heap_bytes", s.heap_bytes)
        .member("total_bytes", s.total_bytes)
        .member("peak_bytes", s.peak_bytes)
        .end_object();
}

void write_thread(json_writer& w, const thread_snapshot& t) {
    w.begin_object()
        .member("id", t.id)
        .member("name", t.name)
        .member("frame_bytes", t.frame_bytes)
        .member("pool_bytes", t.pool_bytes)
        .member("heap_bytes", t.heap_bytes)
        .member("peak_bytes", t.peak_bytes);
    for (const auto& [key, budget] : {std::pair{"budget", &t.budget}, std::pair{"pool_budget", &t.pool_budget}}) {
        w.key(key);
        if (*budget)
            write_budget_usage(w, **budget);
        else
            w.value(nullptr);
    }
    w.end_object();
}

void write_tag(json_writer& w, const tag_snapshot& t) {
    w.begin_object()
        .member("path", t.path)
        .member("thread", t.thread)
        .member("alloc_kind", t.alloc_kind)
        .member("alloc_count", t.alloc_count)
        .member("bytes", t.bytes);
    optional_member(w, "avg_lifetime_frames", t.avg_lifetime_frames);
    optional_member(w, "promotion_rate", t.promotion_rate);
    w.key("diagnostics").begin_array();
    for (const std::string& code : t.diagnostics) w.value(code);
    w.end_array();
    w.end_object();
}

void write_diagnostic(json_writer& w, const diagnostic_snapshot& d) {
    w.begin_object().member("code", d.code);
    optional_member(w, "tag", d.tag);
    w.member("message", d.message).member("severity", d.severity).member("count", d.count).end_object();
}

void write_resources(json_writer& w, const resources_snapshot& r) {
    w.begin_object();
    w.key("frame")
        .begin_object()
        .member("threads", r.frame.threads)
        .member("bytes_used", r.frame.bytes_used)
        .member("bytes_reserved", r.frame.bytes_reserved)
        .member("spare_bytes", r.frame.spare_bytes)
        .member("chunk_count", r.frame.chunk_count)
        .member("large_block_count", r.frame.large_block_count)
        .member("peak_bytes_used", r.frame.peak_bytes_used)
        .member("upstream_allocations", r.frame.upstream_allocations)
        .member("upstream_deallocations", r.frame.upstream_deallocations)
        .end_object();
    w.key("pool")
        .begin_object()
        .member("threads", r.pool.threads)
        .member("slab_count", r.pool.slab_count)
        .member("slab_bytes", r.pool.slab_bytes)
        .member("peak_slab_bytes", r.pool.peak_slab_bytes)
        .member("slabs_released", r.pool.slabs_released)
        .member("heap_allocations", r.pool.heap_allocations)
        .member("heap_deallocations", r.pool.heap_deallocations)
        .member("heap_bytes", r.pool.heap_bytes)
        .end_object();
    w.key("heap")
        .begin_object()
        .member("allocations", r.heap.allocations)
        .member("deallocations", r.heap.deallocations)
        .member("live_bytes", r.heap.live_bytes)
        .member("peak_bytes", r.heap.peak_bytes)
        .end_object();
    w.end_object();
}

void write_budget(json_writer& w, const budget_snapshot& b) {
    w.begin_object().member("scope", b.scope).member("name", b.name).member("kind", b.kind).member("used", b.used);
    optional_member(w, "soft_limit", b.soft_limit);
    optional_member(w, "hard_limit", b.hard_limit);
    w.member("soft_exceeded", b.soft_exceeded).member("hard_exceeded", b.hard_exceeded).end_object();
}

}  // namespace

void write_json(json_writer& w, const snapshot& s) {
    w.begin_object()
        .member("version", s.version)
        .member("timestamp", format_timestamp(s.timestamp))
        .member("frame", s.frame)
        .member("duration_us", s.duration_us)
        .member("frame_open", s.frame_open);
    w.key("summary");
    write_summary(w, s.summary);
    w.key("threads").begin_array();
    for (const thread_snapshot& t : s.threads) write_thread(w, t);
    w.end_array();
    w.key("tags").begin_array();
    for (const tag_snapshot& t : s.tags) write_tag(w, t);
    w.end_array();
    w.key("promotions")
        .begin_object()
        .member("to_pool", s.promotions.to_pool)
        .member("to_heap", s.promotions.to_heap)
        .member("failed", s.promotions.failed)
        .member("to_scratch", s.promotions.to_scratch)
        .member("discarded", s.promotions.discarded)
        .end_object();
    w.key("transfers")
        .begin_object()
        .member("pending", s.transfers.pending)
        .member("completed_this_frame", s.transfers.completed_this_frame)
        .member("created", s.transfers.created)
        .member("received", s.transfers.received)
        .member("dropped", s.transfers.dropped)
        .member("bytes_created", s.transfers.bytes_created)
        .end_object();
    w.key("depot")
        .begin_object()
        .member("blocks_returned_this_frame", s.depot.blocks_returned_this_frame)
        .member("blocks_reused_this_frame", s.depot.blocks_reused_this_frame)
        .member("blocks_returned", s.depot.blocks_returned)
        .member("blocks_reused", s.depot.blocks_reused)
        .end_object();
    w.key("diagnostics").begin_array();
    for (const diagnostic_snapshot& d : s.diagnostics) write_diagnostic(w, d);
    w.end_array();
    w.key("resources");
    write_resources(w, s.resources);
    w.key("budgets").begin_array();
    for (const budget_snapshot& b : s.budgets) write_budget(w, b);
    w.end_array();
    w.end_object();
}

std::string to_json(const snapshot& s) {
    std::string out;
    out.reserve(2048 + 256 * (s.threads.size() + s.tags.size() + s.diagnostics.size() + s.budgets.size()));
    json_writer w(out);
    write_json(w, s);
    return out;
}

}  // namespace framealloc
