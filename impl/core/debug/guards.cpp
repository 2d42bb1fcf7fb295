// Guard bytes: a fill that an overrun changes, poisoned so that instrumented code is stopped at the
// write and uninstrumented code is caught when the guard is checked.
module;
#include <framealloc/poison.hpp>

#include <cstddef>
#include <cstring>
module framealloc.core;

namespace framealloc::detail {

void arm_guard([[maybe_unused]] void* p, [[maybe_unused]] std::size_t n) noexcept {
#if FRAMEALLOC_DEBUG_ENABLED
    if (n == 0) return;
    FRAMEALLOC_ASAN_UNPOISON(p, n);
    FRAMEALLOC_VG_UNDEFINED(p, n);
    std::memset(p, guard_fill, n);
    FRAMEALLOC_ASAN_POISON(p, n);
    FRAMEALLOC_VG_NOACCESS(p, n);
#endif
}

std::size_t check_guard([[maybe_unused]] void* p, [[maybe_unused]] std::size_t n, std::size_t& first) noexcept {
    first = 0;
    std::size_t damaged = 0;
#if FRAMEALLOC_DEBUG_ENABLED
    if (n == 0) return 0;
    FRAMEALLOC_ASAN_UNPOISON(p, n);
    // Defined, not just addressable: memcheck would otherwise flag the comparisons below.
#if __has_include(<valgrind/memcheck.h>)
    VALGRIND_MAKE_MEM_DEFINED(p, n);
#endif
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
        if (b[i] != guard_fill) {
            if (damaged == 0) first = i;
            ++damaged;
        }
    }
#endif
    return damaged;
}

}  // namespace framealloc::detail
