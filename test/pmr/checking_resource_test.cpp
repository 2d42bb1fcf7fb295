// checking_resource: every mismatch kind caught with its code under the throw and record policies (the
// abort policy is exercised by the checking_misuse death tests), the refused call leaves the block
// intact, counts and peaks exact, leak reports, upstream contract checks, and many threads at once.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory_resource>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "counting_resource.hpp"

import framealloc;

#include "thrown_code.hpp"

namespace {

framealloc::checking_options throwing() {
    framealloc::checking_options o;
    o.on_error = framealloc::checking_error_policy::throw_exception;
    o.on_leak = framealloc::leak_policy::ignore;
    o.name = "under-test";
    return o;
}

framealloc::checking_options recording() {
    framealloc::checking_options o = throwing();
    o.on_error = framealloc::checking_error_policy::record;
    return o;
}

using framealloc_test::thrown_code;

// An upstream that breaks the contract on demand.
class faulty_resource final : public std::pmr::memory_resource {
public:
    bool misalign = false;
    bool repeat = false;  // hand out the same block again

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (repeat && last_ != nullptr) return last_;
        auto* p = static_cast<std::byte*>(std::pmr::new_delete_resource()->allocate(bytes + 64, 64));
        blocks_.push_back(p);
        last_ = misalign ? p + alignment / 2 + 1 : p;
        return last_;
    }
    void do_deallocate(void*, std::size_t, std::size_t) override {}
    bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }

public:
    ~faulty_resource() override {
        for (std::byte* p : blocks_) std::pmr::new_delete_resource()->deallocate(p, 0, 64);
    }

private:
    std::vector<std::byte*> blocks_;
    void* last_ = nullptr;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(checking_resource)

BOOST_AUTO_TEST_CASE(forwards_and_counts_exactly) {
    framealloc_test::counting_resource up;
    framealloc::checking_resource r(&up, throwing());
    std::vector<std::pair<void*, std::pair<std::size_t, std::size_t>>> blocks;
    std::size_t bytes = 0;
    for (std::size_t size : {0, 1, 7, 64, 1000, 65536})
        for (std::size_t align : {1, 8, 16, 64, 4096}) {
            void* p = r.allocate(size, align);
            BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % align == 0u);
            std::memset(p, 0x5A, size);
            blocks.push_back({p, {size, align}});
            bytes += size;
        }
    framealloc::checking_stats s = r.stats();
    BOOST_TEST(s.live_blocks == blocks.size());
    BOOST_TEST(s.live_bytes == bytes);
    BOOST_TEST(s.peak_bytes == bytes);
    BOOST_TEST(s.allocations == blocks.size());
    BOOST_TEST(up.allocations() == blocks.size());
    std::reverse(blocks.begin(), blocks.end());
    for (auto& [p, sa] : blocks) r.deallocate(p, sa.first, sa.second);
    s = r.stats();
    BOOST_TEST(s.live_blocks == 0u);
    BOOST_TEST(s.live_bytes == 0u);
    BOOST_TEST(s.peak_blocks == blocks.size());
    BOOST_TEST(s.deallocations == blocks.size());
    BOOST_TEST(s.bytes_allocated == bytes);
    BOOST_TEST(s.errors == 0u);
    BOOST_TEST(up.deallocations() == blocks.size());
    BOOST_TEST(up.live_bytes() == 0);
    BOOST_TEST(r.leaks().empty());
    BOOST_CHECK_NO_THROW(r.check_no_leaks());
}

BOOST_AUTO_TEST_CASE(each_mismatch_throws_its_code_and_changes_nothing) {
    framealloc_test::counting_resource up;
    framealloc::checking_resource r(&up, throwing());
    void* p = r.allocate(64, 16);
    int local = 0;
    BOOST_TEST(thrown_code([&] { r.deallocate(p, 128, 16); }) == "FA104");  // size
    BOOST_TEST(thrown_code([&] { r.deallocate(p, 64, 8); }) == "FA108");    // alignment
    BOOST_TEST(thrown_code([&] { r.deallocate(&local, 4, 4); }) == "FA103");  // foreign
    BOOST_TEST(thrown_code([&] { r.deallocate(static_cast<char*>(p) + 8, 8, 8); }) == "FA103");  // interior
    BOOST_TEST(up.deallocations() == 0u);  // none of them reached the upstream
    BOOST_TEST(r.stats().live_blocks == 1u);
    BOOST_TEST(r.stats().errors == 4u);
    r.deallocate(p, 64, 16);  // the block was left intact: the right call still works
    BOOST_TEST(up.deallocations() == 1u);
    BOOST_TEST(thrown_code([&] { r.deallocate(p, 64, 16); }) == "FA102");  // double free
    BOOST_TEST(up.deallocations() == 1u);
}

