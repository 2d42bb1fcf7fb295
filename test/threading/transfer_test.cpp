// transfer_handle: values cross threads and outlive the producer's frame; unreceived handles release
// their value; receiving twice is FA203; counts and bytes are tracked.
#include <boost/test/unit_test.hpp>

#include <stdexcept>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "counting_resource.hpp"
#include "memory_checks.hpp"

import framealloc;

namespace {
std::atomic<int> live{0};
struct payload {
    int frame;
    std::string text;  // non-trivial, heap-owning member
    alignas(64) std::array<double, 8> values{};
    payload(int f, std::string t) : frame(f), text(std::move(t)) {
        values.fill(f * 0.5);
        ++live;
    }
    payload(payload&& o) noexcept : frame(o.frame), text(std::move(o.text)), values(o.values) { ++live; }
    ~payload() { --live; }
};

// A minimal blocking queue: the test's "worker channel".
template <class T>
class channel {
public:
    void send(T v) {
        {
            std::lock_guard lock(m_);
            q_.push_back(std::move(v));
        }
        cv_.notify_one();
    }
    T receive() {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return !q_.empty(); });
        T v = std::move(q_.front());
        q_.pop_front();
        return v;
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    std::deque<T> q_;
};
}  // namespace

BOOST_AUTO_TEST_SUITE(transfers)

BOOST_AUTO_TEST_CASE(values_cross_threads_over_thousands_of_frames_and_outlive_end_frame) {
    live = 0;
    framealloc_test::counting_resource upstream;
    auto config = framealloc::alloc_config::minimal();
    config.upstream = &upstream;
    {
        framealloc::smart_alloc alloc(config);
        channel<framealloc::transfer_handle<payload>> to_worker;
        channel<std::optional<int>> results;
        std::thread worker([&] {
            for (;;) {
                auto handle = to_worker.receive();
                if (!handle.pending()) break;  // an empty handle ends the run
                payload p = handle.receive();
                const bool intact = p.text == "frame " + std::to_string(p.frame) && p.values[7] == p.frame * 0.5 &&
                                    framealloc_test::is_aligned(&p.values, 64);
                results.send(intact ? std::optional<int>(p.frame) : std::nullopt);
            }
        });
        constexpr int frames = 3000;
        for (int f = 0; f < frames; ++f) {
            alloc.begin_frame();
            (void)alloc.frame_array<char>(256);  // frame memory that end_frame() releases and poisons
            to_worker.send(alloc.frame_box_for_transfer(payload(f, "frame " + std::to_string(f))));
            alloc.end_frame();  // the box is not frame memory: it survives
            const auto r = results.receive();
            BOOST_REQUIRE(r.has_value());
            BOOST_REQUIRE(*r == f);
        }
        to_worker.send(framealloc::transfer_handle<payload>{});
        worker.join();
        const auto s = alloc.transfer_stats();
        BOOST_TEST(s.created == std::uint64_t(frames));
        BOOST_TEST(s.received == std::uint64_t(frames));
        BOOST_TEST(s.in_flight() == 0u);
        BOOST_TEST(s.bytes_created == std::uint64_t(frames) * sizeof(payload));
    }
    BOOST_TEST(live.load() == 0);
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(dropped_handle_releases_its_value_and_double_receive_is_fa203) {
    live = 0;
    framealloc::smart_alloc alloc;
    {
        // fa: allow FA213 -- dropped on purpose: the test checks what a drop releases
        auto h = alloc.frame_box_for_transfer(payload(1, "one"));
        BOOST_TEST(live.load() == 1);
    }
    BOOST_TEST(live.load() == 0);
    BOOST_TEST(alloc.transfer_stats().dropped == 1u);
    auto h = alloc.frame_box_for_transfer(std::string("a string long enough to own heap memory"));
    auto moved = std::move(h);
    BOOST_TEST(!h.pending());
    BOOST_TEST(moved.receive() == "a string long enough to own heap memory");
    try {
        (void)moved.receive();
        BOOST_FAIL("no exception");
    } catch (const framealloc::frame_error& e) {
        BOOST_TEST(e.code() == "FA203");
    }
    BOOST_CHECK_THROW((void)h.receive(), framealloc::frame_error);
}

// A value whose move throws on demand: receive() must neither leak the box nor leave the transfer in
// flight; the handle keeps the value and drops it when it goes.
struct fragile {
    static inline std::atomic<int> alive{0};
    static inline bool fail_moves = false;
    std::string text;
    explicit fragile(std::string t) : text(std::move(t)) { ++alive; }
    fragile(fragile&& o) : text(o.text) {
        if (fail_moves) throw std::runtime_error("move refused");
        ++alive;
    }
    ~fragile() { --alive; }
};

BOOST_AUTO_TEST_CASE(a_receive_whose_move_throws_keeps_the_value_in_the_handle) {
    framealloc::smart_alloc alloc;
    {
        auto h = alloc.frame_box_for_transfer(fragile("a value long enough to live on the heap, not in SSO"));
        BOOST_TEST(fragile::alive.load() == 1);
        fragile::fail_moves = true;
        BOOST_CHECK_THROW((void)h.receive(), std::runtime_error);
        fragile::fail_moves = false;
        BOOST_TEST(h.pending());  // still owns the box
        BOOST_TEST(fragile::alive.load() == 1);
        BOOST_TEST(alloc.transfer_stats().in_flight() == 1u);
        const fragile out = h.receive();  // a second try works
        BOOST_TEST(out.text == "a value long enough to live on the heap, not in SSO");
    }
    BOOST_TEST(fragile::alive.load() == 0);
    BOOST_TEST(alloc.transfer_stats().in_flight() == 0u);

    {
        auto h = alloc.frame_box_for_transfer(fragile("dropped after a failed receive"));
        fragile::fail_moves = true;
        BOOST_CHECK_THROW((void)h.receive(), std::runtime_error);
        fragile::fail_moves = false;
    }  // the handle dies: the value is destroyed and the transfer counted as dropped
    BOOST_TEST(fragile::alive.load() == 0);
    BOOST_TEST(alloc.transfer_stats().in_flight() == 0u);
    BOOST_TEST(alloc.transfer_stats().dropped == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
