// Debug switches: read from the environment at first use, replaced by configure() at any time.
module;
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string_view>
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

bool strict_enabled() noexcept { return store().strict.load(std::memory_order_relaxed); }
backtrace_capture backtrace_mode() noexcept { return store().backtraces.load(std::memory_order_relaxed); }
std::size_t trace_depth() noexcept { return store().trace_depth.load(std::memory_order_relaxed); }
std::size_t report_limit() noexcept { return store().report_limit.load(std::memory_order_relaxed); }

}  // namespace framealloc::debug
