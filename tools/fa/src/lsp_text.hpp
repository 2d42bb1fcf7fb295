// Documents as the protocol sees them: file URIs, lines, and positions whose character offsets count
// UTF-16 code units (the protocol's default) or bytes (when the client agrees to "utf-8").
#pragma once

#include <string>
#include <string_view>

namespace fa::lsp {

// "file:///a/b%20c.cpp" -> "/a/b c.cpp"; empty for a URI of another scheme.
[[nodiscard]] std::string path_of_uri(std::string_view uri);
// The reverse, percent-encoding what a URI path may not hold.
[[nodiscard]] std::string uri_of_path(std::string_view path);

// Line `n` (0-based) of `text`, without its line break; empty past the end.
[[nodiscard]] std::string_view line_of(std::string_view text, unsigned n);

// A byte offset within `line` as the client counts characters, and back (clamped to the line).
[[nodiscard]] unsigned client_column(std::string_view line, unsigned byte, bool utf8);
[[nodiscard]] unsigned byte_column(std::string_view line, unsigned character, bool utf8);

// The end (a byte offset) of what a finding at `byte` covers: an identifier with its `::`/`.`/`->`
// qualified continuation; from an operator or a lambda's `[`, the rest of the statement on the line.
[[nodiscard]] unsigned token_end(std::string_view line, unsigned byte);

// The `FAnnn` written in a comment of `line` that covers byte `byte`; empty when there is none.
[[nodiscard]] std::string code_in_comment(std::string_view line, unsigned byte);

}  // namespace fa::lsp
