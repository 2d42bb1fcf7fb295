// The multi-threaded pool patterns of framealloc_mt_bench (perf/support/isolated_runs.hpp runs them,
// one process per measurement), each registered for every thread-safe contender of contenders.hpp.
#pragma once

#include <array>
#include <memory>
#include <stdexcept>
#include <string>

#include "../support/isolated_runs.hpp"
#include "contenders.hpp"

namespace pool_perf {

// The contenders that may be shared by threads: the general-purpose mallocs, the synchronized pools,
// foonathan's pool behind a mutex, and framealloc.
inline constexpr std::array<contender, 8> shared_contenders{
    contender::framealloc, contender::glibc,     contender::mimalloc,   contender::jemalloc,
    contender::tbbmalloc,  contender::std_sync,  contender::boost_sync, contender::foonathan};

// make_resource(), throwing what it says (as framealloc_perf::unavailable: the measurement is skipped)
// when the contender is not available in this build.
inline std::unique_ptr<resource_box> make_or_throw(contender c, const box_options& options) {
    std::string why;
    std::unique_ptr<resource_box> box = make_resource(c, options, why);
    if (!box) throw framealloc_perf::unavailable(why);
    return box;
}

void register_producer_consumer_cases();
void register_larson_cases();
void register_thread_churn_cases();
void register_size_sweep_cases();
void register_whole_frame_cases();             // perf/threading/whole_frame.cpp
void register_whole_frame_containers_cases();  // perf/threading/whole_frame_containers.cpp

}  // namespace pool_perf
