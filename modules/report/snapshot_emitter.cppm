// snapshot_emitter: puts snapshots on disk, atomically, and decides when.
//
//   framealloc::snapshot_emitter emitter{framealloc::snapshot_config{}.with_directory("target/framealloc")};
//   while (running) {
//       alloc.begin_frame(); ... alloc.end_frame();
//       emitter.maybe_emit([&] { return framealloc::build_snapshot(alloc); });  // built only when due
//   }
//
// Files:      <directory>/snapshot_<frame, 20 digits>.json, so names sort by frame. A second snapshot
//             of the same frame replaces the first.
// Atomicity:  the JSON goes to a temporary file in the same directory (".snapshot_<frame>.<pid>.<n>.tmp",
//             which never matches *.json), is fsync'ed, then renamed over the final name, and the
//             directory is fsync'ed. A reader sees the old file or the complete new one, never a torn
//             file, whenever the process dies. Temporary files left by a process that died are deleted
//             by the next write into the directory (those of live processes are left alone).
// Pruning:    after each write, snapshot files beyond max_snapshots are deleted, lowest frame first.
//             Only names of the exact form above are touched. Frame numbers restart with a new process:
//             give each run its own directory, or clear it, to keep the newest run's files.
// When:       emit() writes now. maybe_emit() writes when (1) at least min_interval has passed since
//             this emitter last wrote, and (2) the request file exists (it is deleted first, so one
//             request gives one snapshot even with several emitters watching), or the configured
//             periodic interval has passed since the last write. A request that arrives within
//             min_interval stays pending until it has passed.
// Errors:     I/O failures (directory not creatable or not writable, disk full, rename refused) throw
//             framealloc::snapshot_error (FA009) with the path and the system error, or, through the
//             std::error_code overloads, are returned there. Nothing is left behind: the temporary file
//             of a failed write is deleted. A bad config throws config_error (FA002) at construction.
// Threads:    every member function may be called from any thread; writes are serialised internally.
// Platform:   POSIX (open/fsync/rename).
module;
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
export module framealloc.report:snapshot_emitter;

import framealloc.core;
import :snapshot;
import :snapshot_config;

export namespace framealloc {

// A snapshot could not be written (FA009).
class snapshot_error : public std::runtime_error {
public:
    snapshot_error(const std::string& message, std::filesystem::path path, std::error_code error)
        : std::runtime_error(std::string(codes::snapshot_io) + ": " + message + " '" + path.string() +
                             "': " + error.message()),
          path_(std::move(path)),
          error_(error) {}
    [[nodiscard]] std::string_view code() const noexcept { return codes::snapshot_io; }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    [[nodiscard]] std::error_code error() const noexcept { return error_; }

private:
    std::filesystem::path path_;
    std::error_code error_;
};

class snapshot_emitter {
public:
    using clock = std::chrono::steady_clock;

    // Checks the config (config_error FA002: empty directory, max_snapshots 0, a negative interval, a
    // request file name that is empty or has a directory part). Touches no file.
    explicit snapshot_emitter(snapshot_config config);
    snapshot_emitter(const snapshot_emitter&) = delete;
    snapshot_emitter& operator=(const snapshot_emitter&) = delete;

    // Writes `s` now, whatever the request file and the intervals say. Returns the file written.
    std::filesystem::path emit(const snapshot& s, clock::time_point now = clock::now());
    // As emit(), errors in `ec` instead of an exception: an empty path when nothing was written; the
    // path and `ec` set when the file was written but pruning old ones failed.
    std::filesystem::path emit(const snapshot& s, std::error_code& ec, clock::time_point now = clock::now()) noexcept;

    // Writes `s` when it is due (see "When" above). True when a file was written.
    bool maybe_emit(const snapshot& s, clock::time_point now = clock::now());
    // Errors in `ec`; true with `ec` set when the file was written but pruning old ones failed.
    bool maybe_emit(const snapshot& s, std::error_code& ec, clock::time_point now = clock::now()) noexcept;
    // As maybe_emit(s), but `make()` builds the snapshot only when one is due: the call costs one
    // clock read and at most one stat() of the request file per frame otherwise.
    template <class F>
        requires std::invocable<F&> && std::convertible_to<std::invoke_result_t<F&>, const snapshot&>
    bool maybe_emit(F&& make, clock::time_point now = clock::now()) {
        if (!due(now)) return false;
        return maybe_emit(static_cast<const snapshot&>(make()), now);
    }

    // True when maybe_emit() would write now. Claims nothing.
    [[nodiscard]] bool due(clock::time_point now = clock::now()) const;
    // True when the request file exists.
    [[nodiscard]] bool request_pending() const;

    // A disabled emitter's maybe_emit() does nothing (emit() still writes). Enabled at construction.
    void set_enabled(bool on) noexcept { enabled_.store(on, std::memory_order_relaxed); }
    [[nodiscard]] bool enabled() const noexcept { return enabled_.load(std::memory_order_relaxed); }

    [[nodiscard]] std::uint64_t emit_count() const noexcept { return emitted_.load(std::memory_order_relaxed); }
    [[nodiscard]] const snapshot_config& config() const noexcept { return config_; }
    [[nodiscard]] std::filesystem::path request_path() const { return config_.directory / config_.request_file_name; }
    // The path of the file a snapshot of `frame` goes to; file_name(frame) is its last component.
    [[nodiscard]] std::filesystem::path path_for(std::uint64_t frame) const { return config_.directory / file_name(frame); }
    [[nodiscard]] static std::string file_name(std::uint64_t frame);
    // True when `name` is a snapshot file name (what pruning and readers look at).
    [[nodiscard]] static bool is_snapshot_file_name(std::string_view name) noexcept;

private:
    enum class reason { none, request, interval };
    [[nodiscard]] reason due_locked(clock::time_point now) const;
    // Both throw snapshot_error; the error_code overloads catch it.
    std::filesystem::path write_locked(const snapshot& s, clock::time_point now);
    void prune_locked();
    // An entry of the directory that has a snapshot's or the request's name but is not a regular file
    // (a directory, a device, a socket): skipped, and reported once per emitter (FA009, on stderr or
    // the report handler) so that nobody who can create one there can stop snapshots or pruning.
    void skip_odd_entry_locked(const std::filesystem::path& entry) const;
    [[nodiscard]] bool request_is_file_locked() const;
    // Takes the lock; `written` is set as soon as the file is in place (pruning may still throw).
    void maybe_emit_impl(const snapshot& s, clock::time_point now, bool& written);

    snapshot_config config_;
    mutable std::mutex mutex_;
    std::optional<clock::time_point> last_write_;
    std::uint64_t temp_serial_ = 0;
    std::atomic<bool> enabled_{true};
    std::atomic<std::uint64_t> emitted_{0};
    mutable bool odd_entry_reported_ = false;  // under mutex_
};

}  // namespace framealloc
