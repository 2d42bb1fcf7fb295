// Entry point of framealloc_mt_bench: the multi-threaded pool patterns, thread churn, the cost per
// allocation against size and the whole frame (as the demo writes it, and with pmr containers), each
// measurement in a process of its own (isolated_runs.hpp). perf/mt_report.py prints the ratios and
// targets, perf/plots.py draws them.
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../pool/mt_cases.hpp"
#include "isolated_runs.hpp"

int main(int argc, char** argv) {
    pool_perf::load_baselines();  // before any fork: every child inherits the loaded baselines
    pool_perf::register_producer_consumer_cases();
    pool_perf::register_larson_cases();
    pool_perf::register_thread_churn_cases();
    pool_perf::register_size_sweep_cases();
    pool_perf::register_whole_frame_cases();
    pool_perf::register_whole_frame_containers_cases();
    const std::vector<std::pair<std::string, std::string>> context{
#if defined(FRAMEALLOC_DEBUG) && FRAMEALLOC_DEBUG
        {"framealloc_debug", "ON"},
#else
        {"framealloc_debug", "OFF"},
#endif
#if defined(NDEBUG)
        {"bench_build", "optimized (NDEBUG)"},
#else
        {"bench_build", "debug (no NDEBUG)"},
#endif
        {"hardware_threads", std::to_string(std::thread::hardware_concurrency())},
        {"process_allocator", pool_perf::process_allocator_check()},
        {"baselines", pool_perf::baseline_versions()},
    };
    return framealloc_perf::driver_main(argc, argv, context);
}
