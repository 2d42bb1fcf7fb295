// smart_alloc retention and promotion: frame_retained<T>(policy, args...) into every destination with
// exact construction / move / destruction counts, alignment up to 16 KiB, discard, unclaimed results,
// claims on other threads, throwing moves, scratch arenas that only their owner resets, values retained
// on several threads in one frame, plain end_frame(), every error code, and no leaks (counting upstream).
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <barrier>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "counting_resource.hpp"
#include "memory_checks.hpp"

import framealloc;

using framealloc::promotion_status;
namespace retention = framealloc::retention;

namespace {

// Every construction, move and destruction of the test types, from any thread.
struct lifetime_counts {
    std::atomic<int> constructed{0};
    std::atomic<int> moved{0};
    std::atomic<int> destroyed{0};
    void clear() {
        constructed = 0;
        moved = 0;
        destroyed = 0;
    }
    [[nodiscard]] int live() const { return constructed + moved - destroyed; }
};
lifetime_counts counts;

// A non-trivial value: heap-owning string members, a checksum of its contents.
struct entity {
    int id;
    std::string name;
    std::string description;
    explicit entity(int i)
        : id(i), name("entity #" + std::to_string(i)), description(std::string(64, static_cast<char>('a' + i % 26))) {
        ++counts.constructed;
    }
    entity(entity&& o) noexcept : id(o.id), name(std::move(o.name)), description(std::move(o.description)) { ++counts.moved; }
    entity(const entity&) = delete;
    ~entity() { ++counts.destroyed; }
    [[nodiscard]] bool intact(int i) const {
        return id == i && name == "entity #" + std::to_string(i) && description == std::string(64, static_cast<char>('a' + i % 26));
    }
};

// Over-aligned, with a pattern in every byte of its payload.
template <std::size_t Align>
struct alignas(Align) aligned_block {
    std::array<unsigned char, Align < 64 ? 64 : Align> bytes;
    std::string tag;
    explicit aligned_block(unsigned char pattern) : tag("aligned block with a long enough tag") {
        bytes.fill(pattern);
        ++counts.constructed;
    }
    aligned_block(aligned_block&& o) noexcept : bytes(o.bytes), tag(std::move(o.tag)) { ++counts.moved; }
    ~aligned_block() { ++counts.destroyed; }
    [[nodiscard]] bool intact(unsigned char pattern) const {
        for (unsigned char b : bytes)
            if (b != pattern) return false;
        return tag == "aligned block with a long enough tag";
    }
};

// Its move constructor throws while `refuse` is set (no noexcept move: promotion must cope).
struct fragile {
    static inline std::atomic<bool> refuse{false};
    std::string text;
    explicit fragile(std::string t) : text(std::move(t)) { ++counts.constructed; }
    fragile(fragile&& o) : text(o.text) {
        if (refuse) throw std::runtime_error("move refused");
        ++counts.moved;
    }
    ~fragile() { ++counts.destroyed; }
};

framealloc::alloc_config small_config(std::pmr::memory_resource* upstream = nullptr) {
    auto c = framealloc::alloc_config::minimal();
    c.frame_chunk_size = 8192;
    c.upstream = upstream;
    return c;
}

template <class E>
auto has_code(std::string_view code) {
    return [code](const E& e) { return e.code() == code; };
}

struct fresh_counts {
    fresh_counts() {
        counts.clear();
        fragile::refuse = false;
    }
    ~fresh_counts() { fragile::refuse = false; }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(promotion, fresh_counts)

BOOST_AUTO_TEST_CASE(promote_to_pool_moves_once_and_the_pool_ptr_owns_the_value) {
    framealloc_test::counting_resource upstream;
    {
        framealloc::smart_alloc alloc(small_config(&upstream));
        alloc.begin_frame();
        framealloc::retained<entity> ticket = alloc.frame_retained<entity>(retention::promote_to_pool, 7);
        BOOST_TEST(ticket->intact(7));  // usable during the frame
        ticket->description[0] = 'h';   // changes made in the frame survive the promotion
        framealloc::promotion_result result = alloc.end_frame_with_promotions();
        BOOST_TEST(counts.constructed == 1);
        BOOST_TEST(counts.moved == 1);
        BOOST_TEST(counts.destroyed == 1);  // the frame value, once
        framealloc::pool_ptr<entity> kept = result.claim(ticket);
        BOOST_REQUIRE(kept);
        BOOST_TEST(kept->id == 7);
        BOOST_TEST(kept->description[0] == 'h');
        BOOST_TEST(kept.resource() == &alloc.pool_resource());
        BOOST_TEST((result.status(ticket) == promotion_status::promoted));
        BOOST_TEST(result.summary().to_pool.count == 1u);
        BOOST_TEST(result.summary().promoted.bytes == sizeof(entity));
        BOOST_TEST(result.unclaimed() == 0u);
        alloc.begin_frame();  // the promoted value outlives later frames
        (void)alloc.frame_alloc<std::array<char, 4096>>();
        alloc.end_frame();
        BOOST_TEST(kept->name == "entity #7");
        kept.reset();
        BOOST_TEST(counts.destroyed == 2);
    }
    BOOST_TEST(counts.live() == 0);
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(promote_to_heap_lands_on_the_tracked_heap) {
    framealloc::smart_alloc alloc(small_config());
    const auto before = alloc.heap_resource().stats();
    alloc.begin_frame();
    auto ticket = alloc.frame_retained<entity>(retention::promote_to_heap, 3);
    auto result = alloc.end_frame_with_promotions();
    framealloc::pool_ptr<entity> kept = result.claim(ticket);
    BOOST_REQUIRE(kept);
    BOOST_TEST(kept->intact(3));
    BOOST_TEST(kept.resource() == &alloc.heap_resource());
    BOOST_TEST(alloc.heap_resource().stats().live_bytes == before.live_bytes + sizeof(entity));
    BOOST_TEST(result.summary().to_heap.count == 1u);
    kept.reset();
    BOOST_TEST(alloc.heap_resource().stats().live_bytes == before.live_bytes);
    BOOST_TEST(counts.live() == 0);
}

BOOST_AUTO_TEST_CASE(promote_to_scratch_survives_end_frame_until_the_owner_resets) {
    framealloc::smart_alloc alloc(small_config());
    framealloc::scratch_arena& ai = alloc.scratch("ai");
    alloc.begin_frame();
    auto a = alloc.frame_retained<entity>(retention::promote_to_scratch("ai"), 1);
    auto b = alloc.frame_retained<entity>(retention::promote_to_scratch(std::string("a") + "i"), 2);  // a temporary name
    auto c = alloc.frame_retained<entity>(retention::promote_to_scratch(ai), 3);  // by arena: no name lookup
    auto result = alloc.end_frame_with_promotions();
    framealloc::scratch_ptr<entity> pa = result.claim_scratch(a);
    framealloc::scratch_ptr<entity> pb = result.claim_scratch(b);
    BOOST_TEST(pa.arena() == &ai);
    BOOST_TEST(pa->intact(1));
    BOOST_TEST(pb->intact(2));
    framealloc::scratch_ptr<entity> pc = result.claim_scratch(c);
    BOOST_TEST(pc.arena() == &ai);
    BOOST_TEST(pc->intact(3));
    BOOST_TEST(result.summary().to_scratch.count == 3u);
    BOOST_TEST(counts.destroyed == 3);  // the three frame values
    for (int frame = 0; frame < 3; ++frame) {
        alloc.begin_frame();
        (void)alloc.frame_array<int>(2000);
        alloc.end_frame();
    }
    BOOST_TEST(pa.valid());
    BOOST_TEST(pa->intact(1));
    BOOST_TEST(pb->intact(2));
    BOOST_TEST(counts.destroyed == 3);  // end_frame() never touches a scratch arena
    ai.reset();
    BOOST_TEST(counts.destroyed == 6);
    BOOST_TEST(!pa.valid());
    ai.reset();
    BOOST_TEST(counts.destroyed == 6);
    BOOST_TEST(counts.live() == 0);
}

using alignments = std::tuple<aligned_block<64>, aligned_block<256>, aligned_block<4096>, aligned_block<8192>,
                              aligned_block<16384>>;

BOOST_AUTO_TEST_CASE_TEMPLATE(over_aligned_values_land_aligned_in_every_destination, block, alignments) {
    counts.clear();
    framealloc_test::counting_resource upstream;
    {
        framealloc::smart_alloc alloc(small_config(&upstream));
        const framealloc::retention_policy policies[] = {retention::promote_to_pool, retention::promote_to_heap,
                                                         retention::promote_to_scratch("aligned")};
        for (int frame = 0; frame < 2; ++frame) {
            alloc.begin_frame();
            std::vector<framealloc::retained<block>> tickets;
            for (int i = 0; i < 9; ++i) {
                tickets.push_back(alloc.frame_retained<block>(policies[i % 3], static_cast<unsigned char>(i + 1)));
                BOOST_TEST(framealloc_test::is_aligned(tickets.back().get(), alignof(block)));
            }
            auto result = alloc.end_frame_with_promotions();
            BOOST_TEST(result.summary().promoted.count == 9u);
            BOOST_TEST(result.summary().failures().count == 0u);
            std::vector<framealloc::pool_ptr<block>> owned;
            for (int i = 0; i < 9; ++i) {
                const void* where = nullptr;
                bool intact = false;
                if (i % 3 == 2) {
                    auto p = result.claim_scratch(tickets[i]);
                    where = p.get();
                    intact = p->intact(static_cast<unsigned char>(i + 1));
                } else {
                    owned.push_back(result.claim(tickets[i]));
                    where = owned.back().get();
                    intact = owned.back()->intact(static_cast<unsigned char>(i + 1));
                }
                BOOST_TEST(framealloc_test::is_aligned(where, alignof(block)));
                BOOST_TEST(intact);
            }
            BOOST_TEST(counts.destroyed == 9 * (2 * frame + 1));  // frame values, and last frame's promoted ones
            owned.clear();
            alloc.scratch("aligned").reset();
            BOOST_TEST(counts.live() == 0);
        }
    }
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(discard_destroys_at_the_end_of_the_frame_and_claims_empty) {
    framealloc::smart_alloc alloc(small_config());
    alloc.begin_frame();
    auto ticket = alloc.frame_retained<entity>(retention::discard, 5);
    auto kept = alloc.frame_retained<entity>(retention::promote_to_pool, 6);
    BOOST_TEST(ticket->intact(5));
    auto result = alloc.end_frame_with_promotions();
    BOOST_TEST(counts.destroyed == 2);  // discarded one, and the frame copy of the promoted one
    BOOST_TEST(counts.moved == 1);
    BOOST_TEST((result.status(ticket) == promotion_status::discarded));
    BOOST_TEST(result.summary().discarded.count == 1u);
    BOOST_TEST(result.summary().discarded.bytes == sizeof(entity));
    BOOST_TEST(result.summary().promoted.count == 1u);
    BOOST_TEST(!result.claim(ticket));  // an empty handle, not an error
    BOOST_TEST(result.claim(kept)->intact(6));
    BOOST_TEST(counts.live() == 0);
}

BOOST_AUTO_TEST_CASE(unclaimed_values_are_destroyed_and_freed_with_the_result) {
    framealloc_test::counting_resource upstream;
    {
        framealloc::smart_alloc alloc(small_config(&upstream));
        const auto heap_before = alloc.heap_resource().stats().live_bytes;
        alloc.begin_frame();
        for (int i = 0; i < 50; ++i)
            (void)alloc.frame_retained<entity>(i % 2 ? retention::promote_to_pool : retention::promote_to_heap, i);
        auto claimed = alloc.frame_retained<entity>(retention::promote_to_pool, 99);
        {
            auto result = alloc.end_frame_with_promotions();
            BOOST_TEST(result.unclaimed() == 51u);
            auto mine = result.claim(claimed);
            BOOST_TEST(result.unclaimed() == 50u);
            BOOST_TEST(counts.live() == 51);
            mine.reset();
        }
        BOOST_TEST(counts.live() == 0);
        BOOST_TEST(alloc.heap_resource().stats().live_bytes == heap_before);
        // A result that is moved into releases what it held before.
        alloc.begin_frame();
        (void)alloc.frame_retained<entity>(retention::promote_to_pool, 1);
        framealloc::promotion_result first = alloc.end_frame_with_promotions();
        BOOST_TEST(counts.live() == 1);
        alloc.begin_frame();
        first = alloc.end_frame_with_promotions();
        BOOST_TEST(counts.live() == 0);
        BOOST_TEST(first.size() == 0u);
    }
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(values_retained_on_worker_threads_are_claimed_on_other_threads) {
    framealloc_test::counting_resource upstream;
    {
        framealloc::smart_alloc alloc(small_config(&upstream));
        constexpr int producers = 4;
        constexpr int per_thread = 64;
        constexpr int frames = 20;
        for (int frame = 0; frame < frames; ++frame) {
            alloc.begin_frame();
            std::vector<framealloc::retained<entity>> tickets(producers * per_thread);
            std::vector<std::thread> workers;
            for (int t = 0; t < producers; ++t)
                workers.emplace_back([&, t] {
                    for (int i = 0; i < per_thread; ++i) {
                        const int id = t * per_thread + i;
                        const auto policy = id % 3 == 0 ? retention::promote_to_heap : retention::promote_to_pool;
                        tickets[id] = alloc.frame_retained<entity>(policy, id);
                    }
                });
            for (auto& w : workers) w.join();
            auto result = alloc.end_frame_with_promotions();
            BOOST_TEST(result.size() == std::size_t(producers * per_thread));
            BOOST_TEST(result.summary().promoted.count == std::size_t(producers * per_thread));
            BOOST_TEST(result.summary().to_heap.count == std::size_t((producers * per_thread + 2) / 3));
            // Two claimers race over every ticket: each value is claimed exactly once, by one of them.
            std::atomic<int> claimed{0};
            std::atomic<int> refused{0};
            std::atomic<int> broken{0};
            std::vector<std::thread> claimers;
            for (int c = 0; c < 2; ++c)
                claimers.emplace_back([&, c] {
                    std::vector<framealloc::pool_ptr<entity>> mine;
                    for (int k = 0; k < producers * per_thread; ++k) {
                        const int id = c == 0 ? k : producers * per_thread - 1 - k;
                        try {
                            mine.push_back(result.claim(tickets[id]));
                            if (!mine.back()->intact(id)) ++broken;
                            ++claimed;
                        } catch (const framealloc::frame_error& e) {
                            if (e.code() == framealloc::codes::promotion_claimed) ++refused;
                        }
                    }
                    // freed here, on the claiming thread
                });
            for (auto& th : claimers) th.join();
            BOOST_TEST(claimed == producers * per_thread);
            BOOST_TEST(refused == producers * per_thread);
            BOOST_TEST(broken == 0);
            BOOST_TEST(counts.live() == 0);
        }
        BOOST_TEST(alloc.retention_stats().promoted.count == std::size_t(frames * producers * per_thread));
    }
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(several_threads_retain_in_one_frame_with_every_policy) {
    framealloc_test::counting_resource upstream;
    {
        framealloc::smart_alloc alloc(small_config(&upstream));
        constexpr int threads = 4;
        constexpr int per_thread = 100;
        alloc.begin_frame();
        std::vector<std::vector<framealloc::retained<entity>>> tickets(threads);
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([&, t] {
                const std::string scratch = "worker " + std::to_string(t);
                for (int i = 0; i < per_thread; ++i) {
                    const int id = t * per_thread + i;
                    framealloc::retention_policy policy = retention::discard;
                    switch (i % 4) {
                    case 1: policy = retention::promote_to_pool; break;
                    case 2: policy = retention::promote_to_heap; break;
                    case 3: policy = retention::promote_to_scratch(scratch); break;
                    default: break;
                    }
                    tickets[t].push_back(alloc.frame_retained<entity>(policy, id));
                    (void)alloc.frame_alloc<std::array<int, 16>>();  // interleaved with ordinary frame objects
                }
            });
        for (auto& w : workers) w.join();
        auto result = alloc.end_frame_with_promotions();
        const auto& s = result.summary();
        constexpr std::size_t quarter = threads * per_thread / 4;
        BOOST_TEST(s.discarded.count == quarter);
        BOOST_TEST(s.to_pool.count == quarter);
        BOOST_TEST(s.to_heap.count == quarter);
        BOOST_TEST(s.to_scratch.count == quarter);
        BOOST_TEST(s.promoted.count == 3 * quarter);
        BOOST_TEST(s.promoted.bytes == 3 * quarter * sizeof(entity));
        BOOST_REQUIRE(s.by_tag.size() == 1u);
        const framealloc::tag_promotion_summary* untagged = s.find_tag("untagged");
        BOOST_REQUIRE(untagged != nullptr);
        BOOST_TEST(untagged->promoted.count == 3 * quarter);
        BOOST_TEST(untagged->discarded.count == quarter);
        BOOST_TEST(s.find_tag("physics") == nullptr);
        BOOST_TEST(counts.live() == static_cast<int>(3 * quarter));
        for (int t = 0; t < threads; ++t)
            for (int i = 0; i < per_thread; ++i) {
                const int id = t * per_thread + i;
                const auto& ticket = tickets[t][i];
                if (i % 4 == 3) {
                    auto p = result.claim_scratch(ticket);
                    BOOST_TEST(p->intact(id));
                    BOOST_TEST(p.arena() == &alloc.scratch("worker " + std::to_string(t)));
                } else if (i % 4 != 0) {
                    auto p = result.claim(ticket);
                    BOOST_TEST(p->intact(id));
                }
            }
        for (int t = 0; t < threads; ++t) alloc.scratch("worker " + std::to_string(t)).reset();
        BOOST_TEST(counts.live() == 0);
    }
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(a_thread_that_exits_mid_frame_still_has_its_values_promoted) {
    framealloc::smart_alloc alloc(small_config());
    for (int frame = 0; frame < 3; ++frame) {
        alloc.begin_frame();
        framealloc::retained<entity> ticket;
        std::thread([&] { ticket = alloc.frame_retained<entity>(retention::promote_to_pool, frame); }).join();
        auto result = alloc.end_frame_with_promotions();
        auto p = result.claim(ticket);
        BOOST_REQUIRE(p);
        BOOST_TEST(p->intact(frame));
    }
    BOOST_TEST(counts.live() == 0);
}

BOOST_AUTO_TEST_CASE(a_throwing_move_is_counted_and_nothing_leaks) {
    framealloc_test::counting_resource upstream;
    {
        framealloc::smart_alloc alloc(small_config(&upstream));
        framealloc::scratch_arena& s = alloc.scratch("fragile");
        const std::size_t scratch_used = s.stats().bytes_used;
        const auto heap_before = alloc.heap_resource().stats().live_bytes;
        alloc.begin_frame();
        const std::string text(100, 'q');
        auto a = alloc.frame_retained<fragile>(retention::promote_to_pool, text);
        auto b = alloc.frame_retained<fragile>(retention::promote_to_heap, text);
        auto c = alloc.frame_retained<fragile>(retention::promote_to_scratch("fragile"), text);
        fragile::refuse = true;
        auto result = alloc.end_frame_with_promotions();
        fragile::refuse = false;
        const auto& threw = result.summary().failed_by(framealloc::promotion_failure::move_threw);
        BOOST_TEST(threw.count == 3u);
        BOOST_TEST(threw.bytes == 3 * sizeof(fragile));
        BOOST_TEST(result.summary().promoted.count == 0u);
        BOOST_TEST(result.summary().find_tag("untagged")->failed.count == 3u);
        BOOST_TEST((result.status(a) == promotion_status::move_threw));
        BOOST_TEST(!result.claim(a));
        BOOST_TEST(!result.claim(b));
        BOOST_TEST(!result.claim_scratch(c));
        BOOST_TEST(counts.live() == 0);  // each frame value destroyed once, nothing half-built kept
        BOOST_TEST(counts.destroyed == 3);
        BOOST_TEST(alloc.heap_resource().stats().live_bytes == heap_before);
        BOOST_TEST(s.stats().bytes_used == scratch_used);
        BOOST_TEST(alloc.retention_stats().failed.count == 3u);
    }
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(plain_end_frame_drops_retained_values_and_counts_them) {
    framealloc_test::counting_resource upstream;
    {
        framealloc::smart_alloc alloc(small_config(&upstream));
        alloc.begin_frame();
        auto t = alloc.frame_retained<entity>(retention::promote_to_pool, 1);
        (void)alloc.frame_retained<entity>(retention::promote_to_scratch("x"), 2);
        (void)alloc.frame_retained<entity>(retention::discard, 3);
        alloc.end_frame();
        BOOST_TEST(counts.destroyed == 3);
        BOOST_TEST(counts.moved == 0);
        const auto stats = alloc.retention_stats();
        BOOST_TEST(stats.retained.count == 3u);
        BOOST_TEST(stats.dropped.count == 3u);
        BOOST_TEST(stats.promoted.count == 0u);
        BOOST_TEST(alloc.scratch("x").stats().bytes_used == 0u);
        // The next frame's promotion result knows nothing of them.
        alloc.begin_frame();
        auto result = alloc.end_frame_with_promotions();
        BOOST_TEST(result.size() == 0u);
        BOOST_CHECK_EXCEPTION((void)result.claim(t), framealloc::frame_error, has_code<framealloc::frame_error>(framealloc::codes::retained_not_found));
    }
    BOOST_TEST(counts.live() == 0);
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_CASE(a_frame_scope_releases_values_retained_inside_it) {
    framealloc::smart_alloc alloc(small_config());
    alloc.begin_frame();
    framealloc::retained<entity> inner;
    {
        auto scope = alloc.frame_scope();
        inner = alloc.frame_retained<entity>(retention::promote_to_pool, 1);
    }
    BOOST_TEST(counts.destroyed == 1);
    auto outer = alloc.frame_retained<entity>(retention::promote_to_pool, 2);
    auto result = alloc.end_frame_with_promotions();
    BOOST_TEST(result.summary().dropped.count == 1u);
    BOOST_TEST(result.summary().promoted.count == 1u);
    BOOST_TEST(!result.contains(inner));
    BOOST_CHECK_EXCEPTION((void)result.claim(inner), framealloc::frame_error, has_code<framealloc::frame_error>(framealloc::codes::retained_not_found));
    BOOST_TEST(result.claim(outer)->intact(2));
    BOOST_TEST(counts.live() == 0);
}

BOOST_AUTO_TEST_CASE(claim_errors_carry_their_codes_and_change_nothing) {
    framealloc::smart_alloc alloc(small_config());
    framealloc::smart_alloc other(small_config());
    alloc.begin_frame();
    auto old = alloc.frame_retained<entity>(retention::promote_to_pool, 0);
    { auto r = alloc.end_frame_with_promotions(); }

    other.begin_frame();
    auto foreign = other.frame_retained<entity>(retention::promote_to_pool, 9);
    auto other_result = other.end_frame_with_promotions();

    alloc.begin_frame();
    auto pooled = alloc.frame_retained<entity>(retention::promote_to_pool, 1);
    auto scratched = alloc.frame_retained<entity>(retention::promote_to_scratch("s"), 2);
    auto number = alloc.frame_retained<int>(retention::promote_to_heap, 42);
    auto result = alloc.end_frame_with_promotions();

    using framealloc::frame_error;
    using framealloc::memory_error;
    namespace codes = framealloc::codes;
    BOOST_CHECK_EXCEPTION((void)result.claim(old), frame_error, has_code<frame_error>(codes::retained_not_found));
    BOOST_CHECK_EXCEPTION((void)result.claim(foreign), frame_error, has_code<frame_error>(codes::retained_not_found));
    BOOST_CHECK_EXCEPTION((void)result.status(foreign), frame_error, has_code<frame_error>(codes::retained_not_found));
    BOOST_CHECK_EXCEPTION((void)result.claim(framealloc::retained<entity>{}), frame_error, has_code<frame_error>(codes::retained_not_found));
    BOOST_CHECK_EXCEPTION((void)result.claim_scratch(pooled), frame_error, has_code<frame_error>(codes::promotion_destination));
    BOOST_CHECK_EXCEPTION((void)result.claim(scratched), frame_error, has_code<frame_error>(codes::promotion_destination));
    BOOST_CHECK_EXCEPTION((void)result.claim<entity>(number), memory_error, has_code<memory_error>(codes::promotion_type_mismatch));
    BOOST_CHECK_EXCEPTION((void)result.claim<double>(framealloc::retained_id(pooled)), memory_error,
                          has_code<memory_error>(codes::promotion_type_mismatch));
    BOOST_TEST(result.unclaimed() == 3u);  // none of the refused claims took anything

    // Claims by untyped id, the type checked at run time.
    const std::vector<framealloc::retained_id> ids = {pooled, number};
    auto e = result.claim<entity>(ids[0]);
    auto n = result.claim<int>(ids[1]);
    BOOST_TEST(e->intact(1));
    BOOST_TEST(*n == 42);
    BOOST_CHECK_EXCEPTION((void)result.claim(pooled), frame_error, has_code<frame_error>(codes::promotion_claimed));
    BOOST_TEST(result.claim_scratch(scratched)->intact(2));
    BOOST_CHECK_EXCEPTION((void)result.claim_scratch(scratched), frame_error, has_code<frame_error>(codes::promotion_claimed));
    BOOST_TEST(result.unclaimed() == 0u);

    framealloc::promotion_result empty;
    BOOST_CHECK_EXCEPTION((void)empty.claim(pooled), frame_error, has_code<frame_error>(codes::retained_not_found));
    BOOST_TEST(other_result.claim(foreign)->intact(9));
}

BOOST_AUTO_TEST_CASE(lifecycle_errors) {
    framealloc::smart_alloc alloc(small_config());
    using framealloc::frame_error;
    BOOST_CHECK_EXCEPTION((void)alloc.end_frame_with_promotions(), frame_error,
                          has_code<frame_error>(framealloc::codes::frame_lifecycle));
    BOOST_CHECK_EXCEPTION((void)alloc.frame_retained<entity>(retention::promote_to_pool, 1), frame_error,
                          has_code<frame_error>(framealloc::codes::allocation_outside_frame));
    BOOST_TEST(counts.constructed == 0);
    alloc.begin_frame();
    auto result = alloc.end_frame_with_promotions();
    BOOST_TEST(!alloc.in_frame());
    BOOST_CHECK_EXCEPTION((void)alloc.end_frame_with_promotions(), frame_error,
                          has_code<frame_error>(framealloc::codes::frame_lifecycle));
}

// A move constructor is user code: one that retains again during the promotion must not disturb it.
struct reentrant {
    static inline framealloc::smart_alloc* alloc = nullptr;
    int value;
    explicit reentrant(int v) : value(v) {}
    reentrant(reentrant&& o) noexcept : value(o.value) {
        (void)alloc->frame_retained<entity>(retention::promote_to_pool, value);  // frame still open here
    }
};

BOOST_AUTO_TEST_CASE(retaining_from_a_move_constructor_during_promotion_is_dropped_safely) {
    framealloc::smart_alloc alloc(small_config());
    reentrant::alloc = &alloc;
    alloc.begin_frame();
    auto a = alloc.frame_retained<reentrant>(retention::promote_to_pool, 1);
    auto b = alloc.frame_retained<reentrant>(retention::promote_to_heap, 2);
    auto result = alloc.end_frame_with_promotions();
    BOOST_TEST(result.size() == 2u);
    BOOST_TEST(result.claim(a)->value == 1);
    BOOST_TEST(result.claim(b)->value == 2);
    BOOST_TEST(counts.constructed == 2);  // the two entities made by the moves ...
    BOOST_TEST(counts.live() == 0);       // ... were dropped with the frame
    BOOST_TEST(alloc.retention_stats().dropped.count == 2u);
    BOOST_TEST(alloc.retention_stats().retained.count == 4u);
    reentrant::alloc = nullptr;
}

BOOST_AUTO_TEST_CASE(trivial_values_in_every_destination) {
    framealloc::smart_alloc alloc(small_config());
    alloc.begin_frame();
    auto a = alloc.frame_retained<std::uint64_t>(retention::promote_to_pool, 1u);
    auto b = alloc.frame_retained<std::array<double, 3>>(retention::promote_to_heap, std::array<double, 3>{1.5, 2.5, 3.5});
    auto c = alloc.frame_retained<int>(retention::promote_to_scratch("t"), 3);
    *a += 10;
    auto result = alloc.end_frame_with_promotions();
    BOOST_TEST(*result.claim(a) == 11u);
    BOOST_TEST((*result.claim(b))[2] == 3.5);
    BOOST_TEST(*result.claim_scratch(c) == 3);
}

BOOST_AUTO_TEST_CASE(retention_across_many_frames_keeps_memory_bounded) {
    framealloc_test::counting_resource upstream;
    {
        framealloc::smart_alloc alloc(small_config(&upstream));
        std::vector<framealloc::pool_ptr<entity>> keep;
        std::int64_t warm = 0;
        for (int frame = 0; frame < 300; ++frame) {
            alloc.begin_frame();
            std::vector<framealloc::retained<entity>> tickets;
            for (int i = 0; i < 10; ++i)
                tickets.push_back(alloc.frame_retained<entity>(i < 5 ? retention::promote_to_pool : retention::discard, i));
            auto result = alloc.end_frame_with_promotions();
            keep.clear();  // last frame's promoted values go back to the pool
            for (int i = 0; i < 5; ++i) keep.push_back(result.claim(tickets[i]));
            if (frame == 10) warm = upstream.live_bytes();
        }
        BOOST_TEST(upstream.live_bytes() == warm);  // steady state: no growth
        BOOST_TEST(alloc.retention_stats().retained.count == 3000u);
        BOOST_TEST(alloc.retention_stats().promoted.count == 1500u);
        BOOST_TEST(alloc.retention_stats().discarded.count == 1500u);
    }
    BOOST_TEST(counts.live() == 0);
    BOOST_TEST(upstream.live_bytes() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
