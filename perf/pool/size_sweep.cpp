// Cost per allocation against size, one thread: batches of 64 requests of one size (8-aligned),
// each block written at its first and last word, then read and freed in allocation order, for sizes
// 16 B .. 4 KiB. The figure is the time of one allocate + deallocate pair. ideal_checked serves only
// up to 256 B (contenders.hpp); foonathan's pool gets the size as its node size.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory_resource>

#include "../support/isolated_runs.hpp"
#include "mt_cases.hpp"

namespace pool_perf {

namespace {

using framealloc_perf::measurement;

constexpr std::size_t batch = 64;

[[gnu::noinline]] std::uint64_t one_batch(std::pmr::memory_resource* resource, std::size_t bytes) {
    void* blocks[batch];
    for (std::size_t i = 0; i < batch; ++i) {
        auto* words = static_cast<std::uint64_t*>(resource->allocate(bytes, 8));
        words[0] = i;
        words[bytes / 8 - 1] = i;
        blocks[i] = words;
    }
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < batch; ++i) {
        const auto* words = static_cast<const std::uint64_t*>(blocks[i]);
        sum += words[0] + words[bytes / 8 - 1];
        resource->deallocate(blocks[i], bytes, 8);
    }
    return sum;
}

void run(measurement& m, double scale, contender c, std::size_t bytes) {
    box_options options;
    options.largest_request = bytes;
    const std::unique_ptr<resource_box> box = make_or_throw(c, options);
    std::pmr::memory_resource* resource = box->get();
    const auto batches = static_cast<std::size_t>(std::max(100.0, 40000 * scale));
    std::uint64_t sum = 0;
    for (std::size_t b = 0; b < batches / 10; ++b) sum += one_batch(resource, bytes);  // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t b = 0; b < batches; ++b) sum += one_batch(resource, bytes);
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.ops = static_cast<double>(batches * batch);
    m.set("ns_per_pair", m.seconds * 1e9 / m.ops);
    m.set("checksum", static_cast<double>(sum % 1000003));
}

}  // namespace

void register_size_sweep_cases() {
    constexpr contender contenders[] = {contender::framealloc, contender::glibc,      contender::mimalloc,
                                        contender::jemalloc,   contender::tbbmalloc,  contender::std_unsync,
                                        contender::boost_unsync, contender::foonathan, contender::ideal_checked};
    for (const std::size_t bytes : {16, 32, 64, 128, 256, 512, 1024, 4096})
        for (const contender c : contenders) {
            if (c == contender::ideal_checked && bytes > 256) continue;
            framealloc_perf::register_case({"size_sweep", std::string(name_of(c)), {{"bytes", static_cast<double>(bytes)}}, "",
                                            [=](framealloc_perf::measurement& m, double scale) { run(m, scale, c, bytes); }});
        }
}

}  // namespace pool_perf
