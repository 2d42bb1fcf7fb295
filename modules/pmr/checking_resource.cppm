// checking_resource: a std::pmr::memory_resource for tests that wraps any upstream and checks every
// call against the blocks it has handed out.
//
//   framealloc::checking_resource checked{&my_resource};   // default upstream: new/delete
//   run_my_code_with(&checked);
//   BOOST_TEST(checked.stats().live_blocks == 0);
//   checked.check_no_leaks();                              // memory_error FA107 listing the blocks
//
// What:     allocate() forwards to the upstream and records the block (address, size, alignment, an
//           allocation serial, the allocating thread). deallocate() must name a live block with the
//           same size and alignment; only then does it reach the upstream. It also checks what the
//           upstream hands out: a block aligned as requested that overlaps no live block.
// Codes:    FA102 double free (the address was freed and not handed out again; remembered for the last
//           `freed_history` frees, older ones read as FA103), FA103 foreign pointer (never allocated
//           here), FA104 size mismatch, FA108 alignment mismatch (size right, alignment not), FA107
//           leak (check_no_leaks(), destruction with live blocks), FA109 the upstream broke the
//           contract (misaligned or overlapping block). allocate() with an alignment that is not a
//           power of two throws invalid_alignment (FA101) before reaching the upstream.
// Policy:   on_error decides what a detected error does: abort_process (default: the report on stderr,
//           then std::abort(), as pool_resource does), throw_exception (framealloc::memory_error with the
//           code; the bad call has no effect, so a test can go on), or record (kept in errors(), the bad
//           call has no effect: a mismatched deallocate leaves the block live; a misaligned upstream
//           block fails the allocate() with std::bad_alloc, an overlapping one is handed out untracked,
//           so its deallocate() reads as FA103). A throw from a
//           deallocate() inside a noexcept destructor (a container's) terminates: use record there.
//           on_leak decides what destruction with live blocks does: report (default: the leak report
//           on stderr), abort_process (the report, then std::abort()), ignore. Leaked blocks are not
//           returned to the upstream: they are still in someone's hands.
// Threads:  every member function from any thread. One mutex serialises the bookkeeping and the
//           upstream calls, so an upstream that is not thread-safe works too (this is a test tool:
//           correctness over speed).
// Cost:     O(log live blocks) per call, plus the upstream's.
module;
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory_resource>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <deque>
#include <unordered_map>
#include <utility>
#include <vector>
export module framealloc.pmr:checking_resource;

import framealloc.core;

export namespace framealloc {

enum class checking_error_policy {
    abort_process,    // report on stderr, then std::abort() (default)
    throw_exception,  // throw framealloc::memory_error
    record            // keep it in errors(); the bad call does nothing
};

enum class leak_policy {
    report,         // the leak report on stderr (default)
    abort_process,  // the leak report, then std::abort()
    ignore
};

struct checking_options {
    checking_error_policy on_error = checking_error_policy::abort_process;
    leak_policy on_leak = leak_policy::report;
    std::size_t freed_history = 65536;  // frees remembered to tell a double free (FA102) from FA103
    std::string name = "checking_resource";  // prefixes every report
};

// One block as checking_resource knows it.
struct checked_block {
    const void* pointer = nullptr;
    std::size_t bytes = 0;
    std::size_t alignment = 0;
    std::uint64_t serial = 0;  // 1 for the first allocate() of the resource, 2 for the next...
    std::thread::id thread;    // the thread that allocated it
};

// An error found by a check (what on_error == record keeps).
struct checking_error {
    std::string_view code;  // codes::double_free, foreign_pointer, size_mismatch, alignment_mismatch, bad_block
    std::string message;    // as the report prints it
    const void* pointer = nullptr;
    std::size_t bytes = 0;      // of the call
    std::size_t alignment = 0;  // of the call
};

struct checking_stats {
    std::size_t live_blocks = 0;
    std::size_t live_bytes = 0;
    std::size_t peak_blocks = 0;
    std::size_t peak_bytes = 0;
    std::uint64_t allocations = 0;  // lifetime, successful ones
    std::uint64_t deallocations = 0;  // lifetime, accepted ones
    std::uint64_t bytes_allocated = 0;  // lifetime
    std::uint64_t errors = 0;  // errors detected, whatever the policy did
};

struct leak_report {
    std::vector<checked_block> blocks;  // in allocation order
    std::size_t bytes = 0;
    [[nodiscard]] bool empty() const noexcept { return blocks.empty(); }
    // "FA107: <name>: 2 blocks (96 bytes) still allocated:" then one line per block (at most
    // `max_blocks`, then "... and N more").
    [[nodiscard]] std::string to_string(std::string_view name, std::size_t max_blocks = 32) const;
};

class checking_resource final : public std::pmr::memory_resource {
public:
    explicit checking_resource(std::pmr::memory_resource* upstream = std::pmr::new_delete_resource(),
                               checking_options options = {});
    checking_resource(const checking_resource&) = delete;
    checking_resource& operator=(const checking_resource&) = delete;
    // With live blocks: what options().on_leak says (report, abort_process, ignore).
    ~checking_resource() override;

    [[nodiscard]] checking_stats stats() const;
    [[nodiscard]] leak_report leaks() const;
    // Throws memory_error FA107 with the leak report when any block is live.
    void check_no_leaks() const;
    // Errors kept under checking_error_policy::record (any policy counts them in stats().errors).
    [[nodiscard]] std::vector<checking_error> errors() const;
    void clear_errors();

    [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return upstream_; }
    [[nodiscard]] const checking_options& options() const noexcept { return options_; }

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override;
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    void fail_locked(std::string_view code, std::string message, const void* p, std::size_t bytes,
                     std::size_t alignment);
    void remember_freed_locked(const checked_block& b);

    std::pmr::memory_resource* upstream_;
    checking_options options_;
    mutable std::mutex mutex_;
    // Live blocks by address. Zero-byte blocks are kept apart: an upstream may hand out the same
    // address for several of them, or the address a later non-empty block starts at.
    std::map<std::uintptr_t, checked_block> live_;
    std::multimap<std::uintptr_t, checked_block> live_empty_;
    std::unordered_map<std::uintptr_t, checked_block> freed_;  // the last freed_history frees
    std::deque<std::pair<std::uintptr_t, std::uint64_t>> freed_order_;  // (address, serial), oldest first
    std::vector<checking_error> errors_;
    checking_stats stats_;
    std::uint64_t serial_ = 0;
};

}  // namespace framealloc
