// json_writer: escaping of every ASCII byte, UTF-8 kept or repaired, numbers exact, non-finite as null,
// layout and field order, misuse refused. Output is read back with the independent strict parser.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include "json_parse.hpp"

import framealloc;

namespace json = framealloc_test::json;

namespace {
std::string quoted(std::string_view s) {
    std::string out;
    framealloc::append_json_string(out, s);
    return out;
}
std::string round_trip(std::string_view s) { return json::parse(quoted(s)).str(); }
}  // namespace

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(every_ascii_byte_round_trips_and_no_control_byte_is_raw) {
    std::string all;
    for (int c = 0; c < 0x80; ++c) all.push_back(static_cast<char>(c));
    const std::string q = quoted(all);
    for (std::size_t i = 1; i + 1 < q.size(); ++i) BOOST_TEST(static_cast<unsigned char>(q[i]) >= 0x20);
    BOOST_TEST(round_trip(all) == all);
}

BOOST_AUTO_TEST_CASE(escapes_are_the_short_forms_where_json_has_them) {
    BOOST_TEST(quoted("a\"b\\c") == R"("a\"b\\c")");
    BOOST_TEST(quoted("\n\r\t\b\f") == R"("\n\r\t\b\f")");
    BOOST_TEST(quoted(std::string_view("\x00\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
    BOOST_TEST(quoted("/\x7f") == "\"/\x7f\"");  // '/' and DEL need no escape
}

BOOST_AUTO_TEST_CASE(valid_utf8_is_kept_byte_for_byte) {
    const std::string s = "\xC3\xA9 \xE6\xBC\xA2 \xF0\x9F\x98\x80 \xEF\xBF\xBF \xF4\x8F\xBF\xBF";  // é 漢 😀 U+FFFF U+10FFFF
    BOOST_TEST(quoted(s) == "\"" + s + "\"");
    BOOST_TEST(round_trip(s) == s);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_becomes_replacement_characters) {
    // One U+FFFD per maximal ill-formed subpart (Unicode 3.9).
    BOOST_TEST(quoted("a\x80z") == R"("a\ufffdz")");                  // lone continuation
    BOOST_TEST(quoted("a\xC0\xAFz") == R"("a\ufffd\ufffdz")");        // overlong '/'
    BOOST_TEST(quoted("a\xED\xA0\x80z") == R"("a\ufffd\ufffd\ufffdz")");  // UTF-16 surrogate
    BOOST_TEST(quoted("a\xF4\x90\x80\x80z") == R"("a\ufffd\ufffd\ufffd\ufffdz")");  // over U+10FFFF
    BOOST_TEST(quoted("a\xE2\x82") == R"("a\ufffd")");                // truncated at the end
    BOOST_TEST(quoted("a\xE2\x82z") == R"("a\ufffdz")");              // truncated before ASCII
    BOOST_TEST(quoted("\xFF\xFE") == R"("\ufffd\ufffd")");
    // Whatever the bytes, the result parses strictly.
    std::string noise;
    for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>((i * 7919 + 13) & 0xFF));
    BOOST_CHECK_NO_THROW(json::parse(quoted(noise)));
}

BOOST_AUTO_TEST_CASE(numbers_are_exact_and_non_finite_is_null) {
    std::string out;
    framealloc::json_writer w(out);
    w.begin_array()
        .value(std::numeric_limits<std::uint64_t>::max())
        .value(std::numeric_limits<std::int64_t>::min())
        .value(0.1)
        .value(1e300)
        .value(-0.0)
        .value(5e-324)
        .value(std::numeric_limits<double>::quiet_NaN())
        .value(std::numeric_limits<double>::infinity())
        .value(-std::numeric_limits<double>::infinity())
        .value(std::uint32_t{7})
        .value(short{-3})
        .end_array();
    const json::value v = json::parse(out);
    const json::array& a = v.arr();
    BOOST_TEST(a[0].num().text == "18446744073709551615");
    BOOST_TEST(a[1].num().text == "-9223372036854775808");
    BOOST_TEST(a[2].num().as_double() == 0.1);
    BOOST_TEST(a[3].num().as_double() == 1e300);
    BOOST_TEST(a[4].num().text == "-0");
    BOOST_TEST(a[5].num().as_double() == 5e-324);
    BOOST_TEST(a[6].is_null());
    BOOST_TEST(a[7].is_null());
    BOOST_TEST(a[8].is_null());
    BOOST_TEST(a[9].num().text == "7");
    BOOST_TEST(a[10].num().text == "-3");
}

BOOST_AUTO_TEST_CASE(layout_is_stable_and_members_keep_their_order) {
    std::string out;
    framealloc::json_writer w(out);
    w.begin_object()
        .member("z", 1)
        .member("a", "text")
        .member("flag", true)
        .member("none", nullptr);
    w.key("empty_array").begin_array().end_array();
    w.key("empty_object").begin_object().end_object();
    w.key("list").begin_array().value(1).begin_object().member("k", false).end_object().end_array();
    w.end_object();
    BOOST_TEST(w.complete());
    const std::string expected = R"({
  "z": 1,
  "a": "text",
  "flag": true,
  "none": null,
  "empty_array": [],
  "empty_object": {},
  "list": [
    1,
    {
      "k": false
    }
  ]
}
)";
    BOOST_TEST(out == expected);
    const json::value doc = json::parse(out);
    const json::object& o = doc.obj();
    BOOST_TEST(o.keys[0] == "z");
    BOOST_TEST(o.keys[6] == "list");
}

BOOST_AUTO_TEST_CASE(keys_are_escaped_too) {
    std::string out;
    framealloc::json_writer w(out);
    w.begin_object().member("a\"\n\xC0", 1).end_object();
    BOOST_TEST(json::parse(out).obj().keys[0] == "a\"\n\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(misuse_is_refused) {
    std::string out;
    {
        framealloc::json_writer w(out);
        w.begin_object();
        BOOST_CHECK_THROW(w.value(1), std::logic_error);  // no key
        BOOST_CHECK_THROW(w.end_array(), std::logic_error);
        w.key("k");
        BOOST_CHECK_THROW(w.key("again"), std::logic_error);
        BOOST_CHECK_THROW(w.end_object(), std::logic_error);  // key without value
        w.value(2).end_object();
        BOOST_CHECK_THROW(w.value(3), std::logic_error);  // a second document
        BOOST_CHECK_THROW(w.end_object(), std::logic_error);
    }
    {
        framealloc::json_writer w(out);
        w.begin_array();
        BOOST_CHECK_THROW(w.key("k"), std::logic_error);
        BOOST_TEST(!w.complete());
    }
}

BOOST_AUTO_TEST_SUITE_END()
