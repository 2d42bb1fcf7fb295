// The report channel of the debug checks: every report goes to the installed handler (default:
// stderr), then the caller's action (resume, abort, throw memory_error) or strict mode decides.
module;
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>
module framealloc.core;

namespace framealloc::detail {

namespace {
struct handler_slot {
    std::mutex mutex;
    debug::report_handler handler = nullptr;
    void* context = nullptr;
};

handler_slot& handler_state() {
    static handler_slot* slot = new handler_slot;  // never destroyed: reports may come from static destructors
    return *slot;
}

void default_report(std::string_view code, std::string_view text) {
    std::fprintf(stderr, "framealloc %.*s: %.*s\n", static_cast<int>(code.size()), code.data(),
                 static_cast<int>(text.size()), text.data());
    std::fflush(stderr);
}

// The current stack, appended to a report.
void append_detected_at(std::string& text) {
    alloc_trace here;
    capture_trace(here);
    if (here.depth != 0) text += "\n  detected at:\n" + format_trace(here);
}
}  // namespace

void report(std::string_view code, std::string text, report_action action, bool with_current_stack) {
    const bool strict = debug::strict_enabled();
    if (with_current_stack) append_detected_at(text);
    if (action == report_action::throw_exception && !strict) throw memory_error(code, text);
    handler_slot& slot = handler_state();
    debug::report_handler handler = nullptr;
    void* context = nullptr;
    {
        std::lock_guard lock(slot.mutex);
        handler = slot.handler;
        context = slot.context;
    }
    if (handler != nullptr) handler(code, text, context); else default_report(code, text);
    if (action == report_action::abort_process || strict) {
        if (strict && action != report_action::abort_process)
            std::fprintf(stderr, "framealloc: strict mode (FRAMEALLOC_STRICT): aborting on %.*s\n",
                         static_cast<int>(code.size()), code.data());
        std::abort();
    }
}

}  // namespace framealloc::detail

namespace framealloc::debug {

void set_report_handler(report_handler handler, void* context) noexcept {
    detail::handler_slot& slot = detail::handler_state();
    std::lock_guard lock(slot.mutex);
    slot.handler = handler;
    slot.context = context;
}

}  // namespace framealloc::debug
