// json_writer: escaping, UTF-8 repair, number formatting and the container state machine.
module;
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
module framealloc.report;

import framealloc.core;
import framealloc.diagnostics;

namespace framealloc {

namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 when it is ill-formed; `bad` then receives
// the length of its maximal well-formed prefix (at least 1), which becomes one U+FFFD (the Unicode
// "maximal subpart" practice, Unicode 15 section 3.9). Ranges from Table 3-7: no overlong forms, no
// surrogates (ED A0..BF), nothing above U+10FFFF.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& bad) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char b0 = byte(0);
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        bad = 1;  // a continuation byte, C0/C1 or F5..FF cannot start a sequence
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if (i + k >= s.size()) {
            bad = k;
            return 0;
        }
        const unsigned char b = byte(k);
        const bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
        if (!ok) {
            bad = k;
            return 0;
        }
    }
    return len;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\b': out += "\\b"; break;
                case '\f': out += "\\f"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default:
                    if (c < 0x20) {
                        out += "\\u00";
                        out.push_back(hex[c >> 4]);
                        out.push_back(hex[c & 0xF]);
                    } else {
                        out.push_back(static_cast<char>(c));
                    }
            }
            ++i;
            continue;
        }
        std::size_t bad = 0;
        const std::size_t len = utf8_sequence(text, i, bad);
        if (len != 0) {
            out.append(text.substr(i, len));
            i += len;
        } else {
            out += "\\ufffd";
            i += bad;
        }
    }
    out.push_back('"');
}

void json_writer::newline_indent() {
    out_.push_back('\n');
    out_.append(stack_.size() * 2, ' ');
}

void json_writer::before_value() {
    if (done_ && stack_.empty()) throw std::logic_error("json_writer: a second top-level value");
    if (stack_.empty()) return;
    if (stack_.back() == scope::object) {
        if (!key_pending_) throw std::logic_error("json_writer: a value inside an object needs a key");
        key_pending_ = false;
        return;  // key() already wrote the separator and the indent
    }
    if (!first_) out_.push_back(',');
    first_ = false;
    newline_indent();
}

void json_writer::open(scope s, char c) {
    before_value();
    out_.push_back(c);
    stack_.push_back(s);
    first_ = true;
}

void json_writer::close(scope s, char c) {
    if (stack_.empty() || stack_.back() != s || key_pending_)
        throw std::logic_error("json_writer: end of a container that is not open (or a key without a value)");
    const bool empty = first_;
    stack_.pop_back();
    if (!empty) newline_indent();
    out_.push_back(c);
    first_ = false;
    if (stack_.empty()) {
        done_ = true;
        out_.push_back('\n');
    }
}

json_writer& json_writer::begin_object() {
    open(scope::object, '{');
    return *this;
}
json_writer& json_writer::end_object() {
    close(scope::object, '}');
    return *this;
}
json_writer& json_writer::begin_array() {
    open(scope::array, '[');
    return *this;
}
json_writer& json_writer::end_array() {
    close(scope::array, ']');
    return *this;
}

json_writer& json_writer::key(std::string_view name) {
    if (stack_.empty() || stack_.back() != scope::object || key_pending_)
        throw std::logic_error("json_writer: a key outside an object (or two keys in a row)");
    if (!first_) out_.push_back(',');
    first_ = false;
    newline_indent();
    append_json_string(out_, name);
    out_ += ": ";
    key_pending_ = true;
    return *this;
}

namespace {
template <class T>
void append_number(std::string& out, T v) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    if (ec != std::errc{}) throw std::logic_error("json_writer: number formatting failed");
    out.append(buf, end);
}
void finish_scalar(bool stack_empty, bool& done, std::string& out) {
    if (stack_empty) {
        done = true;
        out.push_back('\n');
    }
}
}  // namespace

json_writer& json_writer::value(std::string_view text) {
    before_value();
    append_json_string(out_, text);
    finish_scalar(stack_.empty(), done_, out_);
    return *this;
}

json_writer& json_writer::value(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    finish_scalar(stack_.empty(), done_, out_);
    return *this;
}

json_writer& json_writer::value(std::nullptr_t) {
    before_value();
    out_ += "null";
    finish_scalar(stack_.empty(), done_, out_);
    return *this;
}

json_writer& json_writer::value(double d) {
    before_value();
    // std::to_chars without a format gives the shortest representation that round-trips, and its
    // forms ("1e+300", "-0", "0.5") are all valid JSON numbers. Non-finite values have no JSON form.
    if (std::isfinite(d))
        append_number(out_, d);
    else
        out_ += "null";
    finish_scalar(stack_.empty(), done_, out_);
    return *this;
}

json_writer& json_writer::value_unsigned(std::uint64_t v) {
    before_value();
    append_number(out_, v);
    finish_scalar(stack_.empty(), done_, out_);
    return *this;
}

json_writer& json_writer::value_signed(std::int64_t v) {
    before_value();
    append_number(out_, v);
    finish_scalar(stack_.empty(), done_, out_);
    return *this;
}

}  // namespace framealloc
