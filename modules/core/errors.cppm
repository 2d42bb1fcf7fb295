// Exceptions thrown by framealloc. Each carries the FA code of the diagnostic registry so that a log
// line, a test and `fa explain` all name the same thing.
//
//   frame_error        (std::logic_error)      misuse of the frame lifecycle: FA001..FA0xx
//   invalid_alignment  (std::invalid_argument) alignment that is not a power of two: FA101
//   config_error       (std::invalid_argument) an alloc_config / arena option that cannot work: FA002
//   memory_error       (std::logic_error)      a bad deallocate caught by a check: FA102..FA104, FA108; a guard overrun FA106;
//                                               a promotion claimed as the wrong type: FA105; leaks
//                                               FA107; a resource's contract broken FA109
//   snapshot_error     (std::runtime_error)    a snapshot file that could not be written: FA009
//                                               (framealloc.diagnostics:snapshot_emitter)
//   std::bad_alloc                              a request that cannot be met (hard limit, size overflow,
//                                               upstream failure): the std::pmr contract
module;
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
export module framealloc.core:errors;

export namespace framealloc {

// The codes this module throws. One meaning each; the registry of the diagnostics module lists them all.
namespace codes {
inline constexpr std::string_view allocation_outside_frame = "FA001";
inline constexpr std::string_view invalid_config = "FA002";
inline constexpr std::string_view frame_lifecycle = "FA003";
inline constexpr std::string_view invalid_marker = "FA004";
// end_frame() while a task of the frame still runs, or a frame task started while no frame is open.
inline constexpr std::string_view frame_tasks_in_flight = "FA005";
// Retention and promotion (framealloc.arena:retention_set, promotion_result). FA005 is the oneTBB
// integration's frame task tracking.
inline constexpr std::string_view retained_not_found = "FA006";     // ticket not in this promotion result
inline constexpr std::string_view promotion_claimed = "FA007";      // a promoted value claimed a second time
inline constexpr std::string_view promotion_destination = "FA008";  // claim() of a scratch promotion or
                                                                    // claim_scratch() of a pool/heap one
// A snapshot could not be written (directory not creatable or not writable, disk full, rename failed):
// framealloc::snapshot_error.
inline constexpr std::string_view snapshot_io = "FA009";
inline constexpr std::string_view bad_alignment = "FA101";
inline constexpr std::string_view double_free = "FA102";
inline constexpr std::string_view foreign_pointer = "FA103";
// deallocate() with a size other than the block's (release pools, which only see size classes: a size
// or alignment that names another class than the block's).
inline constexpr std::string_view size_mismatch = "FA104";
inline constexpr std::string_view promotion_type_mismatch = "FA105";  // claimed as a type it was not retained as
// deallocate() with the right pointer and size but an alignment other than the allocate() call's.
inline constexpr std::string_view alignment_mismatch = "FA108";
// The code of a deallocate() that names a known block with other arguments than allocate() had: FA108
// when only the alignment differs, FA104 when the size does. Every checking resource reports with it,
// so that one mistake has one code everywhere.
[[nodiscard]] constexpr std::string_view mismatch(std::size_t block_bytes, std::size_t freed_bytes) noexcept {
    return block_bytes == freed_bytes ? alignment_mismatch : size_mismatch;
}
// Blocks still allocated when they should all have been freed (a checking_resource destroyed or
// checked with live blocks).
inline constexpr std::string_view leak = "FA107";
// A memory_resource broke its contract on allocate(): the block is misaligned for the requested
// alignment or overlaps a block that is still live (found by checking_resource on its upstream).
inline constexpr std::string_view bad_block = "FA109";
// FRAMEALLOC_DEBUG: the guard bytes after a block (or the canary before a heap block) were overwritten:
// the program wrote outside what it allocated. Found on deallocate and, for frame memory, at end_frame().
inline constexpr std::string_view guard_overrun = "FA106";
// FRAMEALLOC_DEBUG: a pool_resource or heap_resource was destroyed while blocks it handed out were never
// deallocated (a leak; the same meaning as `leak`); the report lists them with their allocation backtraces.
inline constexpr std::string_view leaked_blocks = "FA107";
inline constexpr std::string_view barrier_not_signalled = "FA201";
inline constexpr std::string_view barrier_no_participant = "FA202";
inline constexpr std::string_view transfer_not_pending = "FA203";
}  // namespace codes

// Misuse of the frame lifecycle (allocating while no frame is open, end_frame() without begin_frame(),
// rewinding to a marker that is no longer valid).
class frame_error : public std::logic_error {
public:
    frame_error(std::string_view code, const std::string& message)
        : std::logic_error(std::string(code) + ": " + message), code_(code) {}
    [[nodiscard]] std::string_view code() const noexcept { return code_; }

private:
    std::string_view code_;
};

// An alignment argument that is zero or not a power of two (FA101). Never silently rounded.
class invalid_alignment : public std::invalid_argument {
public:
    explicit invalid_alignment(std::size_t alignment)
        : std::invalid_argument(std::string(codes::bad_alignment) + ": alignment " + std::to_string(alignment) +
                                " is not a power of two"),
          alignment_(alignment) {}
    [[nodiscard]] std::size_t alignment() const noexcept { return alignment_; }
    [[nodiscard]] std::string_view code() const noexcept { return codes::bad_alignment; }

private:
    std::size_t alignment_;
};

// A configuration that cannot work (a chunk size of zero, a growth factor of zero...): FA002.
class config_error : public std::invalid_argument {
public:
    explicit config_error(const std::string& message)
        : std::invalid_argument(std::string(codes::invalid_config) + ": " + message) {}
    [[nodiscard]] std::string_view code() const noexcept { return codes::invalid_config; }
};

// A memory error caught on deallocate (double free FA102, foreign pointer FA103, size or alignment
// mismatch FA104, damaged guard bytes FA106), thrown when the resource's error policy says so (the
// default policy aborts). In FRAMEALLOC_DEBUG builds what() carries the block's allocation backtrace.
class memory_error : public std::logic_error {
public:
    memory_error(std::string_view code, const std::string& message)
        : std::logic_error(std::string(code) + ": " + message), code_(code) {}
    [[nodiscard]] std::string_view code() const noexcept { return code_; }

private:
    std::string_view code_;
};

// Cold throw helpers, out of line so that fast paths stay small.
[[noreturn]] void throw_bad_alloc();
[[noreturn]] void throw_invalid_alignment(std::size_t alignment);
[[noreturn]] void throw_frame_error(std::string_view code, const char* message);

}  // namespace framealloc
