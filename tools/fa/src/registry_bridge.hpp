// The library's diagnostic-code registry, seen from the analyzer: `fa explain` and `fa list` print what
// framealloc::explain() and framealloc::diagnostic_codes() hold, so the runtime and the analyzer share
// one table. Implemented in the one translation unit that imports framealloc (clang's headers stay out).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fa {

struct registry_entry {
    std::string code, title, explanation, hint;
};

// framealloc::explain(code), verbatim.
[[nodiscard]] std::string explain_code(std::string_view code);
// Every registered code, sorted.
[[nodiscard]] std::vector<registry_entry> registry_entries();
// The entry of `code`; false when the registry does not know it.
[[nodiscard]] bool find_registry_entry(std::string_view code, registry_entry& out);

}  // namespace fa
