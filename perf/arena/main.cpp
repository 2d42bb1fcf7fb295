// Entry point of framealloc_arena_bench. Records in the report context how the library was built, so
// that perf/ratios.py can refuse to judge numbers from a debug build.
#include <benchmark/benchmark.h>

#include <string>
#include <thread>

int main(int argc, char** argv) {
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
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
