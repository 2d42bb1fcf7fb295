// A strict RFC 8259 JSON parser for tests: what the library writes is read back independently of the
// writer. Rejects what a lenient reader would accept (NaN, trailing commas, raw control characters,
// lone surrogates, leading zeros, bytes after the value). Objects keep their member order, so tests
// can check the writer's field order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace framealloc_test::json {

struct value;
using array = std::vector<value>;
// Members in document order. Two vectors rather than a vector of pairs: std::pair cannot hold the
// still-incomplete value type.
struct object {
    std::vector<std::string> keys;
    std::vector<value> values;
};

struct number {
    std::string text;  // as written
    double as_double() const { return std::strtod(text.c_str(), nullptr); }  // stod throws on subnormals
    bool is_integer() const { return text.find_first_of(".eE") == std::string::npos; }
    std::uint64_t as_u64() const { return std::stoull(text); }
};

struct value {
    std::variant<std::nullptr_t, bool, number, std::string, array, object> v;

    bool is_null() const { return std::holds_alternative<std::nullptr_t>(v); }
    bool is_object() const { return std::holds_alternative<object>(v); }
    bool is_array() const { return std::holds_alternative<array>(v); }
    bool is_string() const { return std::holds_alternative<std::string>(v); }
    bool is_number() const { return std::holds_alternative<number>(v); }
    bool is_bool() const { return std::holds_alternative<bool>(v); }
    const object& obj() const { return std::get<object>(v); }
    const array& arr() const { return std::get<array>(v); }
    const std::string& str() const { return std::get<std::string>(v); }
    const number& num() const { return std::get<number>(v); }
    bool boolean() const { return std::get<bool>(v); }
    std::uint64_t u64() const { return num().as_u64(); }
    // Member lookup; throws when absent.
    const value& operator[](std::string_view key) const;
    bool has(std::string_view key) const;
};

inline const value& value::operator[](std::string_view key) const {
    const object& o = obj();
    for (std::size_t i = 0; i < o.keys.size(); ++i)
        if (o.keys[i] == key) return o.values[i];
    throw std::out_of_range("no member " + std::string(key));
}
inline bool value::has(std::string_view key) const {
    for (const std::string& k : obj().keys)
        if (k == key) return true;
    return false;
}

class parse_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class parser {
public:
    explicit parser(std::string_view text) : s_(text) {}

    value parse_document() {
        value v = parse_value(0);
        skip_ws();
        if (i_ != s_.size()) fail("bytes after the value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw parse_error("json: " + why + " at offset " + std::to_string(i_));
    }
    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    char peek() {
        if (i_ >= s_.size()) fail("unexpected end");
        return s_[i_];
    }
    void expect(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) fail("expected " + std::string(word));
        i_ += word.size();
    }

    value parse_value(int depth) {
        if (depth > 256) fail("too deep");
        skip_ws();
        const char c = peek();
        if (c == '{') return parse_object(depth);
        if (c == '[') return parse_array(depth);
        if (c == '"') return value{parse_string()};
        if (c == 't') return expect("true"), value{true};
        if (c == 'f') return expect("false"), value{false};
        if (c == 'n') return expect("null"), value{nullptr};
        return value{parse_number()};
    }

    value parse_object(int depth) {
        ++i_;
        object o;
        skip_ws();
        if (peek() == '}') return ++i_, value{std::move(o)};
        for (;;) {
            skip_ws();
            if (peek() != '"') fail("expected a member name");
            std::string k = parse_string();
            skip_ws();
            if (peek() != ':') fail("expected ':'");
            ++i_;
            o.keys.push_back(std::move(k));
            o.values.push_back(parse_value(depth + 1));
            skip_ws();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            if (peek() == '}') return ++i_, value{std::move(o)};
            fail("expected ',' or '}'");
        }
    }

    value parse_array(int depth) {
        ++i_;
        array a;
        skip_ws();
        if (peek() == ']') return ++i_, value{std::move(a)};
        for (;;) {
            a.push_back(parse_value(depth + 1));
            skip_ws();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            if (peek() == ']') return ++i_, value{std::move(a)};
            fail("expected ',' or ']'");
        }
    }

    number parse_number() {
        const std::size_t start = i_;
        const auto digit = [&] { return i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9'; };
        if (i_ < s_.size() && s_[i_] == '-') ++i_;
        if (!digit()) fail("bad number");
        if (s_[i_] == '0') {
            ++i_;
        } else {
            while (digit()) ++i_;
        }
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digit()) fail("bad fraction");
            while (digit()) ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digit()) fail("bad exponent");
            while (digit()) ++i_;
        }
        return number{std::string(s_.substr(start, i_ - start))};
    }

    unsigned hex4() {
        if (i_ + 4 > s_.size()) fail("short \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
            else fail("bad hex digit");
        }
        return v;
    }

    static void append_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    // Checks that raw bytes are well-formed UTF-8 (Unicode Table 3-7) and copies them.
    void copy_utf8(std::string& out) {
        const auto b = [&](std::size_t k) -> unsigned {
            if (i_ + k >= s_.size()) fail("truncated UTF-8");
            return static_cast<unsigned char>(s_[i_ + k]);
        };
        const unsigned b0 = b(0);
        std::size_t len = 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) len = 2;
        else if (b0 >= 0xE0 && b0 <= 0xEF) len = 3, lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
        else if (b0 >= 0xF0 && b0 <= 0xF4) len = 4, lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
        else fail("invalid UTF-8 lead byte");
        for (std::size_t k = 1; k < len; ++k) {
            const unsigned c = b(k);
            if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) fail("invalid UTF-8 continuation");
        }
        out.append(s_.substr(i_, len));
        i_ += len;
    }

    std::string parse_string() {
        ++i_;  // opening quote
        std::string out;
        for (;;) {
            if (i_ >= s_.size()) fail("unterminated string");
            const unsigned char c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                ++i_;
                return out;
            }
            if (c < 0x20) fail("raw control character in a string");
            if (c >= 0x80) {
                copy_utf8(out);
                continue;
            }
            if (c != '\\') {
                out.push_back(static_cast<char>(c));
                ++i_;
                continue;
            }
            ++i_;
            const char e = peek();
            ++i_;
            switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case '/': out.push_back('/'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    std::uint32_t cp = hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (s_.substr(i_, 2) != "\\u") fail("lone high surrogate");
                        i_ += 2;
                        const unsigned low = hex4();
                        if (low < 0xDC00 || low > 0xDFFF) fail("bad low surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        fail("lone low surrogate");
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: fail("bad escape");
            }
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

inline value parse(std::string_view text) { return parser(text).parse_document(); }

}  // namespace framealloc_test::json
