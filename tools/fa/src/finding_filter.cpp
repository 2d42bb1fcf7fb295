#include "finding_filter.hpp"

#include "config.hpp"

#include <algorithm>
#include <tuple>

namespace fa {

std::vector<finding> select_findings(std::vector<finding> found, unsigned families, const std::vector<std::string>& deny,
                                     const std::vector<std::string>& allow) {
    const auto any = [](const std::vector<std::string>& patterns, const std::string& code) {
        return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return code_matches(p, code); });
    };
    std::vector<finding> out;
    for (finding& f : found) {
        if ((family_of(f.code) & families) == 0 || any(allow, f.code)) continue;
        f.denied = any(deny, f.code);
        out.push_back(std::move(f));
    }
    const auto key = [](const finding& f) { return std::tie(f.where.file, f.where.line, f.where.column, f.code, f.message); };
    std::sort(out.begin(), out.end(), [&](const finding& a, const finding& b) { return key(a) < key(b); });
    out.erase(std::unique(out.begin(), out.end(), [&](const finding& a, const finding& b) { return key(a) == key(b); }),
              out.end());
    return out;
}

}  // namespace fa
