// The process's secret slab key (modules/pool/slab.cppm).
module;
#include <sys/random.h>

#include <cstdint>
#include <random>
module framealloc.pool;

namespace framealloc::detail {

std::uint64_t slab_key() noexcept {
    static const std::uint64_t key = [] {
        std::uint64_t k = 0;
        if (::getrandom(&k, sizeof k, 0) != static_cast<ssize_t>(sizeof k)) {
            try {
                std::random_device device;
                k = (std::uint64_t(device()) << 32) ^ device();
            } catch (...) {
                // No entropy source at all: the address of a local mixes in ASLR at least.
                k = reinterpret_cast<std::uintptr_t>(&k) * 0x9E3779B97F4A7C15ull;
            }
        }
        return k | 1;  // never 0: a released slab's magic is 0
    }();
    return key;
}

}  // namespace framealloc::detail
