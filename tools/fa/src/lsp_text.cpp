#include "lsp_text.hpp"

#include <algorithm>
#include <cctype>

namespace fa::lsp {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// The byte length of the UTF-8 sequence led by `c` (1 for a stray continuation byte) and its UTF-16 size.
unsigned sequence_length(unsigned char c) { return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1; }

}  // namespace

std::string path_of_uri(std::string_view uri) {
    constexpr std::string_view scheme = "file://";
    if (uri.substr(0, scheme.size()) != scheme) return {};
    uri.remove_prefix(scheme.size());
    if (!uri.empty() && uri[0] != '/') {  // file://host/path: only the local host is ours
        const auto slash = uri.find('/');
        if (uri.substr(0, slash) != "localhost") return {};
        uri.remove_prefix(slash == std::string_view::npos ? uri.size() : slash);
    }
    std::string out;
    for (std::size_t i = 0; i < uri.size(); ++i) {
        if (uri[i] == '%' && i + 2 < uri.size() && hex_value(uri[i + 1]) >= 0 && hex_value(uri[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2]));
            i += 2;
        } else {
            out += uri[i];
        }
    }
    return out;
}

std::string uri_of_path(std::string_view path) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out = "file://";
    for (const char c : path) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += digits[u >> 4];
            out += digits[u & 15];
        }
    }
    return out;
}

std::string_view line_of(std::string_view text, unsigned n) {
    std::size_t start = 0;
    for (unsigned i = 0; i < n; ++i) {
        const auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) return {};
        start = nl + 1;
    }
    std::string_view line = text.substr(start, text.find('\n', start) - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

unsigned client_column(std::string_view line, unsigned byte, bool utf8) {
    if (byte > line.size()) byte = static_cast<unsigned>(line.size());
    if (utf8) return byte;
    unsigned units = 0;
    for (unsigned i = 0; i < byte;) {
        const unsigned n = sequence_length(static_cast<unsigned char>(line[i]));
        units += n == 4 ? 2 : 1;
        i += n;
    }
    return units;
}

unsigned byte_column(std::string_view line, unsigned character, bool utf8) {
    if (utf8) return character > line.size() ? static_cast<unsigned>(line.size()) : character;
    unsigned units = 0, i = 0;
    while (i < line.size() && units < character) {
        const unsigned n = sequence_length(static_cast<unsigned char>(line[i]));
        units += n == 4 ? 2 : 1;
        i += n;
    }
    return i > line.size() ? static_cast<unsigned>(line.size()) : i;
}

unsigned token_end(std::string_view line, unsigned byte) {
    if (byte >= line.size()) return static_cast<unsigned>(line.size());
    if (!word_char(line[byte])) {  // an operator, a lambda: to the end of the statement on this line
        auto end = line.find(';', byte);
        if (end == std::string_view::npos) end = line.size();
        while (end > byte + 1 && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
        return static_cast<unsigned>(std::max<std::size_t>(end, byte + 1));
    }
    unsigned i = byte;
    while (true) {
        while (i < line.size() && word_char(line[i])) ++i;
        const std::string_view rest = line.substr(i);
        const unsigned joiner = rest.starts_with("::") || rest.starts_with("->") ? 2 : rest.starts_with(".") ? 1 : 0;
        if (joiner == 0 || i + joiner >= line.size() || !word_char(line[i + joiner])) return i;
        i += joiner;
    }
}

std::string code_in_comment(std::string_view line, unsigned byte) {
    const auto comment = line.find("//");
    const auto block = line.find("/*");
    const auto opens = std::min(comment, block);
    if (opens == std::string_view::npos || byte < opens || byte >= line.size()) return {};
    unsigned begin = byte, end = byte;
    while (begin > 0 && word_char(line[begin - 1])) --begin;
    while (end < line.size() && word_char(line[end])) ++end;
    const std::string_view word = line.substr(begin, end - begin);
    if (word.size() != 5 || word[0] != 'F' || word[1] != 'A') return {};
    for (const char c : word.substr(2))
        if (c < '0' || c > '9') return {};
    return std::string(word);
}

}  // namespace fa::lsp
