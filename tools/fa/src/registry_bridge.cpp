#include "registry_bridge.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

import framealloc;

namespace fa {
namespace {

registry_entry to_entry(const framealloc::diagnostic_code& c) {
    return {std::string(c.code), std::string(c.title), std::string(c.explanation), std::string(c.hint)};
}

}  // namespace

std::string explain_code(std::string_view code) { return framealloc::explain(code); }

std::vector<registry_entry> registry_entries() {
    std::vector<registry_entry> out;
    for (const framealloc::diagnostic_code& c : framealloc::diagnostic_codes()) out.push_back(to_entry(c));
    return out;
}

bool find_registry_entry(std::string_view code, registry_entry& out) {
    const framealloc::diagnostic_code* c = framealloc::find_diagnostic_code(code);
    if (c == nullptr) return false;
    out = to_entry(*c);
    return true;
}

}  // namespace fa
