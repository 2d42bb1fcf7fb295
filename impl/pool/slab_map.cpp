// The slab bitmap (modules/pool/slab_map.cppm).
module;
#include <sys/mman.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
module framealloc.pool;

namespace framealloc::detail {

constinit std::atomic<std::uint64_t>* slab_map_words = nullptr;

namespace {
std::once_flag slab_map_once;

std::uintptr_t slab_index(const void* base) noexcept { return reinterpret_cast<std::uintptr_t>(base) >> 16; }
}  // namespace

void ensure_slab_map() {
    std::call_once(slab_map_once, [] {
        const std::size_t bytes = slab_map_slabs / 8;
        void* words = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (words == MAP_FAILED) throw std::bad_alloc();
        // Published before any pool exists; pools reach it through their construction (happens-before
        // every use of the pool).
        slab_map_words = static_cast<std::atomic<std::uint64_t>*>(words);
    });
}

bool slab_map_set(const void* base) noexcept {
    const std::uintptr_t slab = slab_index(base);
    if (slab >= slab_map_slabs) return false;
    slab_map_words[slab >> 6].fetch_or(std::uint64_t(1) << (slab & 63), std::memory_order_relaxed);
    return true;
}

void slab_map_clear(const void* base) noexcept {
    const std::uintptr_t slab = slab_index(base);
    if (slab >= slab_map_slabs) return;
    slab_map_words[slab >> 6].fetch_and(~(std::uint64_t(1) << (slab & 63)), std::memory_order_relaxed);
}

}  // namespace framealloc::detail
