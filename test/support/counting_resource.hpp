// A std::pmr upstream for tests: forwards to new/delete and counts every call and the live bytes, so a
// test can prove "no upstream traffic after warm-up" or "no more than N bytes kept".
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory_resource>

namespace framealloc_test {

class counting_resource final : public std::pmr::memory_resource {
public:
    std::uint64_t allocations() const noexcept { return allocations_.load(); }
    std::uint64_t deallocations() const noexcept { return deallocations_.load(); }
    std::uint64_t calls() const noexcept { return allocations() + deallocations(); }
    std::int64_t live_bytes() const noexcept { return live_bytes_.load(); }
    std::int64_t live_blocks() const noexcept { return static_cast<std::int64_t>(allocations()) - static_cast<std::int64_t>(deallocations()); }

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        void* p = std::pmr::new_delete_resource()->allocate(bytes, alignment);
        allocations_.fetch_add(1);
        live_bytes_.fetch_add(static_cast<std::int64_t>(bytes));
        return p;
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        deallocations_.fetch_add(1);
        live_bytes_.fetch_sub(static_cast<std::int64_t>(bytes));
        std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    std::atomic<std::uint64_t> allocations_{0};
    std::atomic<std::uint64_t> deallocations_{0};
    std::atomic<std::int64_t> live_bytes_{0};
};

}  // namespace framealloc_test
