// Debug checks: settings, reports, backtraces (Boost.Stacktrace), guard bytes, block tables.
//
// Backtraces: raw return addresses in a fixed array (no allocation), captured either by walking the
// frame-pointer chain (default, ~20 ns a frame) or by boost::stacktrace::safe_dump_to (the libgcc DWARF
// unwinder, ~0.3 us a frame: measured 8x slower on the pool tests, where every allocation and free
// captures, hence not the default), and resolved only when a report is written, by Boost.Stacktrace's
// libbacktrace backend (libboost_stacktrace_backtrace: function, file and line from the DWARF of the
// executable, so tests need -g, which the debug and asan presets have).
module;
#include <framealloc/poison.hpp>

#if FRAMEALLOC_DEBUG_ENABLED
#define BOOST_STACKTRACE_LINK
#include <boost/stacktrace/frame.hpp>
#include <boost/stacktrace/safe_dump_to.hpp>
#endif

#include <cxxabi.h>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>
module framealloc.core;

namespace framealloc::debug {

namespace {
struct settings_store {
    std::atomic<bool> strict{false};
    std::atomic<backtrace_capture> backtraces{backtrace_capture::frame_pointers};
    std::atomic<bool> frame_guards{false};
    std::atomic<std::size_t> report_limit{16};
    std::atomic<std::size_t> trace_depth{12};

    settings_store() {
        // Read once, at the first use of any setting.
        auto flag = [](const char* name, bool fallback) {
            const char* v = std::getenv(name);
            if (v == nullptr || *v == '\0') return fallback;
            return !(std::strcmp(v, "0") == 0 || std::strcmp(v, "false") == 0 || std::strcmp(v, "off") == 0);
        };
        strict.store(flag("FRAMEALLOC_STRICT", false), std::memory_order_relaxed);
        if (const char* v = std::getenv("FRAMEALLOC_BACKTRACES"); v != nullptr && *v != '\0') {
            const std::string_view mode(v);
            backtraces.store(mode == "unwind"                                        ? backtrace_capture::unwinder
                             : (mode == "0" || mode == "off" || mode == "false") ? backtrace_capture::off
                                                                                  : backtrace_capture::frame_pointers,
                             std::memory_order_relaxed);
        }
        frame_guards.store(flag("FRAMEALLOC_FRAME_GUARDS", false), std::memory_order_relaxed);
        if (const char* v = std::getenv("FRAMEALLOC_REPORT_LIMIT"); v != nullptr && *v != '\0')
            report_limit.store(std::strtoull(v, nullptr, 10), std::memory_order_relaxed);
    }
};

settings_store& store() {
    static settings_store s;
    return s;
}

struct handler_slot {
    std::mutex mutex;
    report_handler handler = nullptr;
    void* context = nullptr;
};

handler_slot& handler_state() {
    static handler_slot* slot = new handler_slot;  // never destroyed: reports may come from static destructors
    return *slot;
}
}  // namespace

settings current_settings() noexcept {
    settings_store& s = store();
    settings out;
    out.strict = s.strict.load(std::memory_order_relaxed);
    out.backtraces = s.backtraces.load(std::memory_order_relaxed);
    out.frame_guards = s.frame_guards.load(std::memory_order_relaxed);
    out.report_limit = s.report_limit.load(std::memory_order_relaxed);
    out.trace_depth = s.trace_depth.load(std::memory_order_relaxed);
    return out;
}

void configure(const settings& in) noexcept {
    settings_store& s = store();
    s.strict.store(in.strict, std::memory_order_relaxed);
    s.backtraces.store(in.backtraces, std::memory_order_relaxed);
    s.frame_guards.store(in.frame_guards, std::memory_order_relaxed);
    s.report_limit.store(in.report_limit, std::memory_order_relaxed);
    s.trace_depth.store(in.trace_depth, std::memory_order_relaxed);
}

void set_report_handler(report_handler handler, void* context) noexcept {
    handler_slot& slot = handler_state();
    std::lock_guard lock(slot.mutex);
    slot.handler = handler;
    slot.context = context;
}

}  // namespace framealloc::debug

