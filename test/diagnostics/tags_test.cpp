// Tags: interning, hierarchy, scoped nesting, with_tag, bad names.
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <thread>

import framealloc;

BOOST_AUTO_TEST_SUITE(tags)

BOOST_AUTO_TEST_CASE(interning_gives_one_id_per_path_and_builds_the_hierarchy) {
    const framealloc::tag_id bp = framealloc::intern_tag("tags_t::physics::broadphase");
    BOOST_TEST(framealloc::intern_tag("tags_t::physics::broadphase") == bp);
    BOOST_TEST(std::string(framealloc::tag_path(bp)) == "tags_t::physics::broadphase");
    const framealloc::tag_id physics = framealloc::tag_parent(bp);
    BOOST_TEST(std::string(framealloc::tag_path(physics)) == "tags_t::physics");
    BOOST_TEST(framealloc::intern_tag("tags_t::physics") == physics);
    BOOST_TEST(framealloc::child_tag(physics, "broadphase") == bp);
    BOOST_TEST(framealloc::tag_within(bp, physics));
    BOOST_TEST(framealloc::tag_within(bp, framealloc::untagged));
    BOOST_TEST(!framealloc::tag_within(physics, bp));
    BOOST_TEST(framealloc::tag_parent(framealloc::tag_parent(physics)) == framealloc::untagged);
    BOOST_TEST(std::string(framealloc::tag_path(framealloc::untagged)).empty());
}

BOOST_AUTO_TEST_CASE(scoped_tags_nest_and_restore) {
    BOOST_TEST(framealloc::current_tag() == framealloc::untagged);
    {
        framealloc::scoped_tag outer("tags_s");
        BOOST_TEST(std::string(framealloc::tag_path(framealloc::current_tag())) == "tags_s");
        {
            framealloc::scoped_tag inner("ai");
            BOOST_TEST(std::string(framealloc::tag_path(framealloc::current_tag())) == "tags_s::ai");
            BOOST_TEST(inner.id() == framealloc::intern_tag("tags_s::ai"));
        }
        BOOST_TEST(framealloc::current_tag() == outer.id());
        // An absolute id ignores the current tag.
        framealloc::scoped_tag absolute(framealloc::intern_tag("elsewhere_t"));
        BOOST_TEST(std::string(framealloc::tag_path(framealloc::current_tag())) == "elsewhere_t");
    }
    BOOST_TEST(framealloc::current_tag() == framealloc::untagged);
}

BOOST_AUTO_TEST_CASE(current_tag_is_per_thread) {
    framealloc::scoped_tag here("tags_thread_main");
    framealloc::tag_id seen = 12345;
    std::thread([&] { seen = framealloc::current_tag(); }).join();
    BOOST_TEST(seen == framealloc::untagged);
    BOOST_TEST(framealloc::current_tag() == here.id());
}

BOOST_AUTO_TEST_CASE(with_tag_returns_the_result_and_passes_the_allocator) {
    framealloc::smart_alloc alloc;
    const int r = alloc.with_tag("tags_w", [&](framealloc::smart_alloc& a) {
        BOOST_TEST(&a == &alloc);
        return a.with_tag("inner", [] { return std::string(framealloc::tag_path(framealloc::current_tag())).size(); });
    });
    BOOST_TEST(r == int(std::string_view("tags_w::inner").size()));
    BOOST_TEST(framealloc::current_tag() == framealloc::untagged);
    // The tag ends even when f throws.
    BOOST_CHECK_THROW(alloc.with_tag("tags_throw", []() -> int { throw 7; }), int);
    BOOST_TEST(framealloc::current_tag() == framealloc::untagged);
}

BOOST_AUTO_TEST_CASE(empty_names_and_unknown_ids_are_rejected) {
    BOOST_CHECK_THROW((void)framealloc::intern_tag(""), framealloc::tag_error);
    BOOST_CHECK_THROW((void)framealloc::intern_tag("a::::b"), framealloc::tag_error);
    BOOST_CHECK_THROW((void)framealloc::intern_tag("a::"), framealloc::tag_error);
    BOOST_CHECK_THROW((void)framealloc::tag_path(framealloc::tag_id(framealloc::max_tags + 5)), framealloc::tag_error);
    // fa: allow FA605 -- only the constructor runs here: it must throw
    BOOST_CHECK_THROW(framealloc::scoped_tag(framealloc::tag_id(framealloc::max_tags + 5)), framealloc::tag_error);
    BOOST_TEST(framealloc::current_tag() == framealloc::untagged);
}

BOOST_AUTO_TEST_SUITE_END()
