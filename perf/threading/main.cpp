// Entry point of framealloc_threading_bench. Records in the report context how the library was built,
// so that perf/ratios.py can refuse to judge numbers from a debug build.
#include <benchmark/benchmark.h>

#include "../support/build_context.hpp"

int main(int argc, char** argv) {
    framealloc_perf::add_build_context();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
