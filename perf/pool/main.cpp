// Entry point of framealloc_pool_bench. Loads the dlopen()ed baselines, then records in the report
// context how the library was built and whether the process still runs on glibc's malloc (no baseline
// replaced it), so that perf/ratios.py can refuse to judge numbers that mean something else.
#include <benchmark/benchmark.h>

#include <string>
#include <thread>

#include "contenders.hpp"

int main(int argc, char** argv) {
    pool_perf::load_baselines();
#if defined(FRAMEALLOC_DEBUG) && FRAMEALLOC_DEBUG
    benchmark::AddCustomContext("framealloc_debug", "ON");
#else
    benchmark::AddCustomContext("framealloc_debug", "OFF");
#endif
#if defined(NDEBUG)
    benchmark::AddCustomContext("framealloc_bench_build", "optimized (NDEBUG)");
#else
    benchmark::AddCustomContext("framealloc_bench_build", "debug (no NDEBUG)");
#endif
    benchmark::AddCustomContext("hardware_threads", std::to_string(std::thread::hardware_concurrency()));
    benchmark::AddCustomContext("process_allocator", pool_perf::process_allocator_check());
    benchmark::AddCustomContext("baselines", pool_perf::baseline_versions());
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
