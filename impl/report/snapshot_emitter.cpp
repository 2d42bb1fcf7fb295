// snapshot_emitter: atomic writes (temporary file + fsync + rename + directory fsync), pruning, the
// request file and the intervals.
module;
#include <fcntl.h>
#include <signal.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <new>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>
module framealloc.report;

import framealloc.core;
import framealloc.diagnostics;

namespace framealloc {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view file_prefix = "snapshot_";
constexpr std::string_view file_suffix = ".json";
constexpr std::size_t frame_digits = 20;  // UINT64_MAX has 20 digits: every frame number sorts by name
constexpr std::string_view temp_prefix = ".snapshot_";
constexpr std::string_view temp_suffix = ".tmp";
// write() calls are bounded so that a huge snapshot is not one syscall (and a kill can land between).
constexpr std::size_t write_chunk = 1 << 20;

std::error_code errno_code(int e) { return {e, std::system_category()}; }

std::string padded_frame(std::uint64_t frame) {
    std::string digits = std::to_string(frame);
    return std::string(frame_digits - digits.size(), '0') + digits;
}

class file_descriptor {
public:
    explicit file_descriptor(int fd) : fd_(fd) {}
    file_descriptor(const file_descriptor&) = delete;
    file_descriptor& operator=(const file_descriptor&) = delete;
    ~file_descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    [[nodiscard]] int get() const noexcept { return fd_; }
    // close() may report a write error the earlier calls did not (NFS, quotas): it is checked.
    [[nodiscard]] int close() noexcept {
        const int r = ::close(fd_);
        fd_ = -1;
        return r;
    }

private:
    int fd_;
};

// 0 or an errno value.
int write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), std::min(data.size(), write_chunk));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

// The pid in ".snapshot_<frame>.<pid>.<serial>.tmp", or nullopt when `name` is not of that form.
std::optional<long> temporary_owner(std::string_view name) {
    if (!name.starts_with(temp_prefix) || !name.ends_with(temp_suffix)) return std::nullopt;
    name.remove_prefix(temp_prefix.size());
    name.remove_suffix(temp_suffix.size());
    const auto fields = [&]() -> std::optional<long> {
        const std::size_t a = name.find('.');
        if (a == std::string_view::npos) return std::nullopt;
        const std::size_t b = name.find('.', a + 1);
        if (b == std::string_view::npos) return std::nullopt;
        long pid = 0;
        const char* first = name.data() + a + 1;
        const char* last = name.data() + b;
        const auto [end, ec] = std::from_chars(first, last, pid);
        if (ec != std::errc{} || end != last || pid <= 0) return std::nullopt;
        return pid;
    };
    return fields();
}

}  // namespace

snapshot_emitter::snapshot_emitter(snapshot_config config) : config_(std::move(config)) {
    if (config_.directory.empty()) throw config_error("snapshot_config: the directory is empty");
    if (config_.max_snapshots == 0) throw config_error("snapshot_config: max_snapshots must be at least 1");
    if (config_.min_interval < snapshot_config::duration::zero())
        throw config_error("snapshot_config: min_interval is negative");
    if (config_.interval && *config_.interval < snapshot_config::duration::zero())
        throw config_error("snapshot_config: interval is negative");
    const std::string& r = config_.request_file_name;
    if (r.empty() || r == "." || r == ".." || r.find('/') != std::string::npos || r.find('\0') != std::string::npos)
        throw config_error("snapshot_config: request_file_name must be a plain file name, got '" + r + "'");
    if (is_snapshot_file_name(r) || temporary_owner(r))
        throw config_error("snapshot_config: request_file_name '" + r + "' looks like a snapshot file");
}

std::string snapshot_emitter::file_name(std::uint64_t frame) {
    return std::string(file_prefix) + padded_frame(frame) + std::string(file_suffix);
}

