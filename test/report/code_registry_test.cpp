// The diagnostic-code registry: sorted, unique, well-formed, complete for every code the library
// emits, and explain() prints title, explanation and hint.
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <string>
#include <string_view>

import framealloc;

BOOST_AUTO_TEST_SUITE(code_registry)

BOOST_AUTO_TEST_CASE(codes_are_sorted_unique_and_complete_entries) {
    std::string_view previous;
    for (const framealloc::diagnostic_code& c : framealloc::diagnostic_codes()) {
        BOOST_TEST_CONTEXT(c.code) {
            BOOST_TEST(c.code.size() == 5u);
            BOOST_TEST(c.code.substr(0, 2) == "FA");
            for (char ch : c.code.substr(2)) BOOST_TEST(std::isdigit(static_cast<unsigned char>(ch)) != 0);
            BOOST_TEST(c.code > previous);
            BOOST_TEST(!c.title.empty());
            BOOST_TEST(!c.explanation.empty());
            BOOST_TEST(!c.hint.empty());
            // The family follows the hundreds digit.
            BOOST_TEST(static_cast<int>(c.family) == c.code[2] - '0');
        }
        previous = c.code;
    }
}

BOOST_AUTO_TEST_CASE(every_code_the_library_emits_is_registered) {
    namespace c = framealloc::codes;
    const std::string_view emitted[] = {
        c::allocation_outside_frame, c::invalid_config, c::frame_lifecycle, c::invalid_marker, c::frame_tasks_in_flight, c::tag_table_full,
        c::retained_not_found, c::promotion_claimed, c::promotion_destination, c::promotion_type_mismatch,
        c::snapshot_io, c::leak, c::leaked_blocks, c::guard_overrun, c::alignment_mismatch, c::bad_block,
        c::bad_alignment, c::double_free, c::foreign_pointer, c::size_mismatch,
        c::barrier_not_signalled, c::barrier_no_participant, c::transfer_not_pending,
        c::budget_hard_limit, c::budget_soft_limit,
        c::behavior_retained_too_long, c::behavior_frame_survival, c::behavior_pool_freed_same_frame,
        c::behavior_promotion_churn, c::behavior_heap_in_hot_path, c::behavior_arena_overflow,
        c::behavior_remote_frees, c::behavior_soft_budget,
    };
    for (std::string_view code : emitted) {
        BOOST_TEST_CONTEXT(code) { BOOST_TEST(framealloc::find_diagnostic_code(code) != nullptr); }
    }
    BOOST_TEST(framealloc::find_diagnostic_code("FA999") == nullptr);
}

BOOST_AUTO_TEST_CASE(explain_prints_title_explanation_and_hint) {
    const std::string text = framealloc::explain("FA510");
    BOOST_TEST(text.rfind("FA510 pool allocations freed in the same frame\n", 0) == 0);
    BOOST_TEST(text.find("\nhint: ") != std::string::npos);
    BOOST_TEST(framealloc::explain("FA000").find("unknown") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
