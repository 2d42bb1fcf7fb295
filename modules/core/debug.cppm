// Debug checks (FRAMEALLOC_DEBUG builds): run-time switches, the report channel, allocation backtraces,
// guard bytes, and the table of live blocks with which pools and the heap explain bad frees and leaks.
//
// What is checked (see README "Debug checks"):
//   pool_resource / heap_resource blocks carry guard bytes after the user's bytes (heap blocks also a
//   canary before), checked on deallocate (FA106); every live block has its allocation backtrace in a
//   block_table, reported with FA102..FA106 and with the leak report (FA107) when the resource is
//   destroyed with live blocks. Frame allocations get guards when settings::frame_guards is on, checked
//   at end_frame() / reset() / rewind().
// Reports: one text per event, sent to the report handler (default: stderr, "framealloc FA106: ...").
//   An error found on a deallocate follows the resource's error policy (abort, or throw memory_error
//   whose what() is the report); one found where nothing can be thrown (end_frame(), a destructor) is
//   reported and the program goes on. Strict mode makes every report abort.
// Cost: release builds compile all of this to nothing on the allocation paths (the functions exist so
//   that code calling configure() builds in every configuration). Debug builds pay a backtrace capture
//   (a frame-pointer walk by default) and a sharded-lock table insert per pool/heap allocation, the same
//   plus a guard check per free; symbols are resolved only when a report is written.
// Threads: every function may be called from any thread.
module;
#include <framealloc/poison.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
export module framealloc.core:debug;

export namespace framealloc::debug {

inline constexpr bool enabled = FRAMEALLOC_DEBUG_ENABLED != 0;

// How allocation backtraces are captured.
enum class backtrace_capture : unsigned char {
    off,             // FRAMEALLOC_BACKTRACES=0: none (reports then name no call sites)
    frame_pointers,  // FRAMEALLOC_BACKTRACES=1 (default): walk the frame-pointer chain, checked against
                     // the thread's stack bounds (as ASan's fast unwinder does): about 20 ns a frame.
                     // Exact for code built with frame pointers (-O0, -fno-omit-frame-pointer: the debug
                     // and asan presets, and framealloc itself in FRAMEALLOC_DEBUG builds); frames of code
                     // built without them are skipped or end the walk.
    unwinder         // FRAMEALLOC_BACKTRACES=unwind: boost::stacktrace::safe_dump_to (the DWARF unwinder):
                     // exact whatever the flags, about 0.3 us a frame.
};

// Run-time switches. The first use reads the environment; configure() replaces them at any time.
struct settings {
    bool strict = false;        // FRAMEALLOC_STRICT=1: every reported error aborts the process (leaks,
                                // overruns found at end_frame(), errors a throwing policy would throw)
    backtrace_capture backtraces = backtrace_capture::frame_pointers;
    bool frame_guards = false;  // FRAMEALLOC_FRAME_GUARDS=1: guard bytes after every frame allocation,
                                // checked at end_frame()/rewind(). Arenas pick it up when created and at
                                // each reset. While on, frame allocations take the slow path and the guard
                                // bytes count in bytes_used() and budgets.
    std::size_t report_limit = 16;  // FRAMEALLOC_REPORT_LIMIT: blocks listed in detail per leak report
    std::size_t trace_depth = 12;   // frames printed per backtrace (at most 32 are captured)
};

[[nodiscard]] settings current_settings() noexcept;
void configure(const settings& s) noexcept;

// Receives every report: `code` is the FA code, `text` the full report (several lines, no trailing
// newline). Called on the thread that found the problem, possibly while a lock of the resource is
// held: it must not allocate from that resource. Null restores the default (stderr).
using report_handler = void (*)(std::string_view code, std::string_view text, void* context);
void set_report_handler(report_handler handler, void* context = nullptr) noexcept;

}  // namespace framealloc::debug

export namespace framealloc::detail {

// Bytes of guard a pool or heap block gets after the user's bytes (the block's class slack adds more);
// 0 without FRAMEALLOC_DEBUG, so release size-class lookups are unchanged.
inline constexpr std::size_t guard_bytes = FRAMEALLOC_DEBUG_ENABLED ? 16 : 0;
inline constexpr unsigned char guard_fill = 0xFD;  // distinct from the 0xDD of released memory

// n plus the guard, saturating (a saturated size is refused later like any huge request).
[[nodiscard]] inline constexpr std::size_t guarded_size(std::size_t n) noexcept {
    return n > std::numeric_limits<std::size_t>::max() - guard_bytes ? std::numeric_limits<std::size_t>::max()
                                                                      : n + guard_bytes;
}

inline constexpr std::size_t max_trace_frames = 32;

// Return addresses of a call stack, captured cheaply; symbols are resolved only by format_trace().
struct alloc_trace {
    std::uint32_t depth = 0;
    std::array<void*, max_trace_frames> frames{};
};

// Captures the calling thread's stack (depth 0 when backtraces are off or in release builds).
void capture_trace(alloc_trace& out) noexcept;
// "    #0 function at file:line" lines, leading frames inside framealloc and the standard library
// skipped, at most settings::trace_depth of them; "    (no backtrace)" when there is none.
[[nodiscard]] std::string format_trace(const alloc_trace& trace);

// Fills [p, p + n) with guard_fill and poisons it for ASan/Valgrind, so that an instrumented overrun is
// reported by the sanitizer at the write and an uninstrumented one by check_guard().
void arm_guard(void* p, std::size_t n) noexcept;
// Makes [p, p + n) addressable again and counts the bytes that no longer hold guard_fill; `first` gets
// the offset of the first of them. 0: intact.
[[nodiscard]] std::size_t check_guard(void* p, std::size_t n, std::size_t& first) noexcept;

// A block handed out by a checked resource.
struct block_record {
    const void* address = nullptr;
    std::size_t bytes = 0;      // as requested
    std::size_t alignment = 0;  // as requested (0: not known)
    alloc_trace allocated;
    alloc_trace freed;          // recently freed blocks only
};

// Live blocks of one resource by address, plus a bounded ring of recently freed ones (for double
// frees). Sharded locks; every table registers itself so that a foreign pointer can be traced to the
// resource that allocated it. Out of memory for the table loses records, never blocks.
class block_table {
public:
    explicit block_table(std::string owner);
    block_table(const block_table&) = delete;
    block_table& operator=(const block_table&) = delete;
    ~block_table();