bool snapshot_emitter::is_snapshot_file_name(std::string_view name) noexcept {
    if (name.size() != file_prefix.size() + frame_digits + file_suffix.size()) return false;
    if (!name.starts_with(file_prefix) || !name.ends_with(file_suffix)) return false;
    const std::string_view digits = name.substr(file_prefix.size(), frame_digits);
    return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool snapshot_emitter::request_pending() const {
    std::lock_guard lock(mutex_);
    return request_is_file_locked();
}

bool snapshot_emitter::request_is_file_locked() const {
    const fs::path request = request_path();
    struct ::stat st{};
    if (::stat(request.c_str(), &st) != 0) return false;  // absent (or unreadable): no request
    if (S_ISREG(st.st_mode)) return true;
    skip_odd_entry_locked(request);
    return false;
}

void snapshot_emitter::skip_odd_entry_locked(const fs::path& entry) const {
    if (odd_entry_reported_) return;
    odd_entry_reported_ = true;
    detail::report(codes::snapshot_io,
                   "snapshot directory entry " + entry.string() +
                       " is not a regular file: ignored (snapshots, requests and pruning go on without it)",
                   detail::report_action::resume, false);
}

snapshot_emitter::reason snapshot_emitter::due_locked(clock::time_point now) const {
    if (!enabled()) return reason::none;
    if (last_write_ && now - *last_write_ < config_.min_interval) return reason::none;
    if (config_.check_request_file && request_is_file_locked()) return reason::request;
    if (config_.interval && (!last_write_ || now - *last_write_ >= *config_.interval)) return reason::interval;
    return reason::none;
}

bool snapshot_emitter::due(clock::time_point now) const {
    std::lock_guard lock(mutex_);
    return due_locked(now) != reason::none;
}

fs::path snapshot_emitter::write_locked(const snapshot& s, clock::time_point now) {
    const std::string json = to_json(s);
    const fs::path& dir = config_.directory;
    try {  // the throwing form: libstdc++'s error_code form is noexcept but may allocate
        fs::create_directories(dir);
    } catch (const fs::filesystem_error& e) {
        throw snapshot_error("cannot create the snapshot directory", dir, e.code());
    }

    const fs::path final_path = path_for(s.frame);
    const fs::path temp_path = dir / (std::string(temp_prefix) + padded_frame(s.frame) + "." +
                                      std::to_string(::getpid()) + "." + std::to_string(++temp_serial_) +
                                      std::string(temp_suffix));
    const auto fail = [&](const char* what, const fs::path& where, int e) {
        ::unlink(temp_path.c_str());
        throw snapshot_error(what, where, errno_code(e));
    };
    file_descriptor fd(::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw snapshot_error("cannot create a snapshot file in", dir, errno_code(errno));
    if (const int e = write_all(fd.get(), json); e != 0) fail("cannot write the snapshot file", temp_path, e);
    if (::fsync(fd.get()) != 0) fail("cannot flush the snapshot file", temp_path, errno);
    if (fd.close() != 0) fail("cannot close the snapshot file", temp_path, errno);
    // rename() replaces final_path atomically: readers see the old file or the complete new one.
    if (::rename(temp_path.c_str(), final_path.c_str()) != 0) fail("cannot rename the snapshot to", final_path, errno);
    // Makes the rename itself durable. Some file systems refuse fsync on a directory (EINVAL); the
    // file is complete either way, so this one is best effort.
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        (void)::fsync(dfd);
        ::close(dfd);
    }
    last_write_ = now;
    emitted_.fetch_add(1, std::memory_order_relaxed);
    return final_path;
}

void snapshot_emitter::prune_locked() {
    const fs::path& dir = config_.directory;
    const long self = ::getpid();
    std::vector<std::string> names;
    // Listed with opendir/readdir: libstdc++'s directory_iterator allocates inside noexcept code, so out
    // of memory there would terminate the program instead of failing this snapshot.
    DIR* listing = ::opendir(dir.c_str());
    if (listing == nullptr) throw snapshot_error("cannot list the snapshot directory", dir, errno_code(errno));
    const std::unique_ptr<DIR, int (*)(DIR*)> closer(listing, ::closedir);
    errno = 0;
    while (const ::dirent* e = ::readdir(listing)) {
        const std::string_view entry(e->d_name);
        if (is_snapshot_file_name(entry)) {
            const fs::path path = dir / entry;
            struct ::stat st{};
            const bool regular = e->d_type == DT_REG || (e->d_type == DT_UNKNOWN && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode));
            if (!regular) {  // a directory named like a snapshot is not one
                skip_odd_entry_locked(path);
            } else {
                names.emplace_back(entry);
            }
        } else if (const std::optional<long> owner = temporary_owner(entry); owner && *owner != self) {
            // Left by a process that died mid-write (a live one's file is being written: keep it).
            if (::kill(static_cast<pid_t>(*owner), 0) != 0 && errno == ESRCH) (void)::unlink((dir / entry).c_str());
        }
        errno = 0;
    }
    if (errno != 0) throw snapshot_error("cannot list the snapshot directory", dir, errno_code(errno));
    if (names.size() <= config_.max_snapshots) return;
    std::sort(names.begin(), names.end());  // 20-digit frames: name order is frame order
    const std::size_t excess = names.size() - config_.max_snapshots;
    for (std::size_t i = 0; i < excess; ++i) {
        const fs::path old = dir / names[i];
        if (::unlink(old.c_str()) != 0 && errno != ENOENT)  // one another emitter removed first is no error
            throw snapshot_error("snapshot written, but cannot delete the old snapshot", old, errno_code(errno));
    }
}