namespace framealloc::detail {

namespace {
bool strict_mode() noexcept { return debug::store().strict.load(std::memory_order_relaxed); }

// Frames of the allocator itself (and of the standard library and Boost.Stacktrace above it) are
// noise at the top of an allocation backtrace: the report starts at the first frame of the caller.
// Names of entities attached to a named module demangle as "framealloc::x@framealloc.pool" or may
// stay mangled ("_ZNW10framealloc..."): both are recognised.
bool internal_frame(std::string_view name) {
    if (name.empty()) return true;
    // The qualified name is what precedes the parameter list; a return type may come first.
    const std::string_view head = name.substr(0, name.find('('));
    for (std::string_view p : {std::string_view("framealloc::"), std::string_view("std::"), std::string_view("boost::stacktrace")})
        if (head.starts_with(p) || head.find(" " + std::string(p)) != std::string_view::npos) return true;
    return false;
}

// Entities attached to a named module mangle with module-name components (`W10framealloc W4pool`,
// `WP` for partitions), which the demangler of libstdc++ 12 (and so libbacktrace's) does not know:
// "_ZN10frameallocW10frameallocW4pool13pool_resource11do_allocateEmm". Removing them gives the
// ordinary mangling of the same name, which demangles. Identifiers are skipped whole, so a 'W' inside
// one is never taken for a module component.
std::string demangle(const std::string& name) {
    if (!name.starts_with("_Z")) return name;
    std::string plain;
    plain.reserve(name.size());
    for (std::size_t i = 0; i < name.size();) {
        const char ch = name[i];
        const bool module_mark = ch == 'W' && i + 1 < name.size() &&
                                 (std::isdigit(static_cast<unsigned char>(name[i + 1])) ||
                                  (name[i + 1] == 'P' && i + 2 < name.size() && std::isdigit(static_cast<unsigned char>(name[i + 2]))));
        if (std::isdigit(static_cast<unsigned char>(ch)) || module_mark) {
            std::size_t j = i + (module_mark ? (name[i + 1] == 'P' ? 2 : 1) : 0);
            std::size_t len = 0;
            while (j < name.size() && std::isdigit(static_cast<unsigned char>(name[j]))) len = len * 10 + static_cast<std::size_t>(name[j++] - '0');
            const std::size_t end = std::min(name.size(), j + len);
            if (!module_mark) plain.append(name, i, end - i);
            i = end;
            continue;
        }
        plain += ch;
        ++i;
    }
    int status = 0;
    char* out = abi::__cxa_demangle(plain.c_str(), nullptr, nullptr, &status);
    if (status != 0 || out == nullptr) return name;
    std::string result(out);
    std::free(out);
    return result;
}

void default_report(std::string_view code, std::string_view text) {
    std::fprintf(stderr, "framealloc %.*s: %.*s\n", static_cast<int>(code.size()), code.data(),
                 static_cast<int>(text.size()), text.data());
    std::fflush(stderr);
}
}  // namespace

#if FRAMEALLOC_DEBUG_ENABLED
namespace {
struct stack_range {
    std::uintptr_t low = 0;
    std::uintptr_t high = 0;
};
thread_local stack_range t_stack;

const stack_range& this_thread_stack() noexcept {
    if (t_stack.high == 0) {
        pthread_attr_t attr;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            void* addr = nullptr;
            std::size_t size = 0;
            if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
                t_stack.low = reinterpret_cast<std::uintptr_t>(addr);
                t_stack.high = t_stack.low + size;
            }
            pthread_attr_destroy(&attr);
        }
    }
    return t_stack;
}

// The frame-pointer chain from the caller of capture_trace: each frame holds [saved fp, return
// address]. A frame pointer must lie inside this thread's stack, be aligned and grow towards the base,
// or the walk stops: code built without frame pointers may leave anything in the register, and the
// bounds make reading it safe (the reads are of the stack, never of arbitrary memory).
[[gnu::noinline]] __attribute__((no_sanitize("address"))) std::uint32_t walk_frame_pointers(
    void** out, std::uint32_t capacity) noexcept {
    const stack_range& stack = this_thread_stack();
    if (stack.high == 0) return 0;  // bounds unknown: reading the chain would not be safe
    auto fp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    std::uint32_t depth = 0;
    bool first = true;  // the first frame is this function's: its return address is capture_trace
    while (depth < capacity) {
        if (fp < stack.low || fp > stack.high - 2 * sizeof(void*) || fp % sizeof(void*) != 0) break;
        const auto* frame = reinterpret_cast<const std::uintptr_t*>(fp);
        const std::uintptr_t next = frame[0];
        const std::uintptr_t ret = frame[1];
        if (ret == 0) break;
        if (!first) out[depth++] = reinterpret_cast<void*>(ret);
        first = false;
        if (next <= fp) break;
        fp = next;
    }
    return depth;
}
}  // namespace
#endif

