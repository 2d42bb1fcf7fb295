// Out of memory at every allocation of a representative frame sequence. The global operator new and the
// allocator's upstream share one countdown: for k = 1, 2, ... the k-th allocation of the sequence fails
// (once), the sequence unwinds with std::bad_alloc wherever it was, and then the same sequence runs
// clean and must work. It stops at the first k the sequence never reaches. Under the asan preset,
// ASan checks every unwinding path and LeakSanitizer checks at exit that nothing leaked.
//
// The sequence: a smart_alloc over the failing upstream; three frames with tags, a tag budget, frame
// objects, frame containers, pool and heap objects, a retained value promoted to the pool, a transfer
// received on a worker thread that also allocates frame memory, statistics, a snapshot built and
// written, the behaviour filter fed.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory_resource>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

import framealloc;

namespace {

// < 0: disarmed. Otherwise the number of allocations still to succeed before one fails.
std::atomic<long> countdown{-1};
std::atomic<bool> fired{false};

bool fail_this_one() noexcept {
    if (countdown.load(std::memory_order_relaxed) < 0) return false;
    if (countdown.fetch_sub(1, std::memory_order_relaxed) != 0) return false;
    countdown.store(-1, std::memory_order_relaxed);
    fired.store(true, std::memory_order_relaxed);
    return true;
}

void* allocate_or_throw(std::size_t n, std::size_t alignment) {
    if (fail_this_one()) throw std::bad_alloc();
    void* p = nullptr;
    if (alignment <= alignof(std::max_align_t)) p = std::malloc(n != 0 ? n : 1);
    else if (::posix_memalign(&p, alignment, n != 0 ? n : 1) != 0) p = nullptr;
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

// The allocator's upstream: new_delete, failing on the shared countdown.
class failing_upstream final : public std::pmr::memory_resource {
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (fail_this_one()) throw std::bad_alloc();
        return std::pmr::new_delete_resource()->allocate(bytes, alignment);
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
        std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
    }
    bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
};

struct entity {
    float position[4] = {1, 2, 3, 4};
    std::string name = "an entity whose name is longer than the small-string buffer";
};

void sequence(failing_upstream& upstream, const std::filesystem::path& dir) {
    framealloc::alloc_config config = framealloc::alloc_config::minimal();
    config.upstream = &upstream;
    framealloc::smart_alloc alloc(config);
    framealloc::snapshot_emitter snapshots{framealloc::snapshot_config{}.with_directory(dir).with_max_snapshots(2)};
    framealloc::budget_limits physics_budget;
    physics_budget.soft_limit = std::size_t(1) << 20;
    physics_budget.soft_policy = framealloc::budget_policy::allow;
    framealloc::set_tag_budget("fault::physics", physics_budget);
    std::vector<framealloc::pool_ptr<entity>> kept;
    for (int frame = 0; frame < 3; ++frame) {
        alloc.begin_frame();
        alloc.with_tag("fault::physics", [&](framealloc::smart_alloc& a) {
            auto* grid = a.frame_alloc<std::array<int, 512>>();
            (*grid)[0] = frame;
            auto contacts = a.frame_vector<int>();
            for (int i = 0; i < 300; ++i) contacts.push_back(i);
            auto label = a.frame_string("a frame string longer than the small-string buffer of std::string");
            (void)label;
        });
        kept.push_back(alloc.pool_alloc<entity>());
        auto big = alloc.heap_alloc<std::array<char, 20000>>();
        auto retained = alloc.frame_retained<entity>(framealloc::retention::promote_to_pool);
        auto handle = alloc.frame_box_for_transfer(std::string("handed to a worker, longer than the SSO buffer"));
        std::atomic<bool> worker_failed{false};
        std::thread worker([&] {
            try {
                const std::string got = handle.receive();
                (void)alloc.frame_alloc<std::array<double, 64>>();
                (void)got;
            } catch (const std::bad_alloc&) {
                worker_failed = true;
            }
        });
        worker.join();
        framealloc::promotion_result promoted = alloc.end_frame_with_promotions();
        kept.push_back(promoted.claim(retained));
        if (worker_failed) throw std::bad_alloc();  // the worker's failure is the sequence's
        snapshots.emit(framealloc::build_snapshot(alloc));
        (void)alloc.stats();
    }
    framealloc::clear_tag_budget(framealloc::intern_tag("fault::physics"));
}

}  // namespace

void* operator new(std::size_t n) { return allocate_or_throw(n, alignof(std::max_align_t)); }
void* operator new(std::size_t n, std::align_val_t a) { return allocate_or_throw(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return allocate_or_throw(n, alignof(std::max_align_t));
    } catch (...) {
        return nullptr;
    }
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    try {
        return allocate_or_throw(n, static_cast<std::size_t>(a));
    } catch (...) {
        return nullptr;
    }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

int main(int argc, char** argv) {
    const std::filesystem::path dir = argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path() / "framealloc-fault";
    std::filesystem::remove_all(dir);
    framealloc::enable_behavior_filter();
    failing_upstream upstream;
    sequence(upstream, dir);  // warm: process-wide tables (tags, registries) exist from here on
    long k = 1;
    long failures = 0;
    for (;; ++k) {
        fired = false;
        countdown.store(k - 1, std::memory_order_relaxed);
        try {
            sequence(upstream, dir);
        } catch (const std::bad_alloc&) {
            ++failures;
        }
        countdown.store(-1, std::memory_order_relaxed);
        if (!fired) break;  // the sequence has fewer than k allocations: every one has failed once
        try {
            sequence(upstream, dir);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "fault_injection: the clean run after a failure at allocation %ld threw: %s\n", k, e.what());
            return 1;
        }
    }
    std::filesystem::remove_all(dir);
    std::printf("fault_injection: %ld allocation points, %ld failed sequences unwound, every clean rerun passed\n", k - 1,
                failures);
    return failures > 0 ? 0 : 1;  // no failure at all would mean the countdown never reached the sequence
}
