// Records in a benchmark report how framealloc and the benchmark were built, so that perf/ratios.py can
// refuse to judge numbers from a debug build. Shared by every benchmark executable's main().
#pragma once

#include <benchmark/benchmark.h>

#include <string>
#include <thread>

namespace framealloc_perf {

inline void add_build_context() {
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
#if defined(FRAMEALLOC_DIAGNOSTICS) && !FRAMEALLOC_DIAGNOSTICS
    benchmark::AddCustomContext("framealloc_diagnostics", "OFF");
#else
    benchmark::AddCustomContext("framealloc_diagnostics", "ON");
#endif
    benchmark::AddCustomContext("hardware_threads", std::to_string(std::thread::hardware_concurrency()));
}

}  // namespace framealloc_perf
