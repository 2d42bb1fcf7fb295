// Size classes: the waste bound holds for every size, lookups agree with a plain search, alignment
// classes are multiples of the alignment.
#include <boost/test/unit_test.hpp>

#include <cstddef>

import framealloc;

namespace d = framealloc::detail;

BOOST_AUTO_TEST_SUITE(size_classes)

BOOST_AUTO_TEST_CASE(every_size_gets_the_smallest_class_that_holds_it) {
    for (std::size_t n = 0; n <= d::max_pooled_size; ++n) {
        const std::size_t c = d::class_for(n, 1);
        BOOST_REQUIRE(c < d::class_count);
        BOOST_REQUIRE(d::class_sizes[c] >= n);
        if (c > 0) BOOST_REQUIRE(d::class_sizes[c - 1] < n);  // no smaller class would do
    }
    BOOST_TEST(d::class_for(d::max_pooled_size + 1, 1) == d::class_count);
}

BOOST_AUTO_TEST_CASE(waste_is_at_most_a_quarter_from_32_bytes_and_15_bytes_below) {
    double worst = 0;
    for (std::size_t n = 1; n <= d::max_pooled_size; ++n) {
        // The class table itself (pool_resource::block_size adds the guard bytes of FRAMEALLOC_DEBUG).
        const std::size_t block = d::class_sizes[d::class_for(n, 8)];
        if (n >= 32) {
            BOOST_REQUIRE(block * 4 <= n * 5);  // block <= 1.25 n
            worst = std::max(worst, double(block - n) / double(n));
        } else {
            BOOST_REQUIRE(block - n <= 15);
        }
    }
    BOOST_TEST(worst > 0.2);  // the bound is tight, not vacuous
}

BOOST_AUTO_TEST_CASE(aligned_requests_get_classes_that_are_multiples_of_the_alignment) {
    for (std::size_t a = 1; a <= 4096; a <<= 1)
        for (std::size_t n = 0; n <= 4096; n += 7) {
            const std::size_t c = d::class_for(n, a);
            if (c == d::class_count) continue;
            BOOST_REQUIRE(d::class_sizes[c] % a == 0);
            BOOST_REQUIRE(d::class_sizes[c] >= n);
        }
    for (std::size_t c = 0; c < d::class_count; ++c) BOOST_REQUIRE(d::class_sizes[d::aligned16_class[c]] % 16 == 0);
    BOOST_TEST(d::class_for(100, 16384) == d::class_count);  // no class is a multiple: heap
}

BOOST_AUTO_TEST_SUITE_END()
