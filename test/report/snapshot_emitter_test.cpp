// snapshot_emitter: file names, atomic writes (no temporary file left, none visible as *.json, a process
// killed mid-write never leaves a torn snapshot), pruning, the request file, the intervals, errors.
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "json_parse.hpp"

import framealloc;

namespace fs = std::filesystem;
namespace json = framealloc_test::json;
using namespace std::chrono_literals;
using clock_type = framealloc::snapshot_emitter::clock;

namespace {

// A fresh directory per test, removed afterwards.
struct scratch_dir {
    fs::path path;
    explicit scratch_dir(const std::string& name)
        : path(fs::temp_directory_path() / ("framealloc-" + name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path);
    }
    ~scratch_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

framealloc::snapshot snapshot_of(std::uint64_t frame) {
    framealloc::snapshot s;
    s.frame = frame;
    s.timestamp = std::chrono::system_clock::now();
    return s;
}

void touch(const fs::path& p) { std::ofstream(p) << "please"; }

framealloc::snapshot_config config_in(const fs::path& dir) {
    return framealloc::snapshot_config{}.with_directory(dir).with_min_interval(0ms);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot_emitter)

BOOST_AUTO_TEST_CASE(defaults_follow_the_rust_crate) {
    const framealloc::snapshot_config c;
    BOOST_TEST(c.directory == fs::path("target/framealloc"));
    BOOST_TEST(c.max_snapshots == 30u);
    BOOST_TEST((c.min_interval == 500ms));
    BOOST_TEST(c.check_request_file);
    BOOST_TEST(c.request_file_name == "snapshot.request");
    BOOST_TEST(!c.interval.has_value());
    const auto b = c.with_directory("x").with_max_snapshots(3).with_min_interval(1s).with_interval(2s);
    BOOST_TEST(b.directory == fs::path("x"));
    BOOST_TEST(b.max_snapshots == 3u);
    BOOST_TEST((b.min_interval == 1s));
    BOOST_TEST((*b.interval == 2s));
    BOOST_TEST((*c.with_auto_emit(true).interval == 0s));
    BOOST_TEST(!b.with_auto_emit(false).interval.has_value());
    BOOST_TEST(!c.with_request_file(false).check_request_file);
    BOOST_TEST(c.with_request_file_name("go").request_file_name == "go");
}

BOOST_AUTO_TEST_CASE(configs_that_cannot_work_are_refused) {
    const framealloc::snapshot_config ok = framealloc::snapshot_config{}.with_directory("d");
    const auto refused = [](const framealloc::snapshot_config& c) {
        try {
            framealloc::snapshot_emitter e{c};
        } catch (const framealloc::config_error& e) {
            return e.code() == "FA002";
        }
        return false;
    };
    BOOST_TEST(refused(ok.with_directory("")));
    BOOST_TEST(refused(ok.with_max_snapshots(0)));
    BOOST_TEST(refused(ok.with_min_interval(-1ms)));
    BOOST_TEST(refused(ok.with_interval(-1s)));
    BOOST_TEST(refused(ok.with_request_file_name("")));
    BOOST_TEST(refused(ok.with_request_file_name("a/b")));
    BOOST_TEST(refused(ok.with_request_file_name("..")));
    BOOST_TEST(refused(ok.with_request_file_name(framealloc::snapshot_emitter::file_name(3))));
    BOOST_CHECK_NO_THROW(framealloc::snapshot_emitter{ok});
    BOOST_TEST(!fs::exists("d"));  // construction touches no file
}

BOOST_AUTO_TEST_CASE(file_names_sort_by_frame) {
    using e = framealloc::snapshot_emitter;
    BOOST_TEST(e::file_name(42) == "snapshot_00000000000000000042.json");
    BOOST_TEST(e::file_name(UINT64_MAX) == "snapshot_18446744073709551615.json");
    std::vector<std::uint64_t> frames{0, 9, 10, 99, 100, 12345678901ull, UINT64_MAX};
    std::vector<std::string> names;
    for (auto f : frames) names.push_back(e::file_name(f));
    BOOST_TEST(std::is_sorted(names.begin(), names.end()));
    BOOST_TEST(e::is_snapshot_file_name(e::file_name(7)));
    BOOST_TEST(!e::is_snapshot_file_name("snapshot_7.json"));
    BOOST_TEST(!e::is_snapshot_file_name("snapshot_0000000000000000000x.json"));
    BOOST_TEST(!e::is_snapshot_file_name(".snapshot_00000000000000000007.1.1.tmp"));
}

BOOST_AUTO_TEST_CASE(emit_writes_one_complete_file_and_nothing_else) {
    scratch_dir dir("emit");
    framealloc::snapshot_emitter emitter{config_in(dir.path / "nested" / "deeper")};
    const framealloc::snapshot seven = snapshot_of(7);
    const fs::path written = emitter.emit(seven);
    BOOST_TEST(written == dir.path / "nested" / "deeper" / "snapshot_00000000000000000007.json");
    BOOST_TEST(names_in(written.parent_path()) == std::vector<std::string>{written.filename().string()},
               boost::test_tools::per_element());
    const std::string text = read_file(written);
    BOOST_TEST(text == framealloc::to_json(seven));  // byte for byte
    const json::value v = json::parse(text);
    BOOST_TEST(v["frame"].u64() == 7u);
    BOOST_TEST(emitter.emit_count() == 1u);
    BOOST_TEST(((fs::status(written).permissions() & fs::perms::owner_read) != fs::perms::none));

    // The same frame again replaces the file.
    framealloc::snapshot again = snapshot_of(7);
    again.duration_us = 99;
    emitter.emit(again);
    BOOST_TEST(names_in(written.parent_path()).size() == 1u);
    BOOST_TEST(json::parse(read_file(written))["duration_us"].u64() == 99u);
}

BOOST_AUTO_TEST_CASE(pruning_keeps_the_newest_frames_and_leaves_other_files_alone) {
    scratch_dir dir("prune");
    fs::create_directories(dir.path);
    touch(dir.path / "notes.txt");
    touch(dir.path / "snapshot_12.json");  // not our name form: never pruned
    framealloc::snapshot_emitter emitter{config_in(dir.path).with_max_snapshots(3)};
    for (std::uint64_t f : {5, 1, 9, 3, 10, 2, 8}) emitter.emit(snapshot_of(f));
    const std::vector<std::string> expected{"notes.txt", "snapshot_00000000000000000008.json",
                                            "snapshot_00000000000000000009.json",
                                            "snapshot_00000000000000000010.json", "snapshot_12.json"};
    BOOST_TEST(names_in(dir.path) == expected, boost::test_tools::per_element());
    BOOST_TEST(emitter.emit_count() == 7u);
}

BOOST_AUTO_TEST_CASE(maybe_emit_writes_only_on_request_and_consumes_it) {
    scratch_dir dir("request");
    framealloc::snapshot_emitter emitter{config_in(dir.path)};
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(1)));
    BOOST_TEST(!fs::exists(dir.path));  // nothing asked: not even the directory
    fs::create_directories(dir.path);
    touch(emitter.request_path());
    BOOST_TEST(emitter.request_pending());
    BOOST_TEST(emitter.due());
    BOOST_TEST(emitter.maybe_emit(snapshot_of(2)));
    BOOST_TEST(!fs::exists(emitter.request_path()));
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(3)));  // one request, one snapshot
    BOOST_TEST(names_in(dir.path) == std::vector<std::string>{"snapshot_00000000000000000002.json"},
               boost::test_tools::per_element());

    // Request checking off: the file is ignored and left alone.
    framealloc::snapshot_emitter deaf{config_in(dir.path).with_request_file(false)};
    touch(deaf.request_path());
    BOOST_TEST(!deaf.maybe_emit(snapshot_of(4)));
    BOOST_TEST(fs::exists(deaf.request_path()));

    // Another name.
    framealloc::snapshot_emitter named{config_in(dir.path).with_request_file_name("go")};
    touch(dir.path / "go");
    BOOST_TEST(named.maybe_emit(snapshot_of(5)));
    BOOST_TEST(!fs::exists(dir.path / "go"));
    BOOST_TEST(fs::exists(deaf.request_path()));  // snapshot.request is not named's request
}