void capture_trace([[maybe_unused]] alloc_trace& out) noexcept {
    out.depth = 0;
#if FRAMEALLOC_DEBUG_ENABLED
    switch (debug::store().backtraces.load(std::memory_order_relaxed)) {
    case debug::backtrace_capture::off:
        return;
    case debug::backtrace_capture::frame_pointers:
        out.depth = walk_frame_pointers(out.frames.data(), max_trace_frames);
        return;
    case debug::backtrace_capture::unwinder: {
        // skip 1: this function. The buffer holds max_trace_frames addresses plus the terminating null.
        std::array<void*, max_trace_frames + 1> buffer{};
        const std::size_t n = boost::stacktrace::safe_dump_to(1, buffer.data(), sizeof(buffer));
        std::uint32_t depth = 0;
        for (std::size_t i = 0; i < n && i < max_trace_frames && buffer[i] != nullptr; ++i) out.frames[depth++] = buffer[i];
        out.depth = depth;
        return;
    }
    }
#endif
}

std::string format_trace([[maybe_unused]] const alloc_trace& trace) {
    std::string out;
#if FRAMEALLOC_DEBUG_ENABLED
    struct line {
        std::string name;
        std::string where;
    };
    std::vector<line> lines;
    lines.reserve(trace.depth);
    for (std::uint32_t i = 0; i < trace.depth; ++i) {
        const boost::stacktrace::frame f(reinterpret_cast<boost::stacktrace::frame::native_frame_ptr_t>(trace.frames[i]));
        line l;
        l.name = demangle(f.name());
        const std::string file = f.source_file();
        if (!file.empty()) l.where = file + ":" + std::to_string(f.source_line());
        lines.push_back(std::move(l));
    }
    std::size_t first = 0;
    while (first < lines.size() && internal_frame(lines[first].name)) ++first;
    if (first == lines.size()) first = 0;  // all internal: show them rather than nothing
    const std::size_t limit = std::max<std::size_t>(1, debug::store().trace_depth.load(std::memory_order_relaxed));
    char address[32];
    for (std::size_t i = first, k = 0; i < lines.size() && k < limit; ++i, ++k) {
        std::snprintf(address, sizeof address, "%p", trace.frames[i]);
        out += "    #" + std::to_string(k) + " " + (lines[i].name.empty() ? std::string(address) : lines[i].name);
        if (!lines[i].where.empty()) out += " at " + lines[i].where;
        out += "\n";
    }
#endif
    if (out.empty()) out = "    (no backtrace: FRAMEALLOC_BACKTRACES=0, or none could be captured)\n";
    out.pop_back();
    return out;
}

void arm_guard([[maybe_unused]] void* p, [[maybe_unused]] std::size_t n) noexcept {
#if FRAMEALLOC_DEBUG_ENABLED
    if (n == 0) return;
    FRAMEALLOC_ASAN_UNPOISON(p, n);
    FRAMEALLOC_VG_UNDEFINED(p, n);
    std::memset(p, guard_fill, n);
    FRAMEALLOC_ASAN_POISON(p, n);
    FRAMEALLOC_VG_NOACCESS(p, n);
#endif
}

std::size_t check_guard([[maybe_unused]] void* p, [[maybe_unused]] std::size_t n, std::size_t& first) noexcept {
    first = 0;
    std::size_t damaged = 0;
#if FRAMEALLOC_DEBUG_ENABLED
    if (n == 0) return 0;
    FRAMEALLOC_ASAN_UNPOISON(p, n);
    // Defined, not just addressable: memcheck would otherwise flag the comparisons below.
#if __has_include(<valgrind/memcheck.h>)
    VALGRIND_MAKE_MEM_DEFINED(p, n);
#endif
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
        if (b[i] != guard_fill) {
            if (damaged == 0) first = i;
            ++damaged;
        }
    }