BOOST_AUTO_TEST_CASE(messages_name_the_resource_the_call_and_the_block) {
    framealloc::checking_resource r(std::pmr::new_delete_resource(), throwing());
    void* p = r.allocate(48, 16);
    try {
        r.deallocate(p, 40, 16);
        BOOST_FAIL("no exception");
    } catch (const framealloc::memory_error& e) {
        const std::string what = e.what();
        BOOST_TEST_INFO(what);
        BOOST_TEST(what.starts_with("FA104: under-test: deallocate("));
        BOOST_TEST(what.find(", 40, 16): block #1 (") != std::string::npos);
        BOOST_TEST(what.find("48 bytes, alignment 16") != std::string::npos);
    }
    try {
        r.deallocate(static_cast<char*>(p) + 16, 16, 16);
        BOOST_FAIL("no exception");
    } catch (const framealloc::memory_error& e) {
        BOOST_TEST(std::string(e.what()).find("points inside live block #1") != std::string::npos);
    }
    r.deallocate(p, 48, 16);
}

BOOST_AUTO_TEST_CASE(zero_byte_blocks_are_tracked_too) {
    framealloc::checking_resource r(std::pmr::new_delete_resource(), throwing());
    void* a = r.allocate(0, 8);
    void* b = r.allocate(0, 8);
    BOOST_TEST(r.stats().live_blocks == 2u);
    BOOST_TEST(thrown_code([&] { r.deallocate(a, 8, 8); }) == "FA104");
    BOOST_TEST(thrown_code([&] { r.deallocate(a, 0, 16); }) == "FA108");
    r.deallocate(a, 0, 8);
    r.deallocate(b, 0, 8);
    BOOST_TEST(thrown_code([&] { r.deallocate(b, 0, 8); }) == "FA102");
    BOOST_TEST(r.stats().live_blocks == 0u);
}

BOOST_AUTO_TEST_CASE(same_address_zero_byte_blocks_from_a_monotonic_upstream) {
    // monotonic_buffer_resource may hand out one address for several empty requests and the next
    // non-empty one: legal for pmr, and not a contract violation.
    std::pmr::monotonic_buffer_resource mono;
    framealloc::checking_resource r(&mono, throwing());
    void* a = r.allocate(0, 1);
    void* b = r.allocate(0, 1);
    void* c = r.allocate(16, 1);
    BOOST_TEST(r.stats().errors == 0u);
    BOOST_TEST(r.stats().live_blocks == 3u);
    r.deallocate(b, 0, 1);
    r.deallocate(a, 0, 1);
    r.deallocate(c, 16, 1);
    BOOST_TEST(r.stats().live_blocks == 0u);
}

BOOST_AUTO_TEST_CASE(record_policy_keeps_errors_and_goes_on) {
    framealloc_test::counting_resource up;
    framealloc::checking_resource r(&up, recording());
    void* p = r.allocate(32, 8);
    int local = 0;
    r.deallocate(p, 16, 8);
    r.deallocate(p, 32, 4);
    r.deallocate(&local, 4, 4);
    r.deallocate(p, 32, 8);
    r.deallocate(p, 32, 8);
    const std::vector<framealloc::checking_error> errors = r.errors();
    BOOST_TEST_REQUIRE(errors.size() == 4u);
    BOOST_TEST(errors[0].code == "FA104");
    BOOST_TEST(errors[1].code == "FA108");
    BOOST_TEST(errors[2].code == "FA103");
    BOOST_TEST(errors[3].code == "FA102");
    BOOST_TEST(errors[0].pointer == p);
    BOOST_TEST(errors[0].bytes == 16u);
    BOOST_TEST(errors[1].alignment == 4u);
    BOOST_TEST(up.deallocations() == 1u);
    BOOST_TEST(r.stats().errors == 4u);
    r.clear_errors();
    BOOST_TEST(r.errors().empty());
    BOOST_TEST(r.stats().errors == 4u);  // the count is lifetime
}

