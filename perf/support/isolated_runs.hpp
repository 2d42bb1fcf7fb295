// A driver of ours for the benchmarks Google Benchmark cannot measure well: multi-threaded patterns
// whose peak resident memory is a result (one process per measurement, so no contender inherits the
// footprint of another), thread churn, and whole frames whose time distribution is the result.
//
// Every measurement runs in a child process forked from the driver (which starts no thread itself, so
// fork() is safe): the child resets the kernel's resident high-water mark (/proc/self/clear_refs),
// runs the case and sends back its figures as one JSON object through a pipe. Repetitions are
// interleaved: round r runs every selected case once, in an order shuffled per round, so a neighbour's
// burst on the shared machine hits every contender alike. The report keeps every repetition; readers
// (perf/mt_report.py, perf/plots.py) take the best.
//
//   framealloc_mt_bench [--filter REGEX]... [--repetitions N] [--scale X] [--json FILE] [--list]
//
// --scale multiplies every case's amount of work (0.02: the ctest smoke run, seconds in all).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace framealloc_perf {

// What one run of a case found. `ops` units of work in `seconds` of wall time (throughput = ops /
// seconds); `values` further figures (bytes, medians); `samples` a distribution (frame times in µs).
struct measurement {
    double ops = 0;
    double seconds = 0;
    std::vector<std::pair<std::string, double>> values;
    std::vector<double> samples;
    void set(std::string key, double value) { values.emplace_back(std::move(key), value); }
};

// Thrown by a case whose contender is not built in (its package was missing at configure time): the
// measurement is reported as skipped, with the reason, and does not fail the run.
struct unavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct bench_case {
    std::string group;      // "producer_consumer", "larson", "thread_churn", "whole_frame", "size_sweep"
    std::string contender;  // pool_perf::name_of(), or the whole frame's backend
    std::vector<std::pair<std::string, double>> params;  // e.g. {"W", 2}, {"bytes", 64}
    std::string variant;    // e.g. "64B", "mixed"; may be empty
    std::function<void(measurement&, double scale)> run;

    // group[/variant]/param:value.../contender: what --filter matches and the report shows.
    [[nodiscard]] std::string name() const;
};

void register_case(bench_case c);

// Parses the options above, runs the selected cases and writes the report. `context` lines go in the
// report's "context" object (build, machine, baselines). Returns the process's exit status (2 on bad
// options, 1 when a measurement failed; a skipped one does not count).
int driver_main(int argc, char** argv, const std::vector<std::pair<std::string, std::string>>& context);

// The peak resident set since the last reset_peak_rss(), minus the resident set at that reset:
// what the measurement itself made resident at its worst.
void reset_peak_rss();
[[nodiscard]] double peak_rss_growth();

}  // namespace framealloc_perf
