// The JSON the language server reads and writes: a small value type, a strict reader (RFC 8259, with a
// nesting limit so hostile input cannot exhaust the stack) and a writer that goes through the library's
// framealloc::json_writer.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fa::lsp {

class json;
using json_array = std::vector<json>;
using json_object = std::map<std::string, json, std::less<>>;

class json {
public:
    json() = default;  // null
    json(std::nullptr_t) {}
    json(bool b) : v_(b) {}
    json(double d) : v_(d) {}
    json(int i) : v_(static_cast<double>(i)) {}
    json(unsigned u) : v_(static_cast<double>(u)) {}
    json(long i) : v_(static_cast<double>(i)) {}
    json(std::string s) : v_(std::move(s)) {}
    json(std::string_view s) : v_(std::string(s)) {}
    json(const char* s) : v_(std::string(s)) {}
    json(json_array a) : v_(std::move(a)) {}
    json(json_object o) : v_(std::move(o)) {}

    [[nodiscard]] bool is_null() const { return v_.index() == 0; }
    [[nodiscard]] bool is_bool() const { return v_.index() == 1; }
    [[nodiscard]] bool is_number() const { return v_.index() == 2; }
    [[nodiscard]] bool is_string() const { return v_.index() == 3; }
    [[nodiscard]] bool is_array() const { return v_.index() == 4; }
    [[nodiscard]] bool is_object() const { return v_.index() == 5; }

    [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
    [[nodiscard]] double as_number() const { return std::get<double>(v_); }
    [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
    [[nodiscard]] const json_array& as_array() const { return std::get<json_array>(v_); }
    [[nodiscard]] const json_object& as_object() const { return std::get<json_object>(v_); }
    json_array& as_array() { return std::get<json_array>(v_); }
    json_object& as_object() { return std::get<json_object>(v_); }

    // The member `key` of an object; null (a shared empty value) when this is not an object or has none.
    [[nodiscard]] const json& operator[](std::string_view key) const;
    // Typed lookups for request parameters: nullopt when absent or of another type.
    [[nodiscard]] std::optional<std::string> string_at(std::string_view key) const;
    [[nodiscard]] std::optional<double> number_at(std::string_view key) const;

private:
    std::variant<std::nullptr_t, bool, double, std::string, json_array, json_object> v_;
};

// Parses one JSON text (surrounding whitespace allowed). nullopt and `error` set ("offset N: what") on
// malformed input, trailing data, or nesting deeper than 128.
[[nodiscard]] std::optional<json> parse_json(std::string_view text, std::string& error);

// The value as JSON text (pretty-printed by framealloc::json_writer; integral numbers without a fraction).
[[nodiscard]] std::string to_text(const json& value);

}  // namespace fa::lsp
