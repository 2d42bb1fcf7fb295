// Allocation backtraces: raw return addresses in a fixed array (no allocation), captured either by walking the
// frame-pointer chain (default, ~20 ns a frame) or by the DWARF unwinder (_Unwind_Backtrace, ~0.3 us a
// frame: measured 8x slower on the pool tests, where every allocation and free captures, hence not the
// default), and resolved only when a report is written, by libbacktrace (GCC's, from libgcc-N-dev:
// function, file and line from the DWARF of the executable, so tests need -g, which the debug and asan
// presets have).
//
// One libbacktrace state serves the whole process, made on the first report and never freed
// (libbacktrace cannot free one): per-thread states, as Boost.Stacktrace's backend keeps them, read the
// executable's DWARF again in every thread that reports and keep it until exit (about 20 MB a thread,
// measured), which grows without bound when short-lived threads report.
module;
#include <framealloc/poison.hpp>

#include <cxxabi.h>
#include <pthread.h>
#include <unwind.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
module framealloc.core;

// libbacktrace's C interface (backtrace.h, which sits in GCC's private include directory, where clang
// must not look: its intrinsic headers would shadow clang's own).
extern "C" {
struct backtrace_state;
using backtrace_error_callback = void (*)(void* data, const char* message, int errnum);
using backtrace_full_callback = int (*)(void* data, std::uintptr_t pc, const char* filename, int lineno,
                                        const char* function);
using backtrace_syminfo_callback = void (*)(void* data, std::uintptr_t pc, const char* symname, std::uintptr_t symval,
                                            std::uintptr_t symsize);
backtrace_state* backtrace_create_state(const char* filename, int threaded, backtrace_error_callback error_callback,
                                        void* data);
int backtrace_pcinfo(backtrace_state* state, std::uintptr_t pc, backtrace_full_callback callback,
                     backtrace_error_callback error_callback, void* data);
int backtrace_syminfo(backtrace_state* state, std::uintptr_t addr, backtrace_syminfo_callback callback,
                      backtrace_error_callback error_callback, void* data);
}

namespace framealloc::detail {

namespace {
// Frames of the allocator itself (and of the standard library above it) are
// noise at the top of an allocation backtrace: the report starts at the first frame of the caller.
// Names of entities attached to a named module demangle as "framealloc::x@framealloc.pool" or may
// stay mangled ("_ZNW10framealloc..."): both are recognised.
bool internal_frame(std::string_view name) {
    if (name.empty()) return true;
    // The qualified name is what precedes the parameter list; a return type may come first.
    const std::string_view head = name.substr(0, name.find('('));
    for (std::string_view p : {std::string_view("framealloc::"), std::string_view("std::")})
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

// The DWARF unwinder's walk, from the caller of capture_trace (the first frame, capture_trace's own, is
// skipped).
struct unwind_walk {
    void** out;
    std::uint32_t depth;
    bool skip;
};
_Unwind_Reason_Code unwind_step(_Unwind_Context* context, void* arg) {
    auto* walk = static_cast<unwind_walk*>(arg);
    const std::uintptr_t pc = _Unwind_GetIP(context);
    if (pc == 0) return _URC_END_OF_STACK;
    if (walk->skip) {
        walk->skip = false;
        return _URC_NO_REASON;
    }
    walk->out[walk->depth++] = reinterpret_cast<void*>(pc);
    return walk->depth < max_trace_frames ? _URC_NO_REASON : _URC_END_OF_STACK;
}

// The process's libbacktrace state (threaded: safe to share), made once.
backtrace_state* symbol_state() noexcept {
    static backtrace_state* state = backtrace_create_state(nullptr, 1, [](void*, const char*, int) {}, nullptr);
    return state;
}

struct symbol {
    std::string function;  // as the debug information or the symbol table names it (mangled or not)
    std::string file;
    int line = 0;
};

// Function, file and line of a return address (the call is the instruction before it): one entry
// per function at that address, the innermost inlined one first, its callers after it, as a debugger
// lists them. Without debug information, the symbol table's name alone.
std::vector<symbol> symbolize(void* address) {
    std::vector<symbol> out;
    backtrace_state* state = symbol_state();
    if (state == nullptr) return out;
    const auto pc = reinterpret_cast<std::uintptr_t>(address) - 1;
    backtrace_pcinfo(
        state, pc,
        [](void* data, std::uintptr_t, const char* file, int line, const char* function) -> int {
            if (function == nullptr && file == nullptr) return 0;
            symbol s;
            if (function != nullptr) s.function = function;
            if (file != nullptr) s.file = file;
            s.line = line;
            static_cast<std::vector<symbol>*>(data)->push_back(std::move(s));
            return 0;
        },
        [](void*, const char*, int) {}, &out);
    if (out.empty() || out.front().function.empty()) {
        symbol named;
        backtrace_syminfo(
            state, pc,
            [](void* data, std::uintptr_t, const char* name, std::uintptr_t, std::uintptr_t) {
                if (name != nullptr) static_cast<symbol*>(data)->function = name;
            },
            [](void*, const char*, int) {}, &named);
        if (out.empty()) out.push_back(std::move(named));
        else out.front().function = std::move(named.function);
    }
    return out;
}
}  // namespace
#endif

void capture_trace([[maybe_unused]] alloc_trace& out) noexcept {
    out.depth = 0;
#if FRAMEALLOC_DEBUG_ENABLED
    switch (debug::backtrace_mode()) {
    case debug::backtrace_capture::off:
        return;
    case debug::backtrace_capture::frame_pointers:
        out.depth = walk_frame_pointers(out.frames.data(), max_trace_frames);
        return;
    case debug::backtrace_capture::unwinder: {
        unwind_walk walk{out.frames.data(), 0, true};
        _Unwind_Backtrace(unwind_step, &walk);
        out.depth = walk.depth;
        return;
    }
    }
#endif
}

std::string format_trace([[maybe_unused]] const alloc_trace& trace) {
    std::string out;
#if FRAMEALLOC_DEBUG_ENABLED
    struct line {
        void* address = nullptr;
        std::string name;
        std::string where;
    };
    std::vector<line> lines;
    lines.reserve(trace.depth);
    for (std::uint32_t i = 0; i < trace.depth; ++i) {
        std::vector<symbol> syms = symbolize(trace.frames[i]);
        if (syms.empty()) syms.emplace_back();
        for (const symbol& sym : syms) {
            line l;
            l.address = trace.frames[i];
            l.name = demangle(sym.function);
            if (!sym.file.empty()) l.where = sym.file + ":" + std::to_string(sym.line);
            lines.push_back(std::move(l));
        }
    }
    std::size_t first = 0;
    while (first < lines.size() && internal_frame(lines[first].name)) ++first;
    if (first == lines.size()) first = 0;  // all internal: show them rather than nothing
    const std::size_t limit = std::max<std::size_t>(1, debug::trace_depth());
    char address[32];
    for (std::size_t i = first, k = 0; i < lines.size() && k < limit; ++i, ++k) {
        std::snprintf(address, sizeof address, "%p", lines[i].address);
        out += "    #" + std::to_string(k) + " " + (lines[i].name.empty() ? std::string(address) : lines[i].name);
        if (!lines[i].where.empty()) out += " at " + lines[i].where;
        out += "\n";
    }
#endif
    if (out.empty()) out = "    (no backtrace: FRAMEALLOC_BACKTRACES=0, or none could be captured)\n";
    out.pop_back();
    return out;
}

}  // namespace framealloc::detail