BOOST_AUTO_TEST_CASE(a_request_within_the_minimum_interval_waits) {
    scratch_dir dir("min-interval");
    fs::create_directories(dir.path);
    framealloc::snapshot_emitter emitter{config_in(dir.path).with_min_interval(100ms)};
    const auto t0 = clock_type::now();
    touch(emitter.request_path());
    BOOST_TEST(emitter.maybe_emit(snapshot_of(1), t0));
    touch(emitter.request_path());
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(2), t0 + 50ms));
    BOOST_TEST(!emitter.due(t0 + 99ms));
    BOOST_TEST(emitter.request_pending());  // still pending, not consumed
    BOOST_TEST(emitter.maybe_emit(snapshot_of(3), t0 + 100ms));
    BOOST_TEST(!emitter.request_pending());
    // An explicit emit() counts as a write for the minimum interval too.
    emitter.emit(snapshot_of(4), t0 + 200ms);
    touch(emitter.request_path());
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(5), t0 + 250ms));
    BOOST_TEST(emitter.maybe_emit(snapshot_of(6), t0 + 300ms));
}

BOOST_AUTO_TEST_CASE(periodic_emission_follows_the_interval) {
    scratch_dir dir("interval");
    framealloc::snapshot_emitter emitter{config_in(dir.path).with_interval(100ms).with_min_interval(20ms)};
    const auto t0 = clock_type::now();
    BOOST_TEST(emitter.maybe_emit(snapshot_of(1), t0));  // nothing written yet: due at once
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(2), t0 + 99ms));
    BOOST_TEST(emitter.maybe_emit(snapshot_of(3), t0 + 100ms));
    // A request is served before the interval, but not within the minimum interval.
    touch(emitter.request_path());
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(4), t0 + 110ms));
    BOOST_TEST(emitter.maybe_emit(snapshot_of(5), t0 + 120ms));
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(6), t0 + 200ms));
    BOOST_TEST(emitter.maybe_emit(snapshot_of(7), t0 + 220ms));
    BOOST_TEST(emitter.emit_count() == 4u);

    // auto_emit: every call, limited by the minimum interval only.
    framealloc::snapshot_emitter every{config_in(dir.path / "every").with_auto_emit(true).with_min_interval(10ms)};
    int written = 0;
    for (int i = 0; i < 10; ++i) written += every.maybe_emit(snapshot_of(100 + i), t0 + i * 5ms) ? 1 : 0;
    BOOST_TEST(written == 5);
}

