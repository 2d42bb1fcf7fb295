#include "lsp_json.hpp"

#include <cmath>
#include <cstdlib>

namespace fa::lsp {

const json& json::operator[](std::string_view key) const {
    static const json none;
    if (!is_object()) return none;
    const auto it = as_object().find(key);
    return it == as_object().end() ? none : it->second;
}

std::optional<std::string> json::string_at(std::string_view key) const {
    const json& v = (*this)[key];
    if (!v.is_string()) return std::nullopt;
    return v.as_string();
}

std::optional<double> json::number_at(std::string_view key) const {
    const json& v = (*this)[key];
    if (!v.is_number()) return std::nullopt;
    return v.as_number();
}

namespace {

constexpr int max_depth = 128;

class reader {
public:
    explicit reader(std::string_view text) : s_(text) {}

    std::optional<json> document(std::string& error) {
        std::optional<json> v = value(0);
        if (v) {
            skip_space();
            if (i_ != s_.size()) fail("data after the JSON value");
        }
        if (!error_.empty()) {
            error = "offset " + std::to_string(i_) + ": " + error_;
            return std::nullopt;
        }
        return v;
    }

private:
    std::optional<json> fail(const char* what) {
        if (error_.empty()) error_ = what;
        return std::nullopt;
    }
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    std::optional<json> value(int depth) {
        if (depth > max_depth) return fail("nested too deeply");
        skip_space();
        if (i_ >= s_.size()) return fail("unexpected end of input");
        const char c = s_[i_];
        if (c == '{') return object(depth);
        if (c == '[') return array(depth);
        if (c == '"') {
            std::string text;
            if (!string(text)) return std::nullopt;
            return json(std::move(text));
        }
        if (literal("true")) return json(true);
        if (literal("false")) return json(false);
        if (literal("null")) return json();
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        return fail("unexpected character");
    }

    std::optional<json> number() {
        const std::size_t start = i_;
        const auto digits = [&] {
            const std::size_t from = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            return i_ > from;
        };
        if (s_[i_] == '-') ++i_;
        if (i_ < s_.size() && s_[i_] == '0') ++i_;
        else if (!digits()) return fail("bad number");
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digits()) return fail("bad number");
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digits()) return fail("bad number");
        }
        const std::string text(s_.substr(start, i_ - start));
        const double d = std::strtod(text.c_str(), nullptr);
        if (!std::isfinite(d)) return fail("number out of range");
        return json(d);
    }

    bool hex4(unsigned& out) {
        if (i_ + 4 > s_.size()) return false;
        out = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = s_[i_++];
            out <<= 4;
            if (h >= '0' && h <= '9') out |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') out |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') out |= static_cast<unsigned>(h - 'A' + 10);
            else return false;
        }
        return true;
    }

    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool string(std::string& out) {
        ++i_;  // the opening quote
        while (true) {
            if (i_ >= s_.size()) return fail("unterminated string"), false;
            const char c = s_[i_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string"), false;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) return fail("unterminated string"), false;
            switch (s_[i_++]) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = 0;
                    if (!hex4(cp)) return fail("bad \\u escape"), false;
                    if (cp >= 0xD800 && cp < 0xDC00) {
                        unsigned low = 0;
                        if (s_.substr(i_, 2) == "\\u" && (i_ += 2, hex4(low)) && low >= 0xDC00 && low < 0xE000)
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        else
                            cp = 0xFFFD;  // a lone surrogate
                    } else if (cp >= 0xDC00 && cp < 0xE000) {
                        cp = 0xFFFD;
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: return fail("bad escape"), false;
            }
        }
    }

    std::optional<json> array(int depth) {
        ++i_;
        json_array out;
        skip_space();
        if (i_ < s_.size() && s_[i_] == ']') {
            ++i_;
            return json(std::move(out));
        }
        while (true) {
            std::optional<json> v = value(depth + 1);
            if (!v) return std::nullopt;
            out.push_back(std::move(*v));
            skip_space();
            if (i_ < s_.size() && s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (i_ < s_.size() && s_[i_] == ']') {
                ++i_;
                return json(std::move(out));
            }
            return fail("expected , or ] in an array");
        }
    }

    std::optional<json> object(int depth) {
        ++i_;
        json_object out;
        skip_space();
        if (i_ < s_.size() && s_[i_] == '}') {
            ++i_;
            return json(std::move(out));
        }
        while (true) {
            skip_space();
            if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a member name");
            std::string key;
            if (!string(key)) return std::nullopt;
            skip_space();
            if (i_ >= s_.size() || s_[i_] != ':') return fail("expected : after a member name");
            ++i_;
            std::optional<json> v = value(depth + 1);
            if (!v) return std::nullopt;
            out.insert_or_assign(std::move(key), std::move(*v));
            skip_space();
            if (i_ < s_.size() && s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (i_ < s_.size() && s_[i_] == '}') {
                ++i_;
                return json(std::move(out));
            }
            return fail("expected , or } in an object");
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
    std::string error_;
};

}  // namespace

std::optional<json> parse_json(std::string_view text, std::string& error) { return reader(text).document(error); }

}  // namespace fa::lsp