#endif
    return damaged;
}

// ----- block tables -----

namespace {
constexpr std::size_t shard_count = 16;
constexpr std::size_t freed_ring_capacity = 256;

std::size_t shard_of(const void* p) noexcept {
    // Blocks are at least 8-aligned and often 64 KiB-slab relative: mix before taking bits.
    auto x = reinterpret_cast<std::uintptr_t>(p) >> 3;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(x >> 60) % shard_count;
}
}  // namespace

struct block_table::state {
    struct shard {
        mutable std::mutex mutex;
        std::unordered_map<const void*, block_record> live;
    };
    std::string owner;
    std::array<shard, shard_count> shards;
    mutable std::mutex freed_mutex;
    std::vector<block_record> freed;  // ring, freed_next is the oldest once full
    std::size_t freed_next = 0;
    std::atomic<std::size_t> lost{0};  // records dropped for want of memory
};

namespace {
// Every table, for describe_anywhere(). Never destroyed: tables may die in static destructors.
struct table_list {
    std::mutex mutex;
    std::vector<const block_table*> tables;
};
table_list& all_tables() {
    static table_list* list = new table_list;
    return *list;
}
}  // namespace

block_table::block_table(std::string owner) : state_(std::make_unique<state>()) {
    state_->owner = std::move(owner);
    table_list& list = all_tables();
    std::lock_guard lock(list.mutex);
    list.tables.push_back(this);
}

block_table::~block_table() {
    table_list& list = all_tables();
    std::lock_guard lock(list.mutex);
    std::erase(list.tables, this);
}

void block_table::insert(const void* p, std::size_t bytes, std::size_t alignment) noexcept {
    block_record r;
    r.address = p;
    r.bytes = bytes;
    r.alignment = alignment;
    capture_trace(r.allocated);
    state::shard& s = state_->shards[shard_of(p)];
    try {
        std::lock_guard lock(s.mutex);
        s.live.insert_or_assign(p, r);
    } catch (...) {
        state_->lost.fetch_add(1, std::memory_order_relaxed);
    }
}

bool block_table::find_live(const void* p, block_record& out) const noexcept {
    const state::shard& s = state_->shards[shard_of(p)];
    std::lock_guard lock(s.mutex);
    auto it = s.live.find(p);
    if (it == s.live.end()) return false;
    out = it->second;
    return true;
}

bool block_table::remove(const void* p) noexcept {
    block_record r;
    {
        state::shard& s = state_->shards[shard_of(p)];
        std::lock_guard lock(s.mutex);
        auto it = s.live.find(p);
        if (it == s.live.end()) return false;
        r = it->second;
        s.live.erase(it);
    }
    capture_trace(r.freed);
    std::lock_guard lock(state_->freed_mutex);
    try {
        if (state_->freed.size() < freed_ring_capacity) {
            state_->freed.push_back(r);
        } else {
            state_->freed[state_->freed_next] = r;
            state_->freed_next = (state_->freed_next + 1) % freed_ring_capacity;
        }
    } catch (...) {
        // The ring only serves double-free reports: losing an entry loses a detail.
    }
    return true;
}

bool block_table::find_freed(const void* p, block_record& out) const noexcept {
    std::lock_guard lock(state_->freed_mutex);
    // Newest first: a block freed, reused and freed again reports its latest life.
    const std::size_t n = state_->freed.size();
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (state_->freed_next + n - 1 - k) % n;
        if (state_->freed[i].address == p) {
            out = state_->freed[i];
            return true;
        }
    }
    return false;
}

std::size_t block_table::live_count() const noexcept {
    std::size_t n = 0;
    for (const state::shard& s : state_->shards) {
        std::lock_guard lock(s.mutex);
        n += s.live.size();
    }
    return n;
}

const std::string& block_table::owner() const noexcept { return state_->owner; }

void block_table::clear() noexcept {
    for (state::shard& s : state_->shards) {
        std::lock_guard lock(s.mutex);
        s.live.clear();
    }
    std::lock_guard lock(state_->freed_mutex);
    state_->freed.clear();
    state_->freed_next = 0;
}