BOOST_AUTO_TEST_CASE(disabled_emitter_writes_only_when_told) {
    scratch_dir dir("disabled");
    framealloc::snapshot_emitter emitter{config_in(dir.path).with_auto_emit(true)};
    emitter.set_enabled(false);
    BOOST_TEST(!emitter.enabled());
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(1)));
    BOOST_TEST(!emitter.due());
    emitter.emit(snapshot_of(2));
    BOOST_TEST(emitter.emit_count() == 1u);
    emitter.set_enabled(true);
    BOOST_TEST(emitter.maybe_emit(snapshot_of(3)));
}

BOOST_AUTO_TEST_CASE(the_lazy_overload_builds_only_when_due) {
    scratch_dir dir("lazy");
    framealloc::snapshot_emitter emitter{config_in(dir.path)};
    int built = 0;
    const auto make = [&] {
        ++built;
        return snapshot_of(11);
    };
    BOOST_TEST(!emitter.maybe_emit(make));
    BOOST_TEST(built == 0);
    fs::create_directories(dir.path);
    touch(emitter.request_path());
    BOOST_TEST(emitter.maybe_emit(make));
    BOOST_TEST(built == 1);
    BOOST_TEST(fs::exists(emitter.path_for(11)));
}

BOOST_AUTO_TEST_CASE(io_errors_are_reported_with_fa009_and_leave_nothing_behind) {
    scratch_dir dir("errors");
    fs::create_directories(dir.path);
    touch(dir.path / "a-file");
    // The directory cannot be created: a regular file is in the way.
    framealloc::snapshot_emitter blocked{config_in(dir.path / "a-file" / "sub")};
    try {
        blocked.emit(snapshot_of(1));
        BOOST_FAIL("no exception");
    } catch (const framealloc::snapshot_error& e) {
        BOOST_TEST(e.code() == "FA009");
        BOOST_TEST(std::string(e.what()).find("FA009: cannot create the snapshot directory") == 0u);
        BOOST_TEST(e.path() == dir.path / "a-file" / "sub");
        BOOST_TEST((e.error() == std::errc::not_a_directory));
    }
    std::error_code ec;
    BOOST_TEST(blocked.emit(snapshot_of(1), ec).empty());
    BOOST_TEST((ec == std::errc::not_a_directory));
    BOOST_TEST(blocked.emit_count() == 0u);

    // The rename is refused (a non-empty directory holds the final name): the temporary file goes.
    framealloc::snapshot_emitter emitter{config_in(dir.path / "out")};
    fs::create_directories(emitter.path_for(5) / "occupied");
    BOOST_CHECK_THROW(emitter.emit(snapshot_of(5)), framealloc::snapshot_error);
    BOOST_TEST(names_in(dir.path / "out") == std::vector<std::string>{emitter.path_for(5).filename().string()},
               boost::test_tools::per_element());
    BOOST_TEST(fs::is_directory(emitter.path_for(5)));
    // maybe_emit with an error_code: false, ec set, no throw.
    touch(emitter.request_path());
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(5), ec));
    BOOST_TEST(static_cast<bool>(ec));
    // The emitter still works for other frames.
    BOOST_TEST(emitter.emit(snapshot_of(6), ec) == emitter.path_for(6));
    BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_CASE(temporaries_of_dead_processes_are_cleaned_others_kept) {
    scratch_dir dir("stale");
    fs::create_directories(dir.path);
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);  // reaped: its pid names no process now
    const std::string dead = ".snapshot_00000000000000000003." + std::to_string(child) + ".1.tmp";
    const std::string mine = ".snapshot_00000000000000000003." + std::to_string(::getpid()) + ".9.tmp";
    const std::string init = ".snapshot_00000000000000000003.1.1.tmp";  // pid 1 is alive
    for (const auto& n : {dead, mine, init}) touch(dir.path / n);
    framealloc::snapshot_emitter emitter{config_in(dir.path)};
    emitter.emit(snapshot_of(4));
    const auto names = names_in(dir.path);
    BOOST_TEST(std::count(names.begin(), names.end(), dead) == 0);
    BOOST_TEST(std::count(names.begin(), names.end(), mine) == 1);
    BOOST_TEST(std::count(names.begin(), names.end(), init) == 1);
}