BOOST_AUTO_TEST_CASE(double_free_history_is_bounded) {
    framealloc::checking_options o = throwing();
    o.freed_history = 2;
    std::pmr::monotonic_buffer_resource mono;  // never reuses an address
    framealloc::checking_resource r(&mono, o);
    void* first = r.allocate(8, 8);
    r.deallocate(first, 8, 8);
    BOOST_TEST(thrown_code([&] { r.deallocate(first, 8, 8); }) == "FA102");
    for (int i = 0; i < 2; ++i) r.deallocate(r.allocate(8, 8), 8, 8);
    // Two later frees pushed it out of the history: now it reads as never allocated here.
    BOOST_TEST(thrown_code([&] { r.deallocate(first, 8, 8); }) == "FA103");
}

BOOST_AUTO_TEST_CASE(an_address_handed_out_again_is_live_again) {
    framealloc::checking_resource r(std::pmr::new_delete_resource(), throwing());
    // new/delete usually reuses a freed address at once; whether or not, no false double free.
    for (int i = 0; i < 100; ++i) {
        void* p = r.allocate(24, 8);
        r.deallocate(p, 24, 8);
    }
    BOOST_TEST(r.stats().errors == 0u);
}

BOOST_AUTO_TEST_CASE(leak_report_lists_live_blocks_in_allocation_order) {
    framealloc::checking_resource r(std::pmr::new_delete_resource(), throwing());
    void* a = r.allocate(10, 2);
    void* b = r.allocate(20, 4);
    void* c = r.allocate(30, 8);
    void* d = r.allocate(0, 16);
    r.deallocate(b, 20, 4);
    const framealloc::leak_report report = r.leaks();
    BOOST_TEST_REQUIRE(report.blocks.size() == 3u);
    BOOST_TEST(report.bytes == 40u);
    BOOST_TEST(report.blocks[0].pointer == a);
    BOOST_TEST(report.blocks[0].serial == 1u);
    BOOST_TEST(report.blocks[1].pointer == c);
    BOOST_TEST(report.blocks[1].bytes == 30u);
    BOOST_TEST(report.blocks[1].alignment == 8u);
    BOOST_TEST(report.blocks[2].pointer == d);
    BOOST_TEST((report.blocks[0].thread == std::this_thread::get_id()));

    const std::string text = report.to_string("mine", 2);
    BOOST_TEST_INFO(text);
    BOOST_TEST(text.starts_with("FA107: mine: 3 blocks (40 bytes) still allocated:\n  block #1 ("));
    BOOST_TEST(text.find("block #3 (") != std::string::npos);
    BOOST_TEST(text.find("block #4 (") == std::string::npos);
    BOOST_TEST(text.ends_with("... and 1 more"));

    try {
        r.check_no_leaks();
        BOOST_FAIL("no exception");
    } catch (const framealloc::memory_error& e) {
        BOOST_TEST(e.code() == "FA107");
        BOOST_TEST(std::string(e.what()).starts_with("FA107: under-test: 3 blocks (40 bytes) still allocated:"));
    }
    r.deallocate(a, 10, 2);
    r.deallocate(c, 30, 8);
    r.deallocate(d, 0, 16);
    BOOST_CHECK_NO_THROW(r.check_no_leaks());
}

BOOST_AUTO_TEST_CASE(bad_alignment_is_refused_before_the_upstream) {
    framealloc_test::counting_resource up;
    framealloc::checking_resource r(&up, throwing());
    BOOST_CHECK_THROW((void)r.allocate(8, 3), framealloc::invalid_alignment);
    BOOST_CHECK_THROW((void)r.allocate(8, 0), framealloc::invalid_alignment);
    BOOST_TEST(up.allocations() == 0u);
}

