// Entry point of framealloc_pool_bench. Loads the dlopen()ed baselines, then records in the report
// context how the library was built and whether the process still runs on glibc's malloc (no baseline
// replaced it), so that perf/ratios.py can refuse to judge numbers that mean something else.
#include <benchmark/benchmark.h>

#include "../support/build_context.hpp"

#include "contenders.hpp"

int main(int argc, char** argv) {
    pool_perf::load_baselines();
    framealloc_perf::add_build_context();
    benchmark::AddCustomContext("process_allocator", pool_perf::process_allocator_check());
    benchmark::AddCustomContext("baselines", pool_perf::baseline_versions());
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
