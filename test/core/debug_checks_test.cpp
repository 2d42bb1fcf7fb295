// FRAMEALLOC_DEBUG checks: guard bytes on pool, heap and frame memory, allocation backtraces in every
// report, leak reports, the report handler and the settings. Built only with FRAMEALLOC_DEBUG.
//
// The functions named debugtest_* allocate on behalf of the tests: each report must name the one that
// allocated the block (resolved from the executable's debug info), which proves that the backtrace is
// the allocation's and not the detector's. They are noinline and do work after the call, so that
// neither inlining nor a tail call removes their frame.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define DEBUGTEST_ASAN 1
#endif
#endif

import framealloc;

namespace framealloc_test {

// Keeps `p` alive past the call that produced it (no tail call, no dead-store elimination).
inline void keep(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

// Writes n bytes of `value` at p + offset the way uninstrumented code would (a library built without
// ASan, a DMA engine): under ASan an instrumented write to a guard byte is reported by ASan itself,
// which is the other half of the design (see guard_bytes_are_poisoned_for_asan).
[[gnu::noinline]] __attribute__((no_sanitize("address"))) void scribble(void* p, std::size_t offset, std::size_t n,
                                                                        unsigned char value = 0x41) {
    auto* b = static_cast<volatile unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) b[offset + i] = value;
}

struct report_entry {
    std::string code;
    std::string text;
};

// Installs a report handler that records every report; restores the default (stderr) when it ends.
class report_capture {
public:
    report_capture() { framealloc::debug::set_report_handler(&record, this); }
    report_capture(const report_capture&) = delete;
    report_capture& operator=(const report_capture&) = delete;
    ~report_capture() { framealloc::debug::set_report_handler(nullptr); }

