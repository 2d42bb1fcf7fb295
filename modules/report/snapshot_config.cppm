// snapshot_config: where and when a snapshot_emitter writes.
//
//   auto config = framealloc::snapshot_config{}
//                     .with_directory("build/framealloc")
//                     .with_max_snapshots(30)
//                     .with_min_interval(std::chrono::milliseconds(250))
//                     .with_interval(std::chrono::seconds(5));   // also write every 5 s unasked
//
// Defaults follow the Rust crate: directory "target/framealloc", 30 snapshots kept, at most one
// snapshot per 500 ms from maybe_emit(), the request file "snapshot.request" honoured, no periodic
// emission. The builders only record values; snapshot_emitter's constructor checks them and throws
// config_error (FA002) for one that cannot work.
module;
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
export module framealloc.report:snapshot_config;

export namespace framealloc {

struct snapshot_config {
    using duration = std::chrono::nanoseconds;

    // Created on first write (with its parents). Snapshot files and the request file live here.
    std::filesystem::path directory = "target/framealloc";
    // Snapshot files kept: after each write the oldest (lowest frame) beyond this are deleted. >= 1.
    std::size_t max_snapshots = 30;
    // maybe_emit() never writes twice within this interval (a pending request waits). >= 0.
    duration min_interval = std::chrono::milliseconds(500);
    // When set, maybe_emit() also writes unasked once this much time has passed since the last write
    // (zero: at every call, still limited by min_interval). Unset: only on request.
    std::optional<duration> interval;
    // maybe_emit() writes when <directory>/<request_file_name> exists, and deletes it (a viewer such as
    // fa-insight creates it to ask for a snapshot). A plain file name, no directory part.
    bool check_request_file = true;
    std::string request_file_name = "snapshot.request";

    snapshot_config with_directory(std::filesystem::path dir) const {
        snapshot_config c = *this;
        c.directory = std::move(dir);
        return c;
    }
    snapshot_config with_max_snapshots(std::size_t n) const {
        snapshot_config c = *this;
        c.max_snapshots = n;
        return c;
    }
    snapshot_config with_min_interval(duration d) const {
        snapshot_config c = *this;
        c.min_interval = d;
        return c;
    }
    snapshot_config with_interval(std::optional<duration> d) const {
        snapshot_config c = *this;
        c.interval = d;
        return c;
    }
    // The Rust crate's switch: true writes at every maybe_emit() (interval zero), false only on request.
    snapshot_config with_auto_emit(bool on) const {
        return with_interval(on ? std::optional<duration>(duration::zero()) : std::nullopt);
    }
    snapshot_config with_request_file(bool check) const {
        snapshot_config c = *this;
        c.check_request_file = check;
        return c;
    }
    // Checks the request file under another name (turns checking on).
    snapshot_config with_request_file_name(std::string file_name) const {
        snapshot_config c = *this;
        c.check_request_file = true;
        c.request_file_name = std::move(file_name);
        return c;
    }
};

}  // namespace framealloc
