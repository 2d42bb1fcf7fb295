// JSON string literals for fa's json and SARIF reports, written by the library's own writer
// (framealloc::append_json_string: RFC 8259 escapes, invalid UTF-8 replaced by U+FFFD), so the analyzer
// and the library's snapshots escape alike. Implemented in a translation unit that imports framealloc.
#pragma once

#include <string>
#include <string_view>

namespace fa {

// `text` as a JSON string literal, quotes included.
[[nodiscard]] std::string json_string(std::string_view text);

}  // namespace fa