    std::vector<report_entry> taken() {
        std::lock_guard lock(mutex_);
        return std::exchange(entries_, {});
    }

private:
    static void record(std::string_view code, std::string_view text, void* self) {
        auto* c = static_cast<report_capture*>(self);
        std::lock_guard lock(c->mutex_);
        c->entries_.push_back({std::string(code), std::string(text)});
    }
    std::mutex mutex_;
    std::vector<report_entry> entries_;
};

// Changes the debug settings for one test and puts the previous ones back.
class settings_scope {
public:
    explicit settings_scope(framealloc::debug::settings s) : saved_(framealloc::debug::current_settings()) {
        framealloc::debug::configure(s);
    }
    settings_scope(const settings_scope&) = delete;
    settings_scope& operator=(const settings_scope&) = delete;
    ~settings_scope() { framealloc::debug::configure(saved_); }

private:
    framealloc::debug::settings saved_;
};

inline bool contains(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

}  // namespace framealloc_test

using framealloc_test::contains;
using framealloc_test::keep;
using framealloc_test::report_capture;
using framealloc_test::scribble;
using framealloc_test::settings_scope;

// ----- the allocating functions whose names the reports must show -----

[[gnu::noinline]] void* debugtest_allocate_pool_block(std::pmr::memory_resource& r, std::size_t bytes,
                                                      std::size_t alignment) {
    void* p = r.allocate(bytes, alignment);
    keep(p);
    return p;
}

[[gnu::noinline]] void debugtest_free_pool_block(std::pmr::memory_resource& r, void* p, std::size_t bytes,
                                                 std::size_t alignment) {
    r.deallocate(p, bytes, alignment);
    keep(p);
}

[[gnu::noinline]] void* debugtest_allocate_heap_block(framealloc::heap_resource& heap, std::size_t bytes,
                                                      std::size_t alignment) {
    void* p = heap.allocate(bytes, alignment);
    keep(p);
    return p;
}

[[gnu::noinline]] void* debugtest_frame_scratch(framealloc::smart_alloc& alloc, std::size_t bytes) {
    void* p = alloc.frame_alloc_bytes(bytes, 8);
    keep(p);
    return p;
}

[[gnu::noinline]] void* debugtest_arena_scratch(framealloc::frame_arena& arena, std::size_t bytes) {
    void* p = arena.allocate(bytes, 16);
    keep(p);
    return p;
}

[[gnu::noinline]] void debugtest_leak_pool_block(std::pmr::memory_resource& r, std::size_t bytes) {
    void* p = r.allocate(bytes, 8);
    keep(p);
}

namespace {
framealloc::pool_options throwing_pool() {
    framealloc::pool_options o;
    o.on_error = framealloc::pool_error_policy::throw_exception;
    return o;
}

framealloc::debug::settings with_frame_guards() {
    framealloc::debug::settings s = framealloc::debug::current_settings();
    s.frame_guards = true;
    s.strict = false;
    return s;
}

// Runs f, which must throw memory_error; returns it as (code, what).
template <class F>
framealloc_test::report_entry expect_memory_error(F&& f) {
    try {
        f();
    } catch (const framealloc::memory_error& e) {
        return {std::string(e.code()), e.what()};
    }
    BOOST_FAIL("no memory_error was thrown");
    return {};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(debug_checks_suite)

BOOST_AUTO_TEST_CASE(pool_overrun_is_caught_on_deallocate_with_the_allocation_backtrace) {
    report_capture reports;
    framealloc::pool_resource pool(throwing_pool());
    // Sizes across the class table (1 B, exact class fits, class slack, the largest pooled), an
    // over-aligned request (allocate_general) and one past the classes (the pool's heap fallback).
    const std::pair<std::size_t, std::size_t> requests[] = {{1, 1},   {8, 8},     {40, 8},  {100, 16},
                                                             {1000, 8}, {8000, 8}, {200, 64}, {20000, 8}};
    for (auto [bytes, alignment] : requests) {
        BOOST_TEST_CONTEXT("request " << bytes << " bytes, alignment " << alignment) {
            auto* p = static_cast<unsigned char*>(debugtest_allocate_pool_block(pool, bytes, alignment));
            scribble(p, 0, bytes, 0x5A);  // the whole block is the user's to write
            scribble(p, bytes, 1);        // one byte too many
            const auto e = expect_memory_error([&] { pool.deallocate(p, bytes, alignment); });
            BOOST_TEST(e.code == "FA106");
            BOOST_TEST(contains(e.text, "written past its end"));
            BOOST_TEST(contains(e.text, "debugtest_allocate_pool_block"));  // where it was allocated
            BOOST_TEST(contains(e.text, "first at offset " + std::to_string(bytes)));
            BOOST_TEST(contains(e.text, "(" + std::to_string(bytes) + " bytes, alignment " + std::to_string(alignment) + ")"));
            // The block stayed allocated: repair the guard and it frees cleanly.
            scribble(p, bytes, 1, 0xFD);
            pool.deallocate(p, bytes, alignment);
        }
    }
    BOOST_TEST(reports.taken().empty());  // the throwing policy throws instead of reporting
}

BOOST_AUTO_TEST_CASE(an_overrun_into_the_class_slack_is_caught_too) {
    framealloc::pool_resource pool(throwing_pool());
    // 20 bytes + 16 guard -> the 40-byte class: bytes 20..39 are all guard.
    auto* p = static_cast<unsigned char*>(debugtest_allocate_pool_block(pool, 20, 8));
    scribble(p, 33, 3);
    const auto e = expect_memory_error([&] { pool.deallocate(p, 20, 8); });
    BOOST_TEST(e.code == "FA106");
    BOOST_TEST(contains(e.text, "3 of the 20 guard bytes"));
    BOOST_TEST(contains(e.text, "first at offset 33"));
    scribble(p, 33, 3, 0xFD);
    pool.deallocate(p, 20, 8);
}

BOOST_AUTO_TEST_CASE(guard_bytes_change_the_class_consistently) {
    // A request needs bytes + guard_bytes of its class; deallocate finds the same class again through
    // every entry point.
    BOOST_TEST(framealloc::detail::guard_bytes == 16u);
    BOOST_TEST(framealloc::pool_resource::block_size(64, 8) == 80u);
    BOOST_TEST(framealloc::pool_resource::block_size(8192 - 16, 8) == 8192u);
    BOOST_TEST(framealloc::pool_resource::block_size(8192 - 15, 8) == 0u);  // heap in debug builds
    framealloc::pool_resource pool(throwing_pool());
    framealloc::pool_allocator<std::uint64_t> typed(pool);
    for (std::size_t n = 0; n <= 1100; ++n) {
        void* a = pool.allocate(n, 8);
        std::uint64_t* b = typed.allocate(n / 8 + 1);
        scribble(a, 0, n, 0x11);
        pool.deallocate(a, n, 8);
        typed.deallocate(b, n / 8 + 1);
    }
    BOOST_TEST(pool.stats().heap_allocations == 0u);
}

BOOST_AUTO_TEST_CASE(double_free_reports_where_the_block_was_allocated_and_first_freed) {
    framealloc::pool_resource pool(throwing_pool());
    void* p = debugtest_allocate_pool_block(pool, 48, 8);
    debugtest_free_pool_block(pool, p, 48, 8);
    const auto e = expect_memory_error([&] { pool.deallocate(p, 48, 8); });
    BOOST_TEST(e.code == "FA102");
    BOOST_TEST(contains(e.text, "debugtest_allocate_pool_block"));
    BOOST_TEST(contains(e.text, "freed at"));
    BOOST_TEST(contains(e.text, "debugtest_free_pool_block"));
}

BOOST_AUTO_TEST_CASE(a_size_mismatch_inside_one_class_is_caught_with_the_allocation) {
    framealloc::pool_resource pool(throwing_pool());
    void* p = debugtest_allocate_pool_block(pool, 41, 8);  // 41 and 44 share the 64-byte class
    const auto e = expect_memory_error([&] { pool.deallocate(p, 44, 8); });
    BOOST_TEST(e.code == "FA104");
    BOOST_TEST(contains(e.text, "allocated with size 41"));
    BOOST_TEST(contains(e.text, "debugtest_allocate_pool_block"));
    pool.deallocate(p, 41, 8);
}

// One mistake, one code: only the alignment differs -> FA108, as checking_resource reports it.
BOOST_AUTO_TEST_CASE(an_alignment_mismatch_inside_one_class_is_fa108) {
    framealloc::pool_resource pool(throwing_pool());
    void* p = debugtest_allocate_pool_block(pool, 48, 16);  // (48, 16) and (48, 8) share a class
    const auto e = expect_memory_error([&] { pool.deallocate(p, 48, 8); });
    BOOST_TEST(e.code == "FA108");
    BOOST_TEST(contains(e.text, "allocated with size 48 and alignment 16"));
    pool.deallocate(p, 48, 16);
}

BOOST_AUTO_TEST_CASE(a_foreign_pointer_is_traced_to_the_resource_that_allocated_it) {
    framealloc::pool_resource mine(throwing_pool());
    framealloc::pool_resource other(throwing_pool());
    void* p = debugtest_allocate_pool_block(other, 64, 8);
    const auto e = expect_memory_error([&] { mine.deallocate(p, 64, 8); });
    BOOST_TEST(e.code == "FA103");
    BOOST_TEST(contains(e.text, "live block of pool_resource #" + std::to_string(other.id())));
    BOOST_TEST(contains(e.text, "debugtest_allocate_pool_block"));
    other.deallocate(p, 64, 8);
}

BOOST_AUTO_TEST_CASE(heap_overrun_and_underrun_are_caught_with_the_allocation_backtrace) {
    framealloc::heap_resource heap(std::pmr::new_delete_resource(), framealloc::pool_error_policy::throw_exception);
    for (std::size_t alignment : {std::size_t(8), std::size_t(64), std::size_t(4096)}) {
        BOOST_TEST_CONTEXT("alignment " << alignment) {
            auto* p = static_cast<unsigned char*>(debugtest_allocate_heap_block(heap, 100, alignment));
            BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % alignment == 0u);
            scribble(p, 0, 100, 0x33);
            scribble(p, 100, 4);
            auto e = expect_memory_error([&] { heap.deallocate(p, 100, alignment); });
            BOOST_TEST(e.code == "FA106");
            BOOST_TEST(contains(e.text, "written past its end"));
            BOOST_TEST(contains(e.text, "debugtest_allocate_heap_block"));
            scribble(p, 100, 4, 0xFD);
            scribble(p - 1, 0, 1);  // underrun: the canary before the block
            e = expect_memory_error([&] { heap.deallocate(p, 100, alignment); });
            BOOST_TEST(e.code == "FA106");
            BOOST_TEST(contains(e.text, "written before its start"));
            BOOST_TEST(contains(e.text, "debugtest_allocate_heap_block"));
            scribble(p - 1, 0, 1, 0xFD);
            heap.deallocate(p, 100, alignment);
        }
    }
    BOOST_TEST(heap.stats().live_bytes == 0u);
}

BOOST_AUTO_TEST_CASE(heap_double_free_and_foreign_pointers_are_caught) {
    framealloc::heap_resource heap(std::pmr::new_delete_resource(), framealloc::pool_error_policy::throw_exception);
    void* p = debugtest_allocate_heap_block(heap, 32, 8);
    heap.deallocate(p, 32, 8);
    auto e = expect_memory_error([&] { heap.deallocate(p, 32, 8); });
    BOOST_TEST(e.code == "FA102");
    BOOST_TEST(contains(e.text, "debugtest_allocate_heap_block"));
    int on_stack = 0;
    e = expect_memory_error([&] { heap.deallocate(&on_stack, sizeof on_stack, alignof(int)); });
    BOOST_TEST(e.code == "FA103");
    void* q = debugtest_allocate_heap_block(heap, 32, 8);
    e = expect_memory_error([&] { heap.deallocate(q, 24, 8); });
    BOOST_TEST(e.code == "FA104");
    e = expect_memory_error([&] { heap.deallocate(q, 32, 16); });
    BOOST_TEST(e.code == "FA108");
    heap.deallocate(q, 32, 8);
}

BOOST_AUTO_TEST_CASE(frame_overrun_is_reported_at_end_frame_with_the_allocation_backtrace) {
    settings_scope guards(with_frame_guards());
    report_capture reports;
    framealloc::smart_alloc alloc;
    for (int frame = 0; frame < 3; ++frame) {
        alloc.begin_frame();
        auto* before = static_cast<unsigned char*>(alloc.frame_alloc_bytes(64, 8));
        auto* p = static_cast<unsigned char*>(debugtest_frame_scratch(alloc, 48));
        auto* after = static_cast<unsigned char*>(alloc.frame_alloc_bytes(64, 8));
        scribble(before, 0, 64, 1);
        scribble(after, 0, 64, 2);
        scribble(p, 0, 48, 3);
        if (frame == 1) scribble(p, 48, 2);  // only frame 1 overruns
        alloc.end_frame();
        const auto got = reports.taken();
        if (frame != 1) {
            BOOST_TEST(got.empty());
            continue;
        }
        BOOST_TEST_REQUIRE(got.size() == 1u);
        BOOST_TEST(got[0].code == "FA106");
        BOOST_TEST(contains(got[0].text, "frame allocation"));
        BOOST_TEST(contains(got[0].text, "(48 bytes)"));
        BOOST_TEST(contains(got[0].text, "2 of the 16 guard bytes"));
        BOOST_TEST(contains(got[0].text, "end_frame()"));
        BOOST_TEST(contains(got[0].text, "debugtest_frame_scratch"));
    }
}

BOOST_AUTO_TEST_CASE(frame_guards_are_checked_at_rewind_and_keep_allocation_semantics) {
    settings_scope guards(with_frame_guards());
    report_capture reports;
    framealloc::frame_arena arena;
    // Alignment and contents hold with guards on, through chunk ends and own blocks.
    std::vector<std::pair<unsigned char*, std::size_t>> blocks;
    for (std::size_t i = 0; i < 2000; ++i) {
        const std::size_t bytes = (i * 131) % 3000 + 1;
        const std::size_t alignment = std::size_t(1) << (i % 8);
        auto* p = static_cast<unsigned char*>(arena.allocate(bytes, alignment));
        BOOST_REQUIRE(reinterpret_cast<std::uintptr_t>(p) % alignment == 0u);
        scribble(p, 0, bytes, static_cast<unsigned char>(i));
        blocks.emplace_back(p, bytes);
    }
    for (std::size_t i = 0; i < blocks.size(); ++i)
        for (std::size_t k = 0; k < blocks[i].second; ++k) BOOST_REQUIRE(blocks[i].first[k] == static_cast<unsigned char>(i));
    auto* big = static_cast<unsigned char*>(arena.allocate(1 << 20, 8192));  // an own block
    scribble(big, 0, 1 << 20, 7);
    BOOST_TEST(reports.taken().empty());

    const framealloc::frame_marker m = arena.mark();
    auto* inner = static_cast<unsigned char*>(debugtest_arena_scratch(arena, 24));
    scribble(inner, 24, 1);
    arena.rewind(m);
    auto got = reports.taken();
    BOOST_TEST_REQUIRE(got.size() == 1u);
    BOOST_TEST(got[0].code == "FA106");
    BOOST_TEST(contains(got[0].text, "rewind()"));
    BOOST_TEST(contains(got[0].text, "debugtest_arena_scratch"));
    arena.reset();  // the blocks before the marker are intact: nothing more to report
    BOOST_TEST(reports.taken().empty());
}

BOOST_AUTO_TEST_CASE(leak_report_lists_live_blocks_with_backtraces_when_a_pool_is_destroyed) {
    report_capture reports;
    std::pmr::monotonic_buffer_resource heap;  // takes the leaked heap-fallback block back at scope end
    {
        framealloc::pool_options o;
        o.heap = &heap;
        framealloc::pool_resource pool(o);
        debugtest_leak_pool_block(pool, 72);
        debugtest_leak_pool_block(pool, 20000);  // through the heap fallback
        void* freed = pool.allocate(16, 8);
        pool.deallocate(freed, 16, 8);
    }
    const auto got = reports.taken();
    BOOST_TEST_REQUIRE(got.size() == 1u);
    BOOST_TEST(got[0].code == "FA107");
    BOOST_TEST(contains(got[0].text, "destroyed with 2 live blocks (20072 bytes)"));
    BOOST_TEST(contains(got[0].text, "(72 bytes, alignment 8)"));
    BOOST_TEST(contains(got[0].text, "(20000 bytes, alignment 8)"));
    BOOST_TEST(contains(got[0].text, "debugtest_leak_pool_block"));
    BOOST_TEST(!contains(got[0].text, "(16 bytes"));
}

BOOST_AUTO_TEST_CASE(leak_report_of_a_heap_resource_and_its_limit) {
    framealloc::debug::settings s = framealloc::debug::current_settings();
    s.report_limit = 2;
    settings_scope limit(s);
    report_capture reports;
    std::pmr::monotonic_buffer_resource arena;  // takes the leaked memory back at scope end
    {
        framealloc::heap_resource heap(&arena);
        for (int i = 0; i < 5; ++i) keep(debugtest_allocate_heap_block(heap, 10, 8));
    }
    const auto got = reports.taken();
    BOOST_TEST_REQUIRE(got.size() == 1u);
    BOOST_TEST(got[0].code == "FA107");
    BOOST_TEST(contains(got[0].text, "heap_resource #"));
    BOOST_TEST(contains(got[0].text, "5 live blocks (50 bytes)"));
    BOOST_TEST(contains(got[0].text, "and 3 more"));
    BOOST_TEST(contains(got[0].text, "debugtest_allocate_heap_block"));
}

BOOST_AUTO_TEST_CASE(the_dwarf_unwinder_capture_names_the_allocating_function_too) {
    framealloc::debug::settings s = framealloc::debug::current_settings();
    s.backtraces = framealloc::debug::backtrace_capture::unwinder;
    settings_scope unwind(s);
    framealloc::pool_resource pool(throwing_pool());
    auto* p = static_cast<unsigned char*>(debugtest_allocate_pool_block(pool, 30, 8));
    scribble(p, 30, 1);
    const auto e = expect_memory_error([&] { pool.deallocate(p, 30, 8); });
    BOOST_TEST(e.code == "FA106");
    BOOST_TEST(contains(e.text, "debugtest_allocate_pool_block"));
    scribble(p, 30, 1, 0xFD);
    pool.deallocate(p, 30, 8);
}

BOOST_AUTO_TEST_CASE(a_backtrace_from_another_thread_names_the_thread_function) {
    report_capture reports;
    {
        framealloc::pool_resource pool;
        std::thread worker([&] { debugtest_leak_pool_block(pool, 24); });
        worker.join();
    }
    const auto got = reports.taken();
    BOOST_TEST_REQUIRE(got.size() == 1u);
    BOOST_TEST(contains(got[0].text, "debugtest_leak_pool_block"));
}

BOOST_AUTO_TEST_CASE(backtraces_can_be_switched_off) {
    framealloc::debug::settings s = framealloc::debug::current_settings();
    s.backtraces = framealloc::debug::backtrace_capture::off;
    settings_scope off(s);
    report_capture reports;
    {
        framealloc::pool_resource pool;
        debugtest_leak_pool_block(pool, 8);
    }
    const auto got = reports.taken();
    BOOST_TEST_REQUIRE(got.size() == 1u);
    BOOST_TEST(contains(got[0].text, "no backtrace"));
    BOOST_TEST(!contains(got[0].text, "debugtest_leak_pool_block"));
}

BOOST_AUTO_TEST_CASE(a_clean_run_reports_nothing) {
    settings_scope guards(with_frame_guards());
    report_capture reports;
    {
        framealloc::smart_alloc alloc;
        std::vector<std::thread> workers;
        for (int frame = 0; frame < 20; ++frame) {
            alloc.begin_frame();
            for (int t = 0; t < 3; ++t) {
                workers.emplace_back([&alloc, t] {
                    auto v = alloc.frame_vector<int>();
                    for (int i = 0; i < 500; ++i) v.push_back(i * t);
                    auto s = alloc.frame_string(100, 'x');
                    auto e = alloc.pool_alloc<std::array<double, 7>>();
                    auto h = alloc.heap_alloc<std::array<char, 20000>>();
                    std::pmr::vector<int> pooled(&alloc.pool_resource());
                    for (int i = 0; i < 300; ++i) pooled.push_back(i);
                    keep(v.data());
                    keep(s.data());
                });
            }
            for (auto& w : workers) w.join();
            workers.clear();
            alloc.end_frame();
        }
    }
    BOOST_TEST(reports.taken().empty());
}

#if defined(DEBUGTEST_ASAN)
BOOST_AUTO_TEST_CASE(guard_bytes_are_poisoned_for_asan) {
    // Under ASan an instrumented overrun is reported at the write itself: the guard is poisoned.
    framealloc::pool_resource pool;
    auto* p = static_cast<unsigned char*>(pool.allocate(40, 8));
    BOOST_TEST(__asan_address_is_poisoned(p + 39) == 0);
    BOOST_TEST(__asan_address_is_poisoned(p + 40) != 0);
    pool.deallocate(p, 40, 8);
    framealloc::heap_resource heap;
    auto* h = static_cast<unsigned char*>(heap.allocate(40, 8));
    BOOST_TEST(__asan_address_is_poisoned(h - 1) != 0);
    BOOST_TEST(__asan_address_is_poisoned(h + 40) != 0);
    heap.deallocate(h, 40, 8);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
