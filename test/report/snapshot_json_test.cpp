// to_json(snapshot): every field of schema v1 present, in order, with the model's values; optionals as
// null; timestamps in RFC 3339; the same snapshot always gives the same bytes.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "json_parse.hpp"

import framealloc;

namespace json = framealloc_test::json;
using namespace std::chrono;

namespace {

std::vector<std::string> keys(const json::value& v) {
    return v.obj().keys;
}

framealloc::snapshot populated() {
    framealloc::snapshot s;
    s.timestamp = sys_days{year{2026} / 11 / 25} + hours{21} + minutes{17} + seconds{3} + milliseconds{42};
    s.frame = 1234;
    s.duration_us = 16667;
    s.frame_open = true;
    s.summary = {1, 2, 3, 6, 7};
    s.threads.push_back({"t1", "render", 10, 20, 30, 40, framealloc::thread_budget_usage{100, 150, 150}});
    s.threads.push_back({"t2", "", 0, 0, 0, 0, std::nullopt});
    s.tags.push_back({"physics::broadphase", "t1", "frame", 5, 320, 1.5, 0.25, {"FA501"}});
    s.tags.push_back({"audio", "", "heap", 1, 8, std::nullopt, std::nullopt, {}});
    s.promotions = {1, 2, 3, 4, 5};
    s.transfers = {6, 7, 8, 9, 10, 11};
    s.depot = {21, 22, 23, 24};
    s.diagnostics.push_back({"FA510", std::string("physics"), "pool allocations freed in the same frame", "warning", 12});
    s.diagnostics.push_back({"FA530", std::nullopt, "heap in the hot path", "info", 1});
    s.resources.frame = {2, 100, 200, 300, 4, 5, 600, 7, 8};
    s.resources.pool = {3, 9, 10, 11, 12, 13, 14, 15};
    s.resources.heap = {16, 17, 18, 19};
    s.budgets.push_back({"tag", "physics", "frame", 99, 1000, std::nullopt, 1, 0});
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot_json)

BOOST_AUTO_TEST_CASE(top_level_fields_in_schema_order) {
    const json::value v = json::parse(framealloc::to_json(framealloc::snapshot{}));
    const std::vector<std::string> expected{"version",    "timestamp", "frame",     "duration_us", "frame_open",
                                            "summary",    "threads",   "tags",      "promotions",  "transfers",
                                            "depot",      "diagnostics", "resources", "budgets"};
    BOOST_TEST(keys(v) == expected, boost::test_tools::per_element());
    BOOST_TEST(v["version"].u64() == 2u);
    BOOST_TEST(v["threads"].arr().empty());
    BOOST_TEST(v["tags"].arr().empty());
    BOOST_TEST(v["diagnostics"].arr().empty());
    BOOST_TEST(v["budgets"].arr().empty());
    BOOST_TEST(v["timestamp"].str() == "1970-01-01T00:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(every_value_is_written) {
    const framealloc::snapshot s = populated();
    const json::value v = json::parse(framealloc::to_json(s));
    BOOST_TEST(v["timestamp"].str() == "2026-11-25T21:17:03.042Z");
    BOOST_TEST(v["frame"].u64() == 1234u);
    BOOST_TEST(v["duration_us"].u64() == 16667u);
    BOOST_TEST(v["frame_open"].boolean());

    const json::value& sum = v["summary"];
    BOOST_TEST(keys(sum) == (std::vector<std::string>{"frame_bytes", "pool_bytes", "heap_bytes", "total_bytes", "peak_bytes"}),
               boost::test_tools::per_element());
    BOOST_TEST(sum["total_bytes"].u64() == 6u);
    BOOST_TEST(sum["peak_bytes"].u64() == 7u);

    const json::value& t1 = v["threads"].arr()[0];
    BOOST_TEST(keys(t1) == (std::vector<std::string>{"id", "name", "frame_bytes", "pool_bytes", "heap_bytes", "peak_bytes", "budget", "pool_budget"}),
               boost::test_tools::per_element());
    BOOST_TEST(t1["name"].str() == "render");
    BOOST_TEST(t1["budget"]["limit"].u64() == 100u);
    BOOST_TEST(t1["budget"]["used"].u64() == 150u);
    BOOST_TEST(t1["budget"]["percent"].u64() == 150u);
    BOOST_TEST(v["threads"].arr()[1]["budget"].is_null());

    const json::value& tag = v["tags"].arr()[0];
    BOOST_TEST(keys(tag) == (std::vector<std::string>{"path", "thread", "alloc_kind", "alloc_count", "bytes",
                                                      "avg_lifetime_frames", "promotion_rate", "diagnostics"}),
               boost::test_tools::per_element());
    BOOST_TEST(tag["path"].str() == "physics::broadphase");
    BOOST_TEST(tag["avg_lifetime_frames"].num().as_double() == 1.5);
    BOOST_TEST(tag["promotion_rate"].num().as_double() == 0.25);
    BOOST_TEST(tag["diagnostics"].arr()[0].str() == "FA501");
    BOOST_TEST(v["tags"].arr()[1]["avg_lifetime_frames"].is_null());
    BOOST_TEST(v["tags"].arr()[1]["promotion_rate"].is_null());

    BOOST_TEST(keys(v["promotions"]) == (std::vector<std::string>{"to_pool", "to_heap", "failed", "to_scratch", "discarded"}),
               boost::test_tools::per_element());
    BOOST_TEST(v["promotions"]["discarded"].u64() == 5u);
    BOOST_TEST(keys(v["transfers"]) == (std::vector<std::string>{"pending", "completed_this_frame", "created", "received",
                                                                 "dropped", "bytes_created"}),
               boost::test_tools::per_element());
    BOOST_TEST(v["transfers"]["bytes_created"].u64() == 11u);
    BOOST_TEST(keys(v["depot"]) == (std::vector<std::string>{"blocks_returned_this_frame", "blocks_reused_this_frame",
                                                             "blocks_returned", "blocks_reused"}),
               boost::test_tools::per_element());
    BOOST_TEST(v["depot"]["blocks_returned_this_frame"].u64() == 21u);
    BOOST_TEST(v["depot"]["blocks_reused"].u64() == 24u);

    const json::value& d = v["diagnostics"].arr()[0];
    BOOST_TEST(keys(d) == (std::vector<std::string>{"code", "tag", "message", "severity", "count"}),
               boost::test_tools::per_element());
    BOOST_TEST(d["tag"].str() == "physics");
    BOOST_TEST(d["count"].u64() == 12u);
    BOOST_TEST(v["diagnostics"].arr()[1]["tag"].is_null());

    const json::value& r = v["resources"];
    BOOST_TEST(r["frame"]["peak_bytes_used"].u64() == 600u);
    BOOST_TEST(r["frame"]["upstream_deallocations"].u64() == 8u);
    BOOST_TEST(r["pool"]["heap_bytes"].u64() == 15u);
    BOOST_TEST(r["heap"]["peak_bytes"].u64() == 19u);
    BOOST_TEST(keys(r["heap"]) == (std::vector<std::string>{"allocations", "deallocations", "live_bytes", "peak_bytes"}),
               boost::test_tools::per_element());

    const json::value& b = v["budgets"].arr()[0];
    BOOST_TEST(keys(b) == (std::vector<std::string>{"scope", "name", "kind", "used", "soft_limit", "hard_limit",
                                                    "soft_exceeded", "hard_exceeded"}),
               boost::test_tools::per_element());
    BOOST_TEST(b["soft_limit"].u64() == 1000u);
    BOOST_TEST(b["hard_limit"].is_null());
}

BOOST_AUTO_TEST_CASE(same_snapshot_same_bytes) {
    const framealloc::snapshot s = populated();
    BOOST_TEST(framealloc::to_json(s) == framealloc::to_json(s));
}

BOOST_AUTO_TEST_CASE(hostile_strings_and_non_finite_numbers_still_give_valid_json) {
    framealloc::snapshot s = populated();
    s.tags[0].path = "a\"b\\c\n\x01\xC0\xFF";
    s.tags[0].avg_lifetime_frames = std::numeric_limits<double>::quiet_NaN();
    s.tags[0].promotion_rate = -std::numeric_limits<double>::infinity();
    s.threads[0].name = "\xE6\xBC\xA2";
    const json::value v = json::parse(framealloc::to_json(s));
    BOOST_TEST(v["tags"].arr()[0]["path"].str() == "a\"b\\c\n\x01\xEF\xBF\xBD\xEF\xBF\xBD");
    BOOST_TEST(v["tags"].arr()[0]["avg_lifetime_frames"].is_null());
    BOOST_TEST(v["tags"].arr()[0]["promotion_rate"].is_null());
    BOOST_TEST(v["threads"].arr()[0]["name"].str() == "\xE6\xBC\xA2");
}

BOOST_AUTO_TEST_CASE(timestamps) {
    using tp = system_clock::time_point;
    BOOST_TEST(framealloc::format_timestamp(tp{}) == "1970-01-01T00:00:00.000Z");
    BOOST_TEST(framealloc::format_timestamp(tp{} - milliseconds{1}) == "1969-12-31T23:59:59.999Z");
    BOOST_TEST(framealloc::format_timestamp(sys_days{year{2024} / 2 / 29} + hours{23} + minutes{59} + seconds{59} +
                                            microseconds{999999}) == "2024-02-29T23:59:59.999Z");
    BOOST_TEST(framealloc::format_timestamp(sys_days{year{2100} / 3 / 1}) == "2100-03-01T00:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(budget_percent_never_overflows) {
    BOOST_TEST(framealloc::budget_percent(50, 200) == 25u);
    BOOST_TEST(framealloc::budget_percent(199, 200) == 99u);
    BOOST_TEST(framealloc::budget_percent(300, 200) == 150u);
    BOOST_TEST(framealloc::budget_percent(0, 0) == 0u);
    BOOST_TEST(framealloc::budget_percent(1, 0) == std::numeric_limits<std::uint64_t>::max());
    const std::uint64_t big = std::numeric_limits<std::uint64_t>::max();
    BOOST_TEST(framealloc::budget_percent(big, big) == 100u);
    BOOST_TEST(framealloc::budget_percent(big, 1) == big);
}

BOOST_AUTO_TEST_SUITE_END()