std::string describe_block(const block_record& r) {
    char head[160];
    if (r.alignment != 0)
        std::snprintf(head, sizeof head, "  block %p (%zu bytes, alignment %zu) allocated at:\n", r.address, r.bytes,
                      r.alignment);
    else
        std::snprintf(head, sizeof head, "  block %p (%zu bytes) allocated at:\n", r.address, r.bytes);
    return head + format_trace(r.allocated);
}

std::size_t block_table::report_leaks() const {
    std::vector<block_record> leaked;
    for (const state::shard& s : state_->shards) {
        std::lock_guard lock(s.mutex);
        for (const auto& [p, r] : s.live) leaked.push_back(r);
    }
    if (leaked.empty()) return 0;
    // Oldest allocation first is not known; address order makes the report stable.
    std::sort(leaked.begin(), leaked.end(), [](const block_record& a, const block_record& b) {
        return std::less<const void*>()(a.address, b.address);
    });
    std::size_t bytes = 0;
    for (const block_record& r : leaked) bytes += r.bytes;
    std::string text = state_->owner + " destroyed with " + std::to_string(leaked.size()) + " live block" +
                       (leaked.size() == 1 ? "" : "s") + " (" + std::to_string(bytes) + " bytes) never deallocated:";
    const std::size_t limit = debug::store().report_limit.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < leaked.size() && i < limit; ++i) text += "\n" + describe_block(leaked[i]);
    if (leaked.size() > limit) text += "\n  ... and " + std::to_string(leaked.size() - limit) + " more";
    if (const std::size_t lost = state_->lost.load(std::memory_order_relaxed); lost != 0)
        text += "\n  (" + std::to_string(lost) + " blocks were not recorded: out of memory)";
    report(codes::leaked_blocks, std::move(text), report_action::resume, false);
    return leaked.size();
}

std::string describe_anywhere(const void* p, const block_table* except) {
    table_list& list = all_tables();
    std::lock_guard lock(list.mutex);
    block_record r;
    for (const block_table* t : list.tables) {
        if (t == except) continue;
        if (t->find_live(p, r)) return "  it is a live block of " + t->owner() + ":\n" + describe_block(r);
    }
    for (const block_table* t : list.tables) {
        if (t == except) continue;
        if (t->find_freed(p, r))
            return "  it is a block of " + t->owner() + ", already freed:\n" + describe_block(r) + "\n  freed at:\n" +
                   format_trace(r.freed);
    }
    // Inside a block (an interior pointer)?
    for (const block_table* t : list.tables) {
        for (const block_table::state::shard& s : t->state_->shards) {
            std::lock_guard shard_lock(s.mutex);
            for (const auto& [q, rec] : s.live) {
                const auto* begin = static_cast<const std::byte*>(q);
                const auto* at = static_cast<const std::byte*>(p);
                if (std::less_equal<const std::byte*>()(begin, at) && std::less<const std::byte*>()(at, begin + rec.bytes))
                    return "  it points " + std::to_string(at - begin) + " bytes into a live block of " + t->owner() +
                           ":\n" + describe_block(rec);
            }
        }
    }
    return {};
}

void report(std::string_view code, std::string text, report_action action, bool with_current_stack) {
    if (action == report_action::throw_exception && !strict_mode()) {
        if (with_current_stack) {
            alloc_trace here;
            capture_trace(here);
            if (here.depth != 0) text += "\n  detected at:\n" + format_trace(here);
        }
        throw memory_error(code, text);
    }
    if (with_current_stack) {
        alloc_trace here;
        capture_trace(here);
        if (here.depth != 0) text += "\n  detected at:\n" + format_trace(here);
    }
    debug::handler_slot& slot = debug::handler_state();
    debug::report_handler handler = nullptr;
    void* context = nullptr;
    {
        std::lock_guard lock(slot.mutex);
        handler = slot.handler;
        context = slot.context;
    }
    if (handler != nullptr) handler(code, text, context); else default_report(code, text);
    if (action == report_action::abort_process || strict_mode()) {
        if (strict_mode() && action != report_action::abort_process)
            std::fprintf(stderr, "framealloc: strict mode (FRAMEALLOC_STRICT): aborting on %.*s\n",
                         static_cast<int>(code.size()), code.data());
        std::abort();
    }
}

}  // namespace framealloc::detail
