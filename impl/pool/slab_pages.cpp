// The pools' default upstream (modules/pool/slab_pages.cppm).
module;
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <new>
module framealloc.pool;

import framealloc.core;

namespace framealloc::detail {

namespace {

std::size_t page_size() noexcept {
    static const std::size_t size = [] {
        const long p = ::sysconf(_SC_PAGESIZE);
        return p > 0 ? static_cast<std::size_t>(p) : std::size_t(4096);
    }();
    return size;
}

std::size_t whole_pages(std::size_t bytes) noexcept {
    const std::size_t page = page_size();
    return (bytes + page - 1) / page * page;
}

class pages_resource final : public std::pmr::memory_resource {
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (!is_power_of_two(alignment)) throw_invalid_alignment(alignment);
        if (bytes == 0) bytes = 1;
        if (bytes > max_request_bytes) throw std::bad_alloc();
        const std::size_t size = whole_pages(bytes);
        const std::size_t page = page_size();
        const std::size_t extra = alignment > page ? alignment - page : 0;
        if (extra > max_request_bytes - size) throw std::bad_alloc();
        void* mapped = ::mmap(nullptr, size + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped == MAP_FAILED) throw std::bad_alloc();
        const auto start = reinterpret_cast<std::uintptr_t>(mapped);
        const std::uintptr_t aligned = (start + alignment - 1) & ~(std::uintptr_t(alignment) - 1);
        // Both cuts are whole pages: the start is page-aligned and so is the aligned address.
        if (aligned > start) ::munmap(mapped, aligned - start);
        const std::size_t tail = start + size + extra - (aligned + size);
        if (tail > 0) ::munmap(reinterpret_cast<void*>(aligned + size), tail);
        return reinterpret_cast<void*>(aligned);
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t) override {
        ::munmap(p, whole_pages(bytes == 0 ? 1 : bytes));
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

}  // namespace

std::pmr::memory_resource* slab_pages() noexcept {
    // Never destroyed: pools (and the registries that outlive them) may release slabs during exit.
    alignas(pages_resource) static unsigned char storage[sizeof(pages_resource)];
    static pages_resource* const resource = ::new (storage) pages_resource();
    return resource;
}

}  // namespace framealloc::detail