fs::path snapshot_emitter::emit(const snapshot& s, clock::time_point now) {
    std::lock_guard lock(mutex_);
    fs::path written = write_locked(s, now);
    prune_locked();
    return written;
}

fs::path snapshot_emitter::emit(const snapshot& s, std::error_code& ec, clock::time_point now) noexcept {
    ec.clear();
    fs::path written;
    try {
        std::lock_guard lock(mutex_);
        written = write_locked(s, now);
        prune_locked();  // on failure `written` is still returned: the file is there
    } catch (const snapshot_error& e) {
        ec = e.error();
    } catch (const std::bad_alloc&) {
        ec = std::make_error_code(std::errc::not_enough_memory);
    } catch (const std::system_error& e) {  // std::mutex::lock
        ec = e.code();
    }
    return written;
}

bool snapshot_emitter::maybe_emit(const snapshot& s, clock::time_point now) {
    bool written = false;
    maybe_emit_impl(s, now, written);
    return written;
}

void snapshot_emitter::maybe_emit_impl(const snapshot& s, clock::time_point now, bool& written) {
    std::lock_guard lock(mutex_);
    const reason why = due_locked(now);
    if (why == reason::none) return;
    if (why == reason::request) {
        // Deleting the request claims it: of several emitters watching one directory, one writes.
        const fs::path request = request_path();
        if (::unlink(request.c_str()) != 0) {
            const int e = errno;
            if (e != ENOENT) throw snapshot_error("cannot delete the snapshot request", request, errno_code(e));
            const bool interval_due =
                config_.interval && (!last_write_ || now - *last_write_ >= *config_.interval);
            if (!interval_due) return;  // someone else took the request
        }
    }
    write_locked(s, now);
    written = true;
    prune_locked();
}

bool snapshot_emitter::maybe_emit(const snapshot& s, std::error_code& ec, clock::time_point now) noexcept {
    ec.clear();
    bool written = false;
    try {
        maybe_emit_impl(s, now, written);
    } catch (const snapshot_error& e) {
        ec = e.error();
    } catch (const std::bad_alloc&) {
        ec = std::make_error_code(std::errc::not_enough_memory);
    } catch (const std::system_error& e) {
        ec = e.code();
    }
    return written;  // true with ec set: written, but pruning failed
}

}  // namespace framealloc