BOOST_AUTO_TEST_CASE(concurrent_emits_all_land_whole) {
    scratch_dir dir("concurrent");
    framealloc::snapshot_emitter emitter{config_in(dir.path).with_max_snapshots(1000)};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) emitter.emit(snapshot_of(static_cast<std::uint64_t>(t * 100 + i)));
        });
    for (auto& th : threads) th.join();
    const auto names = names_in(dir.path);
    BOOST_TEST(names.size() == 100u);
    for (const auto& n : names) BOOST_CHECK_NO_THROW(json::parse(read_file(dir.path / n)));
}

// A writer process killed with SIGKILL while it writes multi-megabyte snapshots: every *.json in the
// directory is complete, and the next write removes the dead process's temporary file.
BOOST_AUTO_TEST_CASE(a_crash_mid_write_never_leaves_a_torn_snapshot) {
    scratch_dir dir("crash");
    int killed_mid_write = 0;
    for (int round = 0; round < 3; ++round) {
        const pid_t child = ::fork();
        if (child == 0) {
            ::execl(FRAMEALLOC_SNAPSHOT_WRITER, FRAMEALLOC_SNAPSHOT_WRITER, "crash", dir.path.c_str(),
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        BOOST_REQUIRE(child > 0);
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        bool caught = false;
        while (!caught && std::chrono::steady_clock::now() < deadline) {
            bool partial = false, complete = false;
            std::error_code ec;
            for (fs::directory_iterator it(dir.path, ec), end; !ec && it != end; it.increment(ec)) {
                const std::string n = it->path().filename().string();
                std::error_code size_ec;
                if (n.ends_with(".tmp") && fs::file_size(it->path(), size_ec) > 0 && !size_ec) partial = true;
                if (framealloc::snapshot_emitter::is_snapshot_file_name(n)) complete = true;
            }
            if (partial && complete) {
                ::kill(child, SIGKILL);
                caught = true;
            } else {
                std::this_thread::sleep_for(1ms);
            }
        }
        if (!caught) ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        BOOST_TEST_REQUIRE(caught);
        BOOST_TEST(WIFSIGNALED(status));
        killed_mid_write += caught ? 1 : 0;

        int snapshots = 0;
        for (const auto& e : fs::directory_iterator(dir.path)) {
            const std::string n = e.path().filename().string();
            if (!n.ends_with(".json")) continue;
            BOOST_TEST_INFO("file " << n);
            BOOST_TEST(framealloc::snapshot_emitter::is_snapshot_file_name(n));
            const json::value v = json::parse(read_file(e.path()));  // throws on a torn file
            BOOST_TEST(v["tags"].arr().size() == 5000u);
            BOOST_TEST(framealloc::snapshot_emitter::file_name(v["frame"].u64()) == n);
            ++snapshots;
        }
        BOOST_TEST(snapshots >= 1);
        BOOST_TEST(snapshots <= 4);
    }
    BOOST_TEST(killed_mid_write == 3);
    // This process writes next: the dead writers' temporary files go.
    framealloc::snapshot_emitter emitter{config_in(dir.path).with_max_snapshots(4)};
    emitter.emit(snapshot_of(UINT64_MAX));
    for (const auto& n : names_in(dir.path)) BOOST_TEST(!n.ends_with(".tmp"), n);
}

// Entries with a snapshot's or the request's name that are not regular files: skipped (reported once),
// snapshots, requests and pruning go on.
BOOST_AUTO_TEST_CASE(directories_named_like_snapshots_or_the_request_are_skipped) {
    scratch_dir dir("odd-entries");
    fs::create_directories(dir.path / "snapshot.request");  // a directory, not a request
    fs::create_directories(dir.path / "snapshot_00000000000000000001.json");
    framealloc::snapshot_emitter emitter{config_in(dir.path).with_max_snapshots(2)};
    BOOST_TEST(!emitter.request_pending());
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(2)));  // no request: nothing written, nothing thrown
    for (std::uint64_t f = 3; f <= 8; ++f) emitter.emit(snapshot_of(f));
    const std::vector<std::string> expected{"snapshot.request", "snapshot_00000000000000000001.json",
                                            "snapshot_00000000000000000007.json",
                                            "snapshot_00000000000000000008.json"};
    BOOST_TEST(names_in(dir.path) == expected, boost::test_tools::per_element());  // max 2 files kept
    BOOST_TEST(fs::is_directory(dir.path / "snapshot.request"));
    // A real request still works beside them (under another name: the directory holds the default one).
    framealloc::snapshot_emitter named{config_in(dir.path).with_request_file_name("go").with_max_snapshots(2)};
    touch(dir.path / "go");
    BOOST_TEST(named.maybe_emit(snapshot_of(9)));
    std::error_code ec;
    BOOST_TEST(!emitter.maybe_emit(snapshot_of(10), ec));
    BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_SUITE_END()