    void insert(const void* p, std::size_t bytes, std::size_t alignment) noexcept;
    [[nodiscard]] bool find_live(const void* p, block_record& out) const noexcept;
    // Removes p from the live blocks into the freed ring (with the calling stack as its free site).
    bool remove(const void* p) noexcept;
    [[nodiscard]] bool find_freed(const void* p, block_record& out) const noexcept;
    [[nodiscard]] std::size_t live_count() const noexcept;
    // Blocks that could not be recorded (out of memory for the table): while any is, a block the table
    // does not know may still be a legitimate one.
    [[nodiscard]] std::size_t lost_count() const noexcept;
    [[nodiscard]] const std::string& owner() const noexcept;
    // FA107 when blocks are live: a report (count, bytes, up to report_limit blocks with backtraces).
    // Returns the number of live blocks.
    std::size_t report_leaks() const;
    // Forgets every record (the resource released its memory: the addresses may be reused elsewhere).
    void clear() noexcept;

private:
    friend std::string describe_anywhere(const void* p, const block_table* except);
    struct state;
    std::unique_ptr<state> state_;
};

// "  block 0x... (64 bytes, alignment 8) allocated at:\n" followed by its backtrace.
[[nodiscard]] std::string describe_block(const block_record& r);
// Who else knows p (a live or recently freed block of another table, or one containing p): a
// description with backtraces, or "" when no table does.
[[nodiscard]] std::string describe_anywhere(const void* p, const block_table* except);

enum class report_action {
    resume,          // the caller goes on (nothing can be thrown where the problem was found)
    abort_process,   // std::abort() after the report
    throw_exception  // throw memory_error(code, text) instead of reporting (strict mode aborts)
};
// The one way every check reports. Appends "  detected at:" and the calling stack when asked.
void report(std::string_view code, std::string text, report_action action, bool with_current_stack = true);

// The free-time checks, written once for every checked resource (pool blocks, the pool's heap
// fallback, heap_resource). A failing check reports through report() with the site's action.
struct free_site {
    std::string_view resource;  // prefixes "deallocate(p, bytes, alignment)" in reports ("heap_resource ")
    const void* p = nullptr;    // the call as the caller made it
    std::size_t bytes = 0;
    std::size_t alignment = 0;
    std::string_view owner;       // "this pool", "this heap_resource": who did not allocate a foreign pointer
    std::string_view block_kind;  // "block", "heap block"
    report_action action = report_action::abort_process;  // or throw_exception: a failed check does not return
};
// "<resource>deallocate(p, bytes, alignment)".
[[nodiscard]] std::string describe_call(const free_site& at);
// What the tables know about p, as "\n<description>", or "" (own: the resource's own table, may be null).
[[nodiscard]] std::string known_as(const void* p, const block_table* own);
// FA102: the block was freed already (with its allocation and free backtraces while the ring has it).
void fail_double_free(const free_site& at, const block_table& blocks);
// FA103: the pointer is not a block of this resource (`why`), with what any other table knows about it.
void fail_foreign(const free_site& at, const block_table& blocks, std::string_view why);
// FA104 / FA108 unless the block was allocated with the site's size and alignment.
void check_recorded_size(const free_site& at, const block_record& r);
// FA106 unless the guard bytes after the user's bytes ([user_begin + user_bytes, + after)) and the canary
// before them ([user_begin - before, user_begin)) are intact.
void check_guards(const free_site& at, const block_record& r, std::byte* user_begin, std::size_t user_bytes,
                  std::size_t after, std::size_t before = 0);
// The whole check of a block that only the table knows (heap blocks): FA102 / FA103 when it is not
// live, then the size. Returns its record. When the table has lost records (out of memory), a block it
// does not know is taken on trust (its record is the call's size and alignment): a foreign pointer
// then goes unreported rather than a legitimate block being refused.
[[nodiscard]] block_record check_table_free(const free_site& at, const block_table& blocks);

}  // namespace framealloc::detail

// Internal to framealloc.core: the live debug switches, read by the debug units without a full copy.
namespace framealloc::debug {
[[nodiscard]] bool strict_enabled() noexcept;
[[nodiscard]] backtrace_capture backtrace_mode() noexcept;
[[nodiscard]] std::size_t trace_depth() noexcept;
[[nodiscard]] std::size_t report_limit() noexcept;
}  // namespace framealloc::debug