BOOST_AUTO_TEST_CASE(upstream_contract_violations_are_fa109) {
    faulty_resource bad;
    framealloc::checking_resource r(&bad, throwing());
    bad.misalign = true;
    BOOST_TEST(thrown_code([&] { (void)r.allocate(16, 16); }) == "FA109");
    bad.misalign = false;
    void* p = r.allocate(32, 8);
    bad.repeat = true;
    BOOST_TEST(thrown_code([&] { (void)r.allocate(32, 8); }) == "FA109");  // overlaps p
    BOOST_TEST(r.stats().live_blocks == 1u);
    r.deallocate(p, 32, 8);

    faulty_resource bad2;
    framealloc::checking_resource rec(&bad2, recording());
    void* q = rec.allocate(64, 8);
    bad2.repeat = true;
    void* again = rec.allocate(64, 8);
    BOOST_TEST(again == q);
    BOOST_TEST_REQUIRE(rec.errors().size() == 1u);
    BOOST_TEST(rec.errors()[0].code == "FA109");
    BOOST_TEST(rec.errors()[0].message.find("overlaps live block #1") != std::string::npos);
    rec.deallocate(q, 64, 8);
    // Recorded misalignment: the block is not handed on, the request fails.
    bad2.repeat = false;
    bad2.misalign = true;
    BOOST_CHECK_THROW((void)rec.allocate(32, 32), std::bad_alloc);
    BOOST_TEST_REQUIRE(rec.errors().size() == 2u);
    BOOST_TEST(rec.errors()[1].code == "FA109");
    BOOST_TEST(rec.errors()[1].message.find("misaligned") != std::string::npos);
    BOOST_TEST(rec.stats().live_blocks == 0u);
}

BOOST_AUTO_TEST_CASE(standard_containers_over_it) {
    framealloc::checking_resource r(std::pmr::new_delete_resource(), throwing());
    {
        std::pmr::vector<int> v(&r);
        for (int i = 0; i < 1000; ++i) v.push_back(i);
        std::pmr::map<int, std::pmr::string> m(&r);
        for (int i = 0; i < 100; ++i) m.emplace(i, std::pmr::string(50, 'x', &r));
        std::pmr::unordered_map<int, int> u(&r);
        for (int i = 0; i < 1000; ++i) u[i] = i;
        BOOST_TEST(r.stats().live_blocks > 100u);
    }
    BOOST_TEST(r.stats().live_blocks == 0u);
    BOOST_TEST(r.stats().errors == 0u);
}

BOOST_AUTO_TEST_CASE(many_threads_cross_thread_frees_and_exact_totals) {
    framealloc_test::counting_resource up;
    framealloc::checking_resource r(&up, throwing());
    constexpr int threads = 4;
    constexpr int per_thread = 5000;
    struct block {
        void* p;
        std::size_t size;
        std::size_t align;
    };
    std::vector<std::vector<block>> made(threads);
    std::atomic<std::uint64_t> bytes{0};
    {
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; ++t)
            ts.emplace_back([&, t] {
                std::mt19937 rng(static_cast<unsigned>(t));
                std::vector<block> mine;
                for (int i = 0; i < per_thread; ++i) {
                    const std::size_t size = rng() % 300;
                    const std::size_t align = std::size_t{1} << (rng() % 7);
                    void* p = r.allocate(size, align);
                    std::memset(p, t, size);
                    bytes += size;
                    if (rng() % 2) {
                        r.deallocate(p, size, align);  // same thread
                    } else {
                        made[t].push_back({p, size, align});  // freed by another thread below
                    }
                }
            });
        for (auto& th : ts) th.join();
    }
    {
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; ++t)
            ts.emplace_back([&, t] {
                for (const block& b : made[(t + 1) % threads]) r.deallocate(b.p, b.size, b.align);
            });
        for (auto& th : ts) th.join();
    }
    const framealloc::checking_stats s = r.stats();
    BOOST_TEST(s.allocations == static_cast<std::uint64_t>(threads * per_thread));
    BOOST_TEST(s.deallocations == s.allocations);
    BOOST_TEST(s.bytes_allocated == bytes.load());
    BOOST_TEST(s.live_blocks == 0u);
    BOOST_TEST(s.live_bytes == 0u);
    BOOST_TEST(s.errors == 0u);
    BOOST_TEST(up.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(concurrent_mismatches_are_all_caught) {
    framealloc::checking_resource r(std::pmr::new_delete_resource(), recording());
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                void* p = r.allocate(64, 8);
                r.deallocate(p, 65, 8);  // FA104: refused, the block stays live
                r.deallocate(p, 64, 16);  // FA108: refused
                r.deallocate(p, 64, 8);
            }
        });
    for (auto& th : ts) th.join();
    const auto errors = r.errors();
    const auto count = [&](std::string_view code) {
        return std::count_if(errors.begin(), errors.end(), [&](const auto& e) { return e.code == code; });
    };
    BOOST_TEST(count("FA104") == 2000);
    BOOST_TEST(count("FA108") == 2000);
    BOOST_TEST(errors.size() == 4000u);
    BOOST_TEST(r.stats().live_blocks == 0u);
    BOOST_TEST(r.stats().deallocations == 2000u);
}

BOOST_AUTO_TEST_SUITE_END()
