// json_writer: a small streaming JSON writer for what framealloc emits (snapshots, behaviour
// reports). Own code, no JSON library.
//
// What:       appends pretty-printed JSON (two-space indent, one member per line, "[]"/"{}" when empty)
//             to a std::string. Members come out in the order they are written, so a writer that
//             walks a struct in declaration order gives a stable field order.
// Strings:    escaped per RFC 8259: '"' and '\\' escaped, control characters as \n \t ... or \u00XX;
//             bytes that are not valid UTF-8 (overlong forms, surrogates, truncated sequences, code
//             points over U+10FFFF) become U+FFFD, so the output is always valid UTF-8 JSON text.
// Numbers:    integers exactly; doubles in the shortest form that reads back to the same value.
//             NaN and infinities have no JSON form: they are written as null (as JSON.stringify does),
//             never as an invalid token.
// Errors:     misuse (a value without a key inside an object, a key inside an array, unbalanced ends,
//             a second top-level value) throws std::logic_error: a bug in the caller, caught by tests.
module;
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>
export module framealloc.report:json_writer;

import framealloc.core;

export namespace framealloc {

// Appends `text` to `out` as a JSON string literal (quotes included), escaped as described above.
void append_json_string(std::string& out, std::string_view text);

class json_writer {
public:
    explicit json_writer(std::string& out) : out_(out) {}

    json_writer& begin_object();
    json_writer& end_object();
    json_writer& begin_array();
    json_writer& end_array();
    // Inside an object, names the next value (or begin_object / begin_array).
    json_writer& key(std::string_view name);

    json_writer& value(std::string_view text);
    json_writer& value(const char* text) { return value(std::string_view(text)); }
    json_writer& value(bool b);
    json_writer& value(std::nullptr_t);
    json_writer& value(double d);
    json_writer& value_unsigned(std::uint64_t v);
    json_writer& value_signed(std::int64_t v);
    template <std::integral T>
        requires(!std::same_as<T, bool>)
    json_writer& value(T v) {
        if constexpr (std::is_signed_v<T>)
            return value_signed(static_cast<std::int64_t>(v));
        else
            return value_unsigned(static_cast<std::uint64_t>(v));
    }

    // key(name).value(v) in one call.
    template <class T>
    json_writer& member(std::string_view name, T&& v) {
        key(name);
        return value(static_cast<T&&>(v));
    }

    // True once the top-level value is complete (every container closed).
    [[nodiscard]] bool complete() const noexcept { return done_ && stack_.empty(); }

private:
    enum class scope : unsigned char { object, array };
    void before_value();
    void open(scope s, char c);
    void close(scope s, char c);
    void newline_indent();

    std::string& out_;
    std::vector<scope> stack_;
    bool first_ = true;        // no member written yet in the innermost container
    bool key_pending_ = false;  // key() written, its value not yet
    bool done_ = false;         // a complete top-level value has been written
};

}  // namespace framealloc
